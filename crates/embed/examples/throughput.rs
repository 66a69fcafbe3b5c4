//! Embedding speed on the reference fixture (`tests/data/`, a few hundred
//! news-like sentences, 20 of them past the 256-token limit), on one thread
//! unless `--threads N` says otherwise:
//!
//!     cargo run --release -p eventline-embed --example throughput [-- --threads N] [--repeat R]
//!
//! Prints sentences/s and tokens/s (tokens the encoder sees, `[CLS]` and
//! `[SEP]` included, after truncation; padding not counted) for three ways
//! of calling: all sentences in one `embed` call, calls of 25 sentences in
//! fixture order (about one article's lead and body), and `embed_one` per
//! sentence. The median of R runs (default 3), per wall-clock second and,
//! on Linux with one thread, per CPU-second of the calling thread
//! (`/proc/thread-self/schedstat`; all the work runs on it then), which other
//! processes on a busy machine disturb less. Fails unless every vector is
//! within cosine 0.999 of sentence-transformers', so a fast wrong answer
//! cannot pass.

#[path = "../tests/it/util.rs"]
mod util;

use embed::{Embedder, Embedding, cosine};
use std::time::Instant;

fn main() {
    let mut threads = 1usize;
    let mut repeat = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (a.as_str(), value) {
            ("--threads", Some(n)) => threads = n,
            ("--repeat", Some(n)) => repeat = n,
            _ => {
                eprintln!("usage: throughput [--threads N] [--repeat R]");
                std::process::exit(2);
            }
        }
    }
    // candle reads these once, at its first parallel operation.
    // SAFETY: no other thread exists yet.
    unsafe {
        std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
        std::env::set_var("CANDLE_NUM_THREADS", threads.to_string());
    }

    let started = Instant::now();
    let embedder = Embedder::load_default().expect("the bundled model");
    println!("model loaded in {:.2} s", started.elapsed().as_secs_f64());
    let cases = util::cases();
    let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    let tokens: usize = texts
        .iter()
        .map(|t| embedder.token_ids(t).unwrap().len())
        .sum();
    println!(
        "{} sentences, {tokens} tokens, {threads} thread(s), median of {repeat} runs",
        texts.len()
    );

    type Run<'a> = Box<dyn Fn() -> Vec<Embedding> + 'a>;
    let ways: [(&str, Run); 3] = [
        ("one call", Box::new(|| embedder.embed(&texts).unwrap())),
        (
            "calls of 25",
            Box::new(|| {
                texts
                    .chunks(25)
                    .flat_map(|c| embedder.embed(c).unwrap())
                    .collect()
            }),
        ),
        (
            "embed_one each",
            Box::new(|| {
                texts
                    .iter()
                    .map(|t| embedder.embed_one(t).unwrap())
                    .collect()
            }),
        ),
    ];
    for (name, run) in &ways {
        let mut seconds = Vec::new();
        let mut cpu_seconds = Vec::new();
        let mut vectors = Vec::new();
        for _ in 0..repeat.max(1) {
            let (t, cpu) = (Instant::now(), thread_cpu_seconds());
            vectors = run();
            seconds.push(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
                cpu_seconds.push(b - a);
            }
        }
        seconds.sort_by(f64::total_cmp);
        cpu_seconds.sort_by(f64::total_cmp);
        let s = seconds[seconds.len() / 2];
        let good = vectors
            .iter()
            .zip(&cases)
            .filter(|(v, c)| cosine(&v[..], &c.vector) >= 0.999)
            .count();
        assert_eq!(good, cases.len(), "{name}: vectors off the reference");
        println!(
            "{name:>15}: {:7.1} sentences/s {:8.0} tokens/s ({s:.2} s)",
            texts.len() as f64 / s,
            tokens as f64 / s
        );
        if threads == 1 && !cpu_seconds.is_empty() {
            let c = cpu_seconds[cpu_seconds.len() / 2];
            println!(
                "{:>15}  {:7.1} sentences/CPU-s {:4.0} tokens/CPU-s ({c:.2} CPU-s)",
                "",
                texts.len() as f64 / c,
                tokens as f64 / c
            );
        }
    }
}

/// CPU time of the calling thread, from the first field of
/// `/proc/thread-self/schedstat` (nanoseconds on the CPU); `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
