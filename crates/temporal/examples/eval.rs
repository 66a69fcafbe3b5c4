//! Scores the temporal tagger on TimeML or MEANTIME gold data (TempEval-3 scoring).
//!
//! ```text
//! cargo run --release -p eventline-temporal --example eval -- /work/shared/data/tempeval3-train
//! cargo run --release -p eventline-temporal --example eval -- --meantime /work/shared/data/meantime/intra-doc_annotation
//! cargo run --release -p eventline-temporal --example eval -- --cv /work/shared/data
//! ```
//! `--cv ROOT` runs the cross-validation protocol of `eval::timex_cv` over the
//! data root (fold A: fit on TimeBank, score AQUAINT and MEANTIME; fold B: the
//! reverse) with the spaCy port first, as the pipeline runs; add
//! `--fit-diffs A` (or `B`) to print the disagreements of that fold's *fit*
//! half only (extent-only ones included), the errors a rule change may be
//! guided by.
//!
//! Otherwise: add `--diffs` to print every disagreement (missed, spurious, wrong value/type, extent).
//! Add `--by-text` to list, per system expression text, how many of its
//! occurrences overlap no gold TIMEX3. Add `--spacy` to run the spaCy port first (tokens with Penn tags and heads,
//! parse-based sentences), as the `eventline eval timeml` command does; the
//! default runs the tagger alone (word cues for tense, punctuation sentences).

use eval::timeml::{DiffKind, TimexDiff, TimexDoc, read_meantime_dir, read_timeml_dir, score_docs};
use eval::timex_cv::{Fold, PartScores, read_parts};
use model::{ByteSpan, Document, Stage, Token};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use temporal::TimexTagger;

/// The bundled spaCy model, relative to this crate.
const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_core_web_sm-3.8.0"
);

/// Sentences and tokens of each document text, from the spaCy port.
fn analyse(docs: &[TimexDoc]) -> BTreeMap<String, (Vec<ByteSpan>, Vec<Token>)> {
    let stage = nlp::spacy_stage::SpacyStage::load(Path::new(MODEL)).unwrap_or_else(|e| {
        eprintln!("error: loading {MODEL}: {e}");
        std::process::exit(1);
    });
    let half = docs.len().div_ceil(2).max(1);
    let mut out = BTreeMap::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .chunks(half)
            .map(|chunk| {
                let stage = &stage;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|d| {
                            let mut doc = Document::new("eval", d.text.clone());
                            if let Err(e) = stage.run(&mut doc) {
                                eprintln!("warning: {}: {e}", d.id);
                            }
                            let sents = doc.layers.sentences.iter().map(|x| x.span).collect();
                            (d.text.clone(), (sents, doc.layers.tokens))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            out.extend(h.join().expect("analysis thread"));
        }
    });
    out
}

fn main() {
    let mut meantime = false;
    let mut diffs = false;
    let mut spacy = false;
    let mut by_text = false;
    let mut dir = None;
    let mut cv = false;
    let mut fit_diffs = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cv" => cv = true,
            "--fit-diffs" => {
                fit_diffs = args.next().as_deref().and_then(Fold::named);
                if fit_diffs.is_none() {
                    eprintln!("--fit-diffs takes a fold name: A or B");
                    std::process::exit(2);
                }
            }
            "--meantime" => meantime = true,
            "--diffs" => diffs = true,
            "--spacy" => spacy = true,
            "--by-text" => by_text = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "usage: eval [--meantime] [--diffs] [--spacy] [--by-text] DIR\n       eval --cv [--fit-diffs A|B] DATA_ROOT"
        );
        std::process::exit(2);
    };
    if cv {
        cross_validate(&dir, fit_diffs);
        return;
    }
    let docs = if meantime {
        read_meantime_dir(&dir)
    } else {
        read_timeml_dir(&dir)
    };
    let docs = match docs {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let analysed = if spacy {
        analyse(&docs)
    } else {
        BTreeMap::new()
    };
    let tagger = TimexTagger::new();
    let tag = |text: &str, dct| match analysed.get(text) {
        Some((sents, toks)) => tagger.tag(text, sents, toks, dct),
        None => tagger.tag(text, &[], &[], dct),
    };
    let t = std::time::Instant::now();
    let scores = score_docs(&docs, &tag);
    if diffs {
        print_diffs(&scores.diffs, false);
    }
    if by_text {
        // precision per system expression text: (spurious, total)
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for d in &docs {
            for t in tag(&d.text, d.dct) {
                if d.annotated_until
                    .is_some_and(|u| t.span.start as usize >= u)
                {
                    continue;
                }
                let e = counts
                    .entry(d.text[t.span.range()].to_lowercase())
                    .or_default();
                e.1 += 1;
                if !d.timexes.iter().any(|g| g.span.overlaps(t.span)) {
                    e.0 += 1;
                }
            }
        }
        let mut v: Vec<_> = counts.into_iter().filter(|(_, (s, _))| *s > 0).collect();
        v.sort_by_key(|(_, (s, n))| std::cmp::Reverse(2 * s - n.min(&(2 * s)).to_owned()));
        for (text, (sp, n)) in v {
            println!("by-text\t{sp}/{n}\t{text}");
        }
    }
    println!("{scores}");
    eprintln!("({:.2?})", t.elapsed());
}

/// Prints disagreements, grouped by kind (extent-only ones only when asked).
fn print_diffs(diffs: &[TimexDiff], extents: bool) {
    let mut d = diffs.to_vec();
    d.sort_by_key(|x| x.kind);
    for x in &d {
        if x.kind == DiffKind::Extent && !extents {
            continue;
        }
        println!(
            "{:?}\t{}\tgold={:?}\tsys={:?}\t| {}",
            x.kind, x.doc, x.gold, x.system, x.context
        );
    }
}

/// The cross-validation protocol over a data root, with the spaCy port
/// first (as the pipeline runs); optionally the fit half's disagreements.
fn cross_validate(root: &Path, fit_diffs: Option<&Fold>) {
    let data = read_parts(root).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1);
    });
    let all: Vec<TimexDoc> = data.iter().flat_map(|(_, d)| d.iter().cloned()).collect();
    let analysed = analyse(&all);
    let tagger = TimexTagger::new();
    let tag = |text: &str, dct| match analysed.get(text) {
        Some((sents, toks)) => tagger.tag(text, sents, toks, dct),
        None => tagger.tag(text, &[], &[], dct),
    };
    let scores = PartScores::score(&data, &tag);
    if let Some(fold) = fit_diffs {
        print_diffs(&scores.pooled(fold.fit).diffs, true);
    }
    print!("{}", scores.report());
}
