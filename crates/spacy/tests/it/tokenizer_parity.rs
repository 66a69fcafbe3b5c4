//! Parity with the real spaCy: token boundaries must be identical on every
//! golden document (`tests/golden/meantime/`, written by
//! `scripts/spacy_golden.py`).
//!
//! `SPACY_GOLDEN_DIR=/some/dir cargo test -p eventline-spacy --test
//! tokenizer_parity -- --ignored` runs the same check over another directory
//! of golden files (e.g. TempEval-3 or ECB+ goldens written to /tmp).

use std::path::{Path, PathBuf};

use spacy::lex::LexTables;
use spacy::tokenizer::Tokenizer;

fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0")
}

/// A golden document: its text and spaCy's token spans.
struct Golden {
    id: String,
    text: String,
    spans: Vec<(usize, usize)>,
    /// Per token, when the golden file has them: whitespace_, norm_, lower_,
    /// prefix_, suffix_, shape_.
    lex: Vec<Option<[String; 6]>>,
}

fn load_goldens(dir: &Path) -> Vec<Golden> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("golden dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).expect("read golden"))
                    .expect("golden JSON");
            let spans = v["layers"]["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| {
                    (
                        t["span"]["start"].as_u64().expect("start") as usize,
                        t["span"]["end"].as_u64().expect("end") as usize,
                    )
                })
                .collect();
            let lex = v["layers"]["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| {
                    let f = |k: &str| t[k].as_str().map(str::to_string);
                    Some([
                        f("ws")?,
                        f("norm")?,
                        f("lower")?,
                        f("prefix")?,
                        f("suffix")?,
                        f("shape")?,
                    ])
                })
                .collect();
            Golden {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                spans,
                lex,
            }
        })
        .collect()
}

/// Compares every document; returns (documents, identical documents, tokens)
/// and a description of the first differences.
fn compare(dir: &Path) -> (usize, usize, usize, Vec<String>) {
    let tok = Tokenizer::load(&model_dir()).expect("load tokenizer");
    let lex = LexTables::load(&model_dir()).expect("load lexeme tables");
    let docs = load_goldens(dir);
    let mut same = 0;
    let mut ntok = 0;
    let mut diffs = Vec::new();
    let mut nlex = 0;
    for d in &docs {
        let raw = tok.tokenize(&d.text);
        let ours: Vec<(usize, usize)> = raw.iter().map(|t| (t.start, t.end)).collect();
        ntok += d.spans.len();
        if ours == d.spans {
            same += 1;
            for (t, gold) in raw.iter().zip(&d.lex) {
                let Some(gold) = gold else { continue };
                nlex += 1;
                let word = &d.text[t.start..t.end];
                let a = lex.attrs(word, t.norm.as_deref());
                let ws = if t.space_after { " " } else { "" };
                let mine = [ws, &a.norm, &a.lower, &a.prefix, &a.suffix, &a.shape];
                if mine != gold.each_ref().map(String::as_str) && diffs.len() < 20 {
                    diffs.push(format!(
                        "{}: {word:?} ours {mine:?} vs spaCy {gold:?}",
                        d.id
                    ));
                }
            }
            continue;
        }
        let i = ours
            .iter()
            .zip(&d.spans)
            .take_while(|(a, b)| a == b)
            .count();
        let show = |v: &[(usize, usize)]| -> Vec<String> {
            v.iter()
                .skip(i.saturating_sub(1))
                .take(4)
                .map(|&(s, e)| format!("{:?}", &d.text[s..e]))
                .collect()
        };
        if diffs.len() < 20 {
            diffs.push(format!(
                "{}: ours {:?} vs spaCy {:?}",
                d.id,
                show(&ours),
                show(&d.spans)
            ));
        }
    }
    if nlex > 0 {
        eprintln!("lexical attributes compared on {nlex} tokens");
    }
    (docs.len(), same, ntok, diffs)
}

#[test]
fn meantime_token_boundaries_match_spacy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/meantime");
    assert!(
        dir.is_dir(),
        "{} is missing: it is committed (regenerate with scripts/spacy_golden.py)",
        dir.display()
    );
    let (n, same, ntok, diffs) = compare(&dir);
    eprintln!("{same}/{n} documents identical ({ntok} spaCy tokens)");
    assert!(n > 0, "no golden documents in {}", dir.display());
    assert!(
        diffs.is_empty(),
        "token boundaries differ:\n{}",
        diffs.join("\n")
    );
}

#[test]
#[ignore = "reads SPACY_GOLDEN_DIR; run by hand"]
fn golden_dir_token_boundaries_match_spacy() {
    let dir =
        std::env::var("SPACY_GOLDEN_DIR").expect("set SPACY_GOLDEN_DIR to a golden directory");
    let (n, same, ntok, diffs) = compare(Path::new(&dir));
    eprintln!("{same}/{n} documents identical ({ntok} spaCy tokens)");
    assert!(
        diffs.is_empty(),
        "token boundaries differ:\n{}",
        diffs.join("\n")
    );
}
