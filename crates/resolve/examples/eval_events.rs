//! Measures event extraction and merging on real spaCy analyses (goldens
//! written by `scripts/spacy_golden.py`), until the Rust spaCy port, the
//! temporal tagger and the entity linker are wired in.
//!
//! ```text
//! cargo run --release -p eventline-resolve --example eval_events -- plover GOLDEN_DIR [GSR.json]
//! cargo run --release -p eventline-resolve --example eval_events -- ecbplus GOLDEN_DIR [ECB_DIR]
//! cargo run --release -p eventline-resolve --example eval_events -- timeline GOLDEN_DIR [ID=YYYY-MM-DD ...]
//! ```
//! `plover`: GOLDEN_DIR holds one analysed document per PLOVER record, named
//! by record id (write each record's `text` to `<id>.txt`, then
//! `scripts/spacy_golden.py --text-dir TXT --out GOLDEN_DIR`).
//! `ecbplus`: GOLDEN_DIR holds `ecbplus_<stem>.json` (`--corpus ecbplus`).
//! Entity ids come from a stand-in linker (exact lowercase name, and a
//! surname matching a longer name in the same document); time expressions
//! from `temporal::TimexTagger` against the article date.

use model::{Document, Entity, EventMention, EventType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn load(path: &Path) -> Option<Document> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Stand-in for the entity linker: ids from exact lowercase names.
fn link(docs: &mut [Document]) -> Vec<Entity> {
    let mut ids: BTreeMap<String, (String, String, u32)> = BTreeMap::new(); // key -> (id, name, n)
    let norm = |s: &str| {
        let s = s
            .trim()
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_lowercase();
        s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
    };
    for d in docs.iter_mut() {
        let texts: Vec<(String, String)> = d
            .layers
            .entities
            .iter()
            .map(|e| (d.text[e.span.range()].to_string(), e.label.clone()))
            .collect();
        for (i, (text, label)) in texts.iter().enumerate() {
            let mut key = norm(text);
            if label == "PERSON" && !key.contains(' ') {
                if let Some((full, _)) = texts.iter().find(|(t, l)| {
                    l == "PERSON" && t.contains(' ') && norm(t).ends_with(&format!(" {key}"))
                }) {
                    key = norm(full);
                }
            }
            let n = ids.len();
            let e = ids
                .entry(key.clone())
                .or_insert_with(|| (format!("e{}", n + 1), text.clone(), 0));
            e.2 += 1;
            d.layers.entities[i].entity = Some(e.0.clone());
            let _ = label;
        }
    }
    let kinds: BTreeMap<String, String> = docs
        .iter()
        .flat_map(|d| d.layers.entities.iter())
        .filter_map(|e| Some((e.entity.clone()?, e.label.clone())))
        .collect();
    ids.into_values()
        .map(|(id, name, n)| Entity {
            kind: kinds.get(&id).cloned().unwrap_or_else(|| "OTHER".into()),
            aliases: vec![name.clone()],
            id,
            name,
            mentions: n,
            geo: None,
        })
        .collect()
}

/// Adds time expressions with the temporal tagger, then event mentions.
fn analyse(d: &mut Document) {
    let sents: Vec<model::ByteSpan> = d.layers.sentences.iter().map(|s| s.span).collect();
    d.layers.timexes =
        temporal::TimexTagger::new().tag(&d.text, &sents, &d.layers.tokens, d.meta.date);
    d.layers.events = nlp::events::extract(d);
}

fn main_type(doc: &Document, ms: &[EventMention]) -> Option<EventType> {
    let mut best: Option<&EventMention> = None;
    for s in 0..doc.layers.sentences.len() {
        if let Some(m) = nlp::events::main_event(doc, ms, s) {
            let better = match best {
                None => true,
                Some(b) => b.kind == EventType::Other && m.kind != EventType::Other,
            };
            if better {
                best = Some(m);
            }
        }
    }
    best.map(nlp::events::plover_type)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    match args.first().map(String::as_str) {
        Some("plover") => {
            let golden = PathBuf::from(&args[1]);
            let gsr = args
                .get(2)
                .map(PathBuf::from)
                .unwrap_or_else(|| data.join("plover-gsr/PLOVER_GSR_CAMEO.dev.json"));
            let verbose = std::env::var("VERBOSE").is_ok();
            let s = eval::plover::evaluate(&gsr, &|r| {
                let doc = load(&golden.join(format!("{}.json", r.id)))?;
                let ms = nlp::events::extract(&doc);
                let t = main_type(&doc, &ms);
                if verbose && t != Some(r.gold) {
                    eprintln!("{} gold {:?} got {:?}: {}", r.id, r.gold, t, r.text);
                }
                t
            })
            .expect("PLOVER gold file");
            println!("{s}");
        }
        Some("ecbplus") => {
            let golden = PathBuf::from(&args[1]);
            let dir = args
                .get(2)
                .map(PathBuf::from)
                .unwrap_or_else(|| data.join("ecbplus-dev"));
            let s = eval::ecbplus::evaluate(&dir, &|docs| {
                let mut kept = Vec::new();
                for d in docs.drain(..) {
                    if let Some(mut g) = load(&golden.join(format!("{}.json", d.id))) {
                        g.meta = d.meta.clone();
                        kept.push(g);
                    }
                }
                eprintln!("{} articles with goldens", kept.len());
                let ents = link(&mut kept);
                kept.iter_mut().for_each(analyse);
                let ev = resolve::events::merge(&kept, &ents);
                *docs = kept;
                ev
            })
            .expect("ECB+ corpus");
            println!("{s}");
        }
        Some("timeline") => {
            let golden = PathBuf::from(&args[1]);
            let mut docs: Vec<Document> = std::fs::read_dir(&golden)
                .expect("golden dir")
                .filter_map(|e| load(&e.ok()?.path()))
                .collect();
            docs.sort_by(|a, b| a.id.cmp(&b.id));
            // article dates as `id=YYYY-MM-DD` arguments
            for a in &args[2..] {
                if let Some((id, date)) = a.split_once('=')
                    && let Some(d) = docs.iter_mut().find(|d| d.id == id)
                {
                    d.meta.date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
                }
            }
            let ents = link(&mut docs);
            docs.iter_mut().for_each(analyse);
            for e in resolve::events::merge(&docs, &ents) {
                println!(
                    "{} {:?} {:?} {:?}/{:?} [{} sources] {}",
                    e.id,
                    e.date,
                    e.status,
                    e.kind,
                    e.mode,
                    e.sources.len(),
                    e.headline
                );
            }
        }
        _ => eprintln!("usage: eval_events plover|ecbplus|timeline GOLDEN_DIR [DATA]"),
    }
}
