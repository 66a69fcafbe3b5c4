//! The reference fixture of `tests/data/`, made by
//! `scripts/embed_reference.py`: sentences, the number of tokens
//! sentence-transformers gives each, and its vectors. Missing or malformed
//! files fail the test that reads them (they are part of the repository).

#![allow(dead_code)] // each test binary uses part of it

use embed::DIM;
use std::path::PathBuf;

/// One sentence of the fixture.
pub struct Case {
    /// The sentence.
    pub text: String,
    /// Tokens sentence-transformers feeds the model ([CLS] and [SEP] included).
    pub tokens: usize,
    /// sentence-transformers' vector (stored as f16).
    pub vector: Vec<f32>,
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Reads the fixture; panics when a file is missing or inconsistent.
pub fn cases() -> Vec<Case> {
    let tsv_path = data("sentences.tsv");
    let tsv = std::fs::read_to_string(&tsv_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run scripts/embed_reference.py)",
            tsv_path.display()
        )
    });
    let vec_path = data("vectors.f16");
    let bytes = std::fs::read(&vec_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run scripts/embed_reference.py)",
            vec_path.display()
        )
    });
    let lines: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        bytes.len(),
        lines.len() * DIM * 2,
        "{} does not hold {DIM} f16 per sentence of {}",
        vec_path.display(),
        tsv_path.display()
    );
    lines
        .iter()
        .zip(bytes.chunks_exact(DIM * 2))
        .enumerate()
        .map(|(i, (line, row))| {
            let (tokens, text) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{} sentence {i}: no tab", tsv_path.display()));
            Case {
                text: text.to_string(),
                tokens: tokens.parse().unwrap_or_else(|e| {
                    panic!(
                        "{} sentence {i}: token count {tokens:?}: {e}",
                        tsv_path.display()
                    )
                }),
                vector: row
                    .chunks_exact(2)
                    .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                    .collect(),
            }
        })
        .collect()
}
