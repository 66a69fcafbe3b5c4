//! Scores the tagger on the development corpora when they are present
//! (`../shared/data`, research use only, never copied into the repository)
//! and asserts the figures stay above floors just under what the rules reach.
//! Without the data these tests show as ignored, with the reason (see
//! `build.rs`). Reproduce the full tables with
//! `cargo run --release -p eventline-temporal --example eval -- DIR`, and the
//! cross-validated one (with the spaCy port, as the pipeline runs) with
//! `cargo run --release -p eventline-temporal --example eval -- --cv ../shared/data`.

use eval::timeml::{TimexScores, evaluate_meantime_dir, evaluate_timeml_dir};
use eval::timex_cv::cross_validate;
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
#[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
fn tempeval3_train_stays_above_floor() {
    let dir = Path::new(DATA).join("tempeval3-train");
    let tagger = TimexTagger::new();
    let s = evaluate_timeml_dir(&dir, &|t, d| tagger.tag(t, &[], &[], d)).expect("corpus reads");
    assert_eq!(s.gold, 1822, "TBAQ gold TIMEX3 count changed");
    check("TempEval-3 train (TBAQ)", &s, 94.0, 81.0);
}

#[test]
#[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
fn meantime_stays_above_floor() {
    let dir = Path::new(DATA).join("meantime/intra-doc_annotation");
    let tagger = TimexTagger::new();
    let s = evaluate_meantime_dir(&dir, &|t, d| tagger.tag(t, &[], &[], d)).expect("corpus reads");
    assert_eq!(s.docs, 120);
    check("MEANTIME (annotated sentences)", &s, 94.0, 84.0);
}

/// The protocol's held-out halves, tagger alone (word cues for tense).
#[test]
#[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
fn cross_validated_halves_stay_above_floor() {
    let tagger = TimexTagger::new();
    let r =
        cross_validate(Path::new(DATA), &|t, d| tagger.tag(t, &[], &[], d)).expect("corpus reads");
    eprintln!("{r}");
    assert_eq!(
        r.folds[0].held_out.gold + r.folds[1].held_out.gold,
        1822 + 488
    );
    check("fold A held out", &r.folds[0].held_out, 94.0, 80.0);
    check("fold B held out", &r.folds[1].held_out, 94.0, 83.0);
    let mean = r.mean_value_f1() * 100.0;
    assert!(
        mean >= 81.5,
        "mean held-out value F1 {mean:.2} fell below 81.5"
    );
}
