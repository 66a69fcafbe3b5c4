//! Sentence-boundary accuracy of `nlp::segment::Segmenter` on MEANTIME and
//! ECB+ (read from `../shared/data`; shown as ignored, with the reason, when
//! it is absent: see the temporal crate's `build.rs`). The normal test
//! asserts a floor; the ignored one prints every figure:
//! `cargo test -p eventline-eval --test it sentence_accuracy -- --ignored --nocapture`.

use eval::sentences::{Layout, SentenceScores, evaluate_docs, read_corpus};
use model::ByteSpan;
use nlp::segment::Segmenter;
use std::path::Path;

const MEANTIME: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/meantime/intra-doc_annotation"
);
const ECBPLUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ecbplus-dev"
);

fn score(dir: &str, layout: Layout) -> SentenceScores {
    let seg = Segmenter::new();
    let split = |t: &str| -> Vec<ByteSpan> { seg.split(t) };
    let corpus = read_corpus(Path::new(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
    evaluate_docs(&corpus, layout, &split)
}

#[test]
#[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
fn meantime_sentence_boundaries_above_floor() {
    let flat = score(MEANTIME, Layout::Flat);
    let lines = score(MEANTIME, Layout::ArticleLines(2));
    eprintln!("MEANTIME flat: {flat}\nMEANTIME article lines: {lines}");
    assert_eq!(flat.docs, 120);
    assert!(lines.f1() >= 0.95, "{lines}");
    assert!(flat.precision() >= 0.95, "{flat}");
}

#[test]
#[ignore = "prints figures; run with --ignored --nocapture"]
fn print_sentence_accuracy() {
    for (name, dir, layout) in [
        ("MEANTIME flat", MEANTIME, Layout::Flat),
        (
            "MEANTIME headline+date lines",
            MEANTIME,
            Layout::ArticleLines(2),
        ),
        ("ECB+ flat", ECBPLUS, Layout::Flat),
    ] {
        println!("{name}: {}", score(dir, layout));
    }
}
