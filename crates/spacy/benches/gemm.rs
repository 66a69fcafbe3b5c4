//! Throughput of the packed matrix product on the pipeline's layer shapes.
//!
//! ```text
//! cargo bench -p eventline-spacy --bench gemm
//! ```
//!
//! Prints GFLOP/s per shape (best of 15 trials) (rows × outputs × inputs) and checks one
//! output against a plain dot product, so a fast wrong kernel cannot pass.

use std::time::Instant;

use spacy::ops::gemm::{PackedMatrix, isa};

fn main() {
    // (name, rows, outputs, inputs, row stride)
    let shapes = [
        // Sizes of an average MEANTIME article: 356 tokens, 190 distinct.
        ("tok2vec mix (6 tables)", 190, 288, 576, 576),
        ("tok2vec mix (4 tables)", 190, 288, 384, 384),
        ("tok2vec block (window 1)", 364, 288, 288, 96),
        ("parser lower (8 slots)", 356, 1024, 64, 64),
        ("ner lower (3 slots)", 356, 384, 64, 64),
        ("projection", 356, 64, 96, 96),
        ("tagger", 356, 50, 96, 96),
    ];
    println!("kernel: {:?}", isa());
    println!("| shape | m×n×k | GFLOP/s |");
    println!("|---|---|---:|");
    for (name, m, n, k, lda) in shapes {
        let a: Vec<f32> = (0..(m - 1) * lda + k)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) * 0.01)
            .collect();
        let w: Vec<f32> = (0..n * k)
            .map(|i| ((i * 53 % 29) as f32 - 14.0) * 0.01)
            .collect();
        let pm = PackedMatrix::new(n, k, &w, None);
        let mut c = vec![0.0f32; m * n];
        pm.matmul(m, &a, lda, &mut c);
        let (i, j) = (m - 1, n - 1);
        let want: f32 = (0..k).map(|p| a[i * lda + p] * w[j * k + p]).sum();
        assert!((c[i * n + j] - want).abs() < 1e-3, "{name}: wrong product");
        // Best of 15 short trials: the machine may be shared.
        let reps = (4e8 / (2.0 * (m * n * k) as f64)).ceil() as usize;
        let mut secs = f64::INFINITY;
        for _ in 0..15 {
            let t = Instant::now();
            for _ in 0..reps {
                pm.matmul(m, std::hint::black_box(&a), lda, &mut c);
            }
            secs = secs.min(t.elapsed().as_secs_f64());
        }
        let gflops = 2.0 * (m * n * k * reps) as f64 / secs / 1e9;
        println!("| {name} | {m}×{n}×{k} | {gflops:.1} |");
    }
}
