//! Scores the tagger on the development corpora when they are present
//! (`../shared/data`, research use only, never copied into the repository)
//! and asserts the figures stay above floors just under what the rules reach.
//! Reproduce the full tables with
//! `cargo run --release -p eventline-temporal --example eval -- DIR`.

use eval::timeml::{TimexScores, evaluate_meantime_dir, evaluate_timeml_dir};
use std::path::Path;
use temporal::TimexTagger;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn check(name: &str, s: &TimexScores, relaxed_floor: f64, value_floor: f64) {
    eprintln!("{name}\n{s}");
    assert!(
        s.relaxed_f1() * 100.0 >= relaxed_floor,
        "{name}: relaxed F1 {:.2} fell below {relaxed_floor}",
        s.relaxed_f1() * 100.0
    );
    assert!(
        s.value_f1() * 100.0 >= value_floor,
        "{name}: value F1 {:.2} fell below {value_floor}",
        s.value_f1() * 100.0
    );
}

#[test]
fn tempeval3_train_stays_above_floor() {
    let dir = Path::new(DATA).join("tempeval3-train");
    if !dir.is_dir() {
        eprintln!("skipping: ../shared/data not found");
        return;
    }
    let tagger = TimexTagger::new();
    let s = evaluate_timeml_dir(&dir, &|t, d| tagger.tag(t, &[], &[], d)).expect("corpus reads");
    assert_eq!(s.gold, 1822, "TBAQ gold TIMEX3 count changed");
    check("TempEval-3 train (TBAQ)", &s, 94.0, 81.0);
}

#[test]
fn meantime_stays_above_floor() {
    let dir = Path::new(DATA).join("meantime/intra-doc_annotation");
    if !dir.is_dir() {
        eprintln!("skipping: ../shared/data not found");
        return;
    }
    let tagger = TimexTagger::new();
    let s = evaluate_meantime_dir(&dir, &|t, d| tagger.tag(t, &[], &[], d)).expect("corpus reads");
    assert_eq!(s.docs, 120);
    check("MEANTIME (annotated sentences)", &s, 94.0, 84.0);
}
