//! Store throughput on synthetic documents with every layer.
//!
//! ```text
//! cargo run --release -p eventline-store --example bench -- [DOCS] [SENTENCES_PER_DOC] [BATCH]
//! ```
//! Defaults: 2000 documents of 20 sentences, batches of 200. Prints documents per
//! second for a first ingest, an unchanged re-ingest, a changed re-ingest, and a
//! full read-back, and checks the row counts so a fast wrong answer cannot pass.
//! Set `BENCH_DIR=DIR` to keep `DIR/bench.db` afterwards.

#[path = "../tests/it/fixtures.rs"]
mod fixtures;

use std::time::Instant;
use store::Store;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| {
        a.parse::<usize>()
            .unwrap_or_else(|_| panic!("not a number: {a}"))
    });
    let n = args.next().unwrap_or(2000);
    let sentences = args.next().unwrap_or(20);
    let batch = args.next().unwrap_or(200).max(1);

    let docs: Vec<_> = (0..n)
        .map(|i| fixtures::synthetic_doc(i, sentences))
        .collect();
    let tokens: usize = docs.iter().map(|d| d.layers.tokens.len()).sum();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let rows_per_doc = docs
        .first()
        .map(|d| {
            let l = &d.layers;
            1 + l.sentences.len()
                + l.tokens.len()
                + l.entities.len()
                + l.timexes.len()
                + l.events.len()
                + l.events
                    .iter()
                    .map(|e| e.actors.len() + e.recipients.len() + e.place.iter().len())
                    .sum::<usize>()
        })
        .unwrap_or(0);
    println!(
        "{n} documents x {sentences} sentences ({tokens} tokens, {} KiB of text, ~{rows_per_doc} rows/doc), batches of {batch}",
        bytes / 1024
    );

    let dir = tempfile::tempdir().expect("temp dir");
    // BENCH_DIR keeps the database for inspection (e.g. with sqlite3's dbstat).
    let dir_path = std::env::var_os("BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let path = dir_path.join("bench.db");
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).expect("open");

    let report = |what: &str, secs: f64| {
        println!(
            "{what:<28} {secs:>8.3} s  {:>10.0} docs/s  {:>12.0} rows/s",
            n as f64 / secs,
            (n * rows_per_doc) as f64 / secs
        );
    };

    let t = Instant::now();
    let mut inserted = 0;
    for chunk in docs.chunks(batch) {
        inserted += store
            .upsert_documents(chunk)
            .expect("upsert")
            .inserted
            .len();
    }
    report("first ingest", t.elapsed().as_secs_f64());
    assert_eq!(inserted, n);

    let t = Instant::now();
    let mut unchanged = 0;
    for chunk in docs.chunks(batch) {
        unchanged += store
            .upsert_documents(chunk)
            .expect("upsert")
            .unchanged
            .len();
    }
    report("unchanged re-ingest", t.elapsed().as_secs_f64());
    assert_eq!(unchanged, n);

    let changed: Vec<_> = docs
        .iter()
        .cloned()
        .map(|mut d| {
            d.meta.title = Some("changed".into());
            d
        })
        .collect();
    let t = Instant::now();
    let mut updated = 0;
    for chunk in changed.chunks(batch) {
        updated += store.upsert_documents(chunk).expect("upsert").updated.len();
    }
    report("changed re-ingest", t.elapsed().as_secs_f64());
    assert_eq!(updated, n);

    let t = Instant::now();
    let mut back = Vec::with_capacity(n);
    store
        .for_each_document(true, |d| {
            back.push(d);
            Ok::<(), store::StoreError>(())
        })
        .expect("read");
    report("stream all documents", t.elapsed().as_secs_f64());
    assert_eq!(back.len(), n);
    assert!(back == changed, "read-back differs from what was stored");

    let stats = store.stats().expect("stats");
    assert_eq!(stats.documents as usize, n);
    assert_eq!(
        back.iter().map(|d| d.layers.tokens.len()).sum::<usize>(),
        tokens
    );
    drop(store);
    let size: u64 = ["bench.db", "bench.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir_path.join(f)).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "database size {:.1} MiB ({:.1} KiB/doc)",
        size as f64 / (1024.0 * 1024.0),
        size as f64 / 1024.0 / n as f64
    );
}
