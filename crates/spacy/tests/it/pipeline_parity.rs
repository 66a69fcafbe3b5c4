//! Parity of the whole Rust pipeline with the real spaCy 3.8 on the
//! committed MEANTIME goldens (written by `scripts/spacy_golden.py`).

use std::path::{Path, PathBuf};

use spacy::pipeline::parity::{ParityCounts, f1, golden_text, pct};
use spacy::pipeline::{Analysis, Components, SpacyPipeline};

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_core_web_sm-3.8.0"
);
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/meantime");

fn goldens() -> Vec<serde_json::Value> {
    let dir = Path::new(GOLDEN);
    assert!(
        Path::new(MODEL).join("config.cfg").is_file(),
        "the bundled model {MODEL} is missing"
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| {
            panic!("{GOLDEN} (committed; regenerate with scripts/spacy_golden.py): {e}")
        })
        .map(|e| e.expect("golden directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden documents in {GOLDEN}");
    files
        .iter()
        .map(|f| {
            serde_json::from_str(&std::fs::read_to_string(f).expect("read golden"))
                .expect("golden JSON")
        })
        .collect()
}

#[test]
fn meantime_full_pipeline_matches_spacy() {
    let docs = goldens();
    let pipe = SpacyPipeline::load(Path::new(MODEL)).expect("load pipeline");
    let mut counts = ParityCounts::default();
    for gold in &docs {
        let text = golden_text(gold).expect("golden text");
        let pred = pipe.analyze(text);
        for t in &pred.tokens {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        counts.add(gold, &pred);
    }
    eprintln!("{}", counts.table());
    assert!(counts.docs >= 100, "expected the MEANTIME goldens");
    assert_eq!(counts.tokens_pct(), 100.0, "token boundaries");
    assert!(pct(counts.tags_same, counts.gold_tokens) >= 99.5, "tags");
    assert!(pct(counts.heads_same, counts.gold_tokens) >= 99.0, "heads");
    assert!(pct(counts.deps_same, counts.gold_tokens) >= 99.0, "deps");
    assert!(
        f1(counts.ents_same, counts.gold_ents, counts.pred_ents) >= 99.5,
        "entities"
    );
    assert!(
        f1(counts.sents_same, counts.gold_sents, counts.pred_sents) >= 99.0,
        "sentences"
    );
}

#[test]
fn ner_only_keeps_entities_and_skips_the_rest() {
    let docs = goldens();
    let pipe = SpacyPipeline::load(Path::new(MODEL)).expect("load pipeline");
    let (mut same, mut gold_n, mut pred_n) = (0, 0, 0);
    for gold in docs.iter().take(30) {
        let text = golden_text(gold).expect("golden text");
        let full = pipe.analyze(text);
        let ner = pipe.analyze_with(text, Components::NER_ONLY);
        assert_eq!(ner.tokens.len(), full.tokens.len());
        assert!(
            ner.tokens
                .iter()
                .all(|t| t.tag.is_empty() && t.dep.is_empty())
        );
        assert_eq!(ner.sentences.len(), usize::from(!ner.tokens.is_empty()));
        gold_n += full.entities.len();
        pred_n += ner.entities.len();
        same += ner
            .entities
            .iter()
            .filter(|e| full.entities.contains(e))
            .count();
    }
    // Without the parser the NER does not see sentence starts, so a few
    // entities may differ; nearly all must agree.
    assert!(
        f1(same, gold_n, pred_n) >= 97.0,
        "NER-only vs full: {same}/{gold_n}/{pred_n}"
    );
}

#[test]
fn empty_and_whitespace_texts() {
    let pipe = SpacyPipeline::load(Path::new(MODEL)).expect("load pipeline");
    assert_eq!(pipe.analyze(""), Analysis::default());
    let a = pipe.analyze("  \n ");
    assert!(a.entities.is_empty());
    let a = pipe.analyze("Barack Obama visited Paris on Monday.");
    let ents: Vec<(&str, &str)> = a
        .entities
        .iter()
        .map(|(s, e, l)| (&"Barack Obama visited Paris on Monday."[*s..*e], l.as_str()))
        .collect();
    assert_eq!(
        ents,
        [
            ("Barack Obama", "PERSON"),
            ("Paris", "GPE"),
            ("Monday", "DATE")
        ]
    );
    assert_eq!(a.tokens[2].lemma, "visit");
    assert_eq!(a.tokens[2].dep, "ROOT");
}

#[test]
fn pipeline_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SpacyPipeline>();
}
