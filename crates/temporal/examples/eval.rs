//! Scores the temporal tagger on TimeML or MEANTIME gold data (TempEval-3 scoring).
//!
//! ```text
//! cargo run --release -p eventline-temporal --example eval -- /work/shared/data/tempeval3-train
//! cargo run --release -p eventline-temporal --example eval -- --meantime /work/shared/data/meantime/intra-doc_annotation
//! ```
//! Add `--diffs` to print every disagreement (missed, spurious, wrong value/type, extent).

use eval::timeml::{DiffKind, evaluate_meantime_dir, evaluate_timeml_dir};
use std::path::PathBuf;
use temporal::TimexTagger;

fn main() {
    let mut meantime = false;
    let mut diffs = false;
    let mut dir = None;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--meantime" => meantime = true,
            "--diffs" => diffs = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval [--meantime] [--diffs] DIR");
        std::process::exit(2);
    };
    let tagger = TimexTagger::new();
    let tag = |text: &str, dct| tagger.tag(text, &[], &[], dct);
    let t = std::time::Instant::now();
    let scores = if meantime {
        evaluate_meantime_dir(&dir, &tag)
    } else {
        evaluate_timeml_dir(&dir, &tag)
    };
    let scores = match scores {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    if diffs {
        let mut d = scores.diffs.clone();
        d.sort_by_key(|x| x.kind);
        for x in &d {
            if x.kind == DiffKind::Extent {
                continue;
            }
            println!(
                "{:?}\t{}\tgold={:?}\tsys={:?}\t| {}",
                x.kind, x.doc, x.gold, x.system, x.context
            );
        }
    }
    println!("{scores}");
    eprintln!("({:.2?})", t.elapsed());
}
