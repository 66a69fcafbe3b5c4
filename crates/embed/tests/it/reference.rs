//! The Rust embeddings against sentence-transformers' on the fixture of
//! `tests/data/` (a few hundred news-like sentences, 20 of them longer than
//! the model's 256 tokens): the same token count for every sentence, and
//! cosine ≥ 0.999 for every vector. Fails, never skips, when the fixture or
//! the bundled model is missing.

use crate::util;

use embed::{Embedder, cosine};

#[test]
fn token_counts_match_sentence_transformers() {
    let embedder = Embedder::load_default().expect("the bundled model");
    let cases = util::cases();
    let mut wrong = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let n = embedder.token_ids(&case.text).unwrap().len();
        if n != case.tokens {
            wrong.push(format!(
                "sentence {i}: {n} tokens, reference {}: {:?}",
                case.tokens, case.text
            ));
        }
    }
    assert!(
        cases.iter().any(|c| c.tokens == embedder.max_seq_length()),
        "the fixture has no truncated sentence"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn vectors_match_sentence_transformers() {
    let embedder = Embedder::load_default().expect("the bundled model");
    let cases = util::cases();
    assert!(
        cases.len() >= 300,
        "only {} sentences in the fixture",
        cases.len()
    );
    let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    let vectors = embedder.embed(&texts).unwrap();
    // Reported in f64: `cosine` gives f32, which rounds these to 1.
    let cosines: Vec<f64> = vectors
        .iter()
        .zip(&cases)
        .map(|(v, c)| cosine_f64(v, &c.vector))
        .collect();
    let (worst, min) = cosines
        .iter()
        .copied()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let mean = cosines.iter().sum::<f64>() / cosines.len() as f64;
    eprintln!(
        "{} sentences: cosine to sentence-transformers min {min:.9} (sentence {worst}), \
         mean {mean:.9}; 1 - min = {:.2e}, 1 - mean = {:.2e} (f16 storage of the \
         reference alone costs up to 1.2e-7)",
        cases.len(),
        1.0 - min,
        1.0 - mean
    );
    for (i, (v, c)) in vectors.iter().zip(&cases).enumerate() {
        let cos = cosine(v, &c.vector);
        assert!(
            cos >= 0.999,
            "sentence {i}: cosine {cos} < 0.999: {:?}",
            c.text
        );
    }
    for v in &vectors {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    }
}

fn cosine_f64(a: &[f32], b: &[f32]) -> f64 {
    let dot = |x: &[f32], y: &[f32]| -> f64 {
        x.iter()
            .zip(y)
            .map(|(&p, &q)| f64::from(p) * f64::from(q))
            .sum()
    };
    dot(a, b) / (dot(a, a).sqrt() * dot(b, b).sqrt())
}
