//! Whole-pipeline throughput on a fixed corpus: the TempEval-3 (TimeBank +
//! AQUAINT) and MEANTIME texts from `../shared/data`, analysed by every
//! per-document stage, then the cross-document step. Prints documents/s and
//! MB/s per stage (single-threaded, summed over documents), and end-to-end
//! rates with 1 and N threads; asserts the document count and that both
//! thread counts produce identical analyses, so a fast wrong answer fails.
//!
//! ```text
//! cargo bench -p eventline-pipeline --bench pipeline            # 2 threads for the parallel row
//! cargo bench -p eventline-pipeline --bench pipeline -- --threads 4
//! ```

use model::Document;
use pipeline::Analyzer;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn corpus() -> Option<Vec<Document>> {
    let data = Path::new(DATA);
    if !data.is_dir() {
        return None;
    }
    let mut docs = Vec::new();
    let timeml = eval::timeml::read_timeml_dir(&data.join("tempeval3-train")).ok()?;
    let meantime = eval::timeml::read_meantime_dir(&data.join("meantime")).ok()?;
    for (i, d) in timeml.into_iter().chain(meantime).enumerate() {
        let mut doc = Document::new(format!("d{i:04}"), d.text);
        doc.meta.date = d.dct;
        docs.push(doc);
    }
    Some(docs)
}

fn threads_arg() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

fn rate(n: usize, bytes: usize, t: Duration) -> (f64, f64) {
    let s = t.as_secs_f64().max(1e-9);
    (n as f64 / s, bytes as f64 / 1e6 / s)
}

fn main() {
    let Some(docs) = corpus() else {
        eprintln!("skipping: ../shared/data not found");
        return;
    };
    let n = docs.len();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let t = Instant::now();
    let analyzer = Analyzer::load(None).expect("load the bundled model");
    let load = t.elapsed();

    // Per stage, single-threaded.
    let mut per_stage: BTreeMap<usize, (&'static str, Duration)> = BTreeMap::new();
    let mut single = Vec::with_capacity(n);
    let t_single = Instant::now();
    for d in &docs {
        let mut d = d.clone();
        for (i, (name, dt)) in analyzer
            .analyze_timed(&mut d)
            .expect("analyse")
            .into_iter()
            .enumerate()
        {
            let e = per_stage.entry(i).or_insert((name, Duration::ZERO));
            e.1 += dt;
        }
        single.push(d);
    }
    let single_time = t_single.elapsed();

    // The same documents in parallel.
    let threads = threads_arg();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let t_par = Instant::now();
    let parallel: Vec<Document> = pool.install(|| {
        docs.par_iter()
            .map(|d| {
                let mut d = d.clone();
                analyzer.analyze(&mut d).expect("analyse");
                d
            })
            .collect()
    });
    let par_time = t_par.elapsed();
    assert_eq!(parallel.len(), n);
    assert!(single == parallel, "thread count changed the analysis");

    // Cross-document step.
    let mut all = single;
    let t_cross = Instant::now();
    let timeline = pipeline::build_timeline(&mut all);
    let cross = t_cross.elapsed();
    let tokens: usize = all.iter().map(|d| d.layers.tokens.len()).sum();
    assert!(tokens > words / 2, "tokens missing");
    assert!(!timeline.events.is_empty() && !timeline.entities.is_empty());

    println!(
        "corpus: {n} documents, {:.2} MB, {words} words (TempEval-3 + MEANTIME); model load {:.2} s",
        bytes as f64 / 1e6,
        load.as_secs_f64()
    );
    println!();
    println!("| stage | time (s) | docs/s | MB/s | words/s |");
    println!("|---|---:|---:|---:|---:|");
    for (name, dt) in per_stage.values() {
        let (d, m) = rate(n, bytes, *dt);
        println!(
            "| {name} (1 thread) | {:.2} | {d:.0} | {m:.3} | {:.0} |",
            dt.as_secs_f64(),
            words as f64 / dt.as_secs_f64()
        );
    }
    let (d, m) = rate(n, bytes, single_time);
    println!(
        "| all per-document stages, 1 thread | {:.2} | {d:.0} | {m:.3} | {:.0} |",
        single_time.as_secs_f64(),
        words as f64 / single_time.as_secs_f64()
    );
    let (d, m) = rate(n, bytes, par_time);
    println!(
        "| all per-document stages, {threads} threads | {:.2} | {d:.0} | {m:.3} | {:.0} |",
        par_time.as_secs_f64(),
        words as f64 / par_time.as_secs_f64()
    );
    let (d, m) = rate(n, bytes, cross);
    println!(
        "| cross-document (link, events, merge) | {:.2} | {d:.0} | {m:.3} | {:.0} |",
        cross.as_secs_f64(),
        words as f64 / cross.as_secs_f64()
    );
    println!();
    println!(
        "output: {tokens} tokens, {} entities, {} events",
        timeline.entities.len(),
        timeline.events.len()
    );
}
