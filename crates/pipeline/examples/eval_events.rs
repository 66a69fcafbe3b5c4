//! Measures and diagnoses event extraction and merging with the real
//! pipeline (Rust spaCy, temporal tagger, gazetteer, entity linker, event
//! stage, merger), the same chain `eventline eval` runs.
//!
//! ```text
//! cargo run --release -p eventline-resolve --example eval_events -- ecbplus [--diag N] [--stories] [--fresh]
//! cargo run --release -p eventline-resolve --example eval_events -- meantime [--fresh]
//! cargo run --release -p eventline-resolve --example eval_events -- plover [--verbose]
//! ```
//! The per-document analyses (spaCy, time expressions, gazetteer) are cached
//! as JSON under `$TMPDIR/eventline-eval-events/` so that iterating on the
//! cross-document steps does not rerun spaCy; `--fresh` rebuilds the cache.
//!
//! `ecbplus --stories` scores the story clustering of
//! `resolve::events::stories` alone (pairwise against the sub-topics, over a
//! range of thresholds) and lists the clusters that mix sub-topics;
//! `EVENTLINE_STORY_{LEAD,ENT,TIME,THRESHOLD,SPLIT}` override its weights.
//!
//! `ecbplus --diag N` prints, for the N largest sub-topics, each article's
//! lead events and which merged events link it to the others, then the
//! predicted pairs that cross topics or sub-topics, to study why pairs fail.
//! The topic labels are read only here, for scoring and diagnosis.

use model::{Document, Entity, Event, EventType};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

fn analyzer() -> pipeline::Analyzer {
    pipeline::Analyzer::load(None).expect("the bundled spaCy model")
}

/// Runs the per-document stages, or reads their cached result.
fn analysed(name: &str, mut docs: Vec<Document>, fresh: bool) -> Vec<Document> {
    let dir = std::env::temp_dir().join("eventline-eval-events");
    let path = dir.join(format!("{name}.json"));
    if !fresh
        && let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(cached) = serde_json::from_str::<Vec<Document>>(&text)
        && cached.len() == docs.len()
    {
        return cached;
    }
    let a = analyzer();
    for d in docs.iter_mut() {
        a.analyze(d).expect("analysis");
    }
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(&path, serde_json::to_string(&docs).expect("json")).ok();
    docs
}

/// The cross-document step, as every caller runs it (`pipeline::crossdoc`).
fn cross_document(docs: &mut [Document]) -> (Vec<Entity>, Vec<Event>) {
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let def = resolve::events::stories::Params::default();
    let num = |k: &str, d: f64| -> f64 {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    // EVENTLINE_STORY_{LEAD,ENT,TIME,THRESHOLD,SPLIT} override the story clustering defaults (tuning)
    let params = resolve::events::stories::Params {
        lead_weight: num("EVENTLINE_STORY_LEAD", def.lead_weight),
        entity_weight: num("EVENTLINE_STORY_ENT", def.entity_weight),
        time_weight: num("EVENTLINE_STORY_TIME", def.time_weight),
        threshold: num("EVENTLINE_STORY_THRESHOLD", def.threshold),
        split_threshold: num("EVENTLINE_STORY_SPLIT", def.split_threshold),
    };
    let t = pipeline::crossdoc::build_timeline_with(docs, &params);
    (t.entities, t.events)
}

fn describe(d: &Document, m: &model::EventMention, names: &BTreeMap<String, String>) -> String {
    let arg = |a: &model::Argument| {
        let id = a
            .mention
            .and_then(|k| d.layers.entities.get(k as usize))
            .and_then(|e| e.entity.clone());
        match id {
            Some(id) => format!("{}={}", names.get(&id).cloned().unwrap_or(id.clone()), id),
            None => format!("'{}'", d.span_text(a.span)),
        }
    };
    format!(
        "{}:{:?}/{} {:?} A[{}] R[{}] P[{}] {}",
        d.span_text(m.trigger),
        m.kind,
        m.mode.as_deref().unwrap_or("-"),
        m.status,
        m.actors.iter().map(arg).collect::<Vec<_>>().join(","),
        m.recipients.iter().map(arg).collect::<Vec<_>>().join(","),
        m.place.as_ref().map(arg).unwrap_or_default(),
        m.date.as_deref().unwrap_or("-"),
    )
}

fn ecbplus(args: &[String]) {
    let fresh = args.iter().any(|a| a == "--fresh");
    let diag: usize = args
        .iter()
        .position(|a| a == "--diag")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let dir = data().join("ecbplus-dev");
    let articles = eval::ecbplus::read_corpus(&dir).expect("ECB+ corpus");
    let docs: Vec<Document> = articles.iter().map(|a| a.doc.clone()).collect();
    let mut docs = analysed("ecbplus", docs, fresh);
    let t0 = std::time::Instant::now();
    let (entities, events) = cross_document(&mut docs);
    eprintln!("cross-document step: {:.2?}", t0.elapsed());
    let s = eval::ecbplus::score(&articles, &events);
    println!("{s}");
    if args.iter().any(|a| a == "--stories") {
        stories(&articles, &docs);
    }
    if diag == 0 {
        return;
    }
    let names: BTreeMap<String, String> = entities
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let by_id: BTreeMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let label: BTreeMap<&str, (u32, eval::ecbplus::SubTopic)> = articles
        .iter()
        .map(|a| (a.doc.id.as_str(), (a.topic, a.sub)))
        .collect();
    // events linking each document
    let mut doc_events: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in &events {
        if e.kind == EventType::Other && e.mode.as_deref() == Some("statement") {
            continue;
        }
        let ds: BTreeSet<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
        if ds.len() > 1 {
            for d in ds {
                doc_events.entry(d).or_default().push(e);
            }
        }
    }
    let mut groups: BTreeMap<(u32, eval::ecbplus::SubTopic), Vec<&str>> = BTreeMap::new();
    for (id, l) in &label {
        groups.entry(*l).or_default().push(id);
    }
    let mut order: Vec<_> = groups.iter().collect();
    order.sort_by_key(|(k, v)| (std::cmp::Reverse(v.len()), **k));
    for (k, ids) in order.into_iter().take(diag) {
        println!("\n=== topic {} {:?} ({} articles)", k.0, k.1, ids.len());
        for id in ids {
            let d = &docs[by_id[id]];
            let lead: String = d
                .layers
                .sentences
                .iter()
                .take(3)
                .map(|s| d.span_text(s.span))
                .collect::<Vec<_>>()
                .join(" | ");
            println!("-- {id}: {}", lead.chars().take(200).collect::<String>());
            for m in d.layers.events.iter().filter(|m| m.sentence < 3) {
                println!("     s{} {}", m.sentence, describe(d, m, &names));
            }
            for e in doc_events.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                let others: BTreeSet<String> = e
                    .sources
                    .iter()
                    .filter(|s| s.doc != *id)
                    .map(|s| {
                        let (t, sub) = label[s.doc.as_str()];
                        format!("{t}{}", if sub == k.1 { "" } else { "+" })
                    })
                    .collect();
                println!(
                    "     linked by {} [{}] {:?}/{:?} with {:?}",
                    e.id,
                    e.headline,
                    e.kind,
                    e.mode,
                    others.into_iter().collect::<Vec<_>>()
                );
            }
        }
    }
    println!("\n=== wrong links");
    for e in &events {
        if e.kind == EventType::Other && e.mode.as_deref() == Some("statement") {
            continue;
        }
        let ls: BTreeSet<(u32, eval::ecbplus::SubTopic)> = e
            .sources
            .iter()
            .filter_map(|s| label.get(s.doc.as_str()).copied())
            .collect();
        if ls.len() > 1 {
            println!("{} {:?}/{:?} {} {:?}", e.id, e.kind, e.mode, e.headline, ls);
            for s in &e.sources {
                println!(
                    "   {} [{}] {}",
                    s.doc,
                    s.trigger,
                    s.sentence.chars().take(160).collect::<String>()
                );
            }
        }
    }
}

/// Pairwise precision and recall of the document clustering
/// (`resolve::events::stories`) against the gold sub-topics, for a range
/// of thresholds.
fn stories(articles: &[eval::ecbplus::EcbDoc], docs: &[Document]) {
    let label: BTreeMap<&str, (u32, eval::ecbplus::SubTopic)> = articles
        .iter()
        .map(|a| (a.doc.id.as_str(), (a.topic, a.sub)))
        .collect();
    let gold: Vec<(u32, eval::ecbplus::SubTopic)> =
        docs.iter().map(|d| label[d.id.as_str()]).collect();
    let num = |k: &str, d: f64| -> f64 {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let def = resolve::events::stories::Params::default();
    let params = resolve::events::stories::Params {
        lead_weight: num("EVENTLINE_STORY_LEAD", def.lead_weight),
        entity_weight: num("EVENTLINE_STORY_ENT", def.entity_weight),
        time_weight: num("EVENTLINE_STORY_TIME", def.time_weight),
        threshold: def.threshold,
        split_threshold: num("EVENTLINE_STORY_SPLIT", def.split_threshold),
    };
    let sims = resolve::events::stories::similarities(docs, &params);
    println!("stories: {} candidate pairs with {params:?}", sims.len());
    let pair_floor = num("PAIR_FLOOR", 0.0);
    {
        let c = resolve::events::stories::cluster_documents_with(docs, &params);
        let (mut tp, mut pred, mut g) = (0usize, 0usize, 0usize);
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let same = gold[i] == gold[j];
                g += usize::from(same);
                if c[i] == c[j] {
                    pred += 1;
                    tp += usize::from(same);
                }
            }
        }
        let (p, r) = (tp as f64 / pred.max(1) as f64, tp as f64 / g.max(1) as f64);
        println!(
            "  story clusters as merged: P {p:.3} R {r:.3} F1 {:.3}",
            2.0 * p * r / (p + r).max(1e-9)
        );
        let mut comp: BTreeMap<usize, BTreeMap<String, usize>> = BTreeMap::new();
        for (i, &k) in c.iter().enumerate() {
            let (t, sub) = gold[i];
            let l = format!(
                "{t}{}",
                if sub == eval::ecbplus::SubTopic::Ecb {
                    ""
                } else {
                    "+"
                }
            );
            *comp.entry(k).or_default().entry(l).or_default() += 1;
        }
        // how each sub-topic is split across story clusters
        let mut split: BTreeMap<(u32, bool), BTreeMap<usize, usize>> = BTreeMap::new();
        for (i, &k) in c.iter().enumerate() {
            let (t, sub) = gold[i];
            *split
                .entry((t, sub == eval::ecbplus::SubTopic::Ecb))
                .or_default()
                .entry(k)
                .or_default() += 1;
        }
        for ((t, ecb), m) in split.iter().filter(|(_, m)| m.len() > 1) {
            let mut sizes: Vec<usize> = m.values().copied().collect();
            sizes.sort_unstable_by(|a, b| b.cmp(a));
            println!(
                "  split sub-topic {t}{}: {sizes:?}",
                if *ecb { "" } else { "+" }
            );
        }
        for (k, m) in comp.iter().filter(|(_, m)| m.len() > 1) {
            println!("  mixed story {k}: {m:?}");
        }
    }
    for t in [0.1, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3, 0.35] {
        let c = resolve::events::stories::cluster_with(docs.len(), &sims, t);
        let c = |i: usize, j: usize| {
            c[i] == c[j] && sims.get(&(i, j)).copied().unwrap_or(0.0) >= pair_floor
        };
        let (mut tp, mut pred, mut g, mut cross) = (0usize, 0usize, 0usize, 0usize);
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let same = gold[i] == gold[j];
                g += usize::from(same);
                if c(i, j) {
                    pred += 1;
                    tp += usize::from(same);
                    cross += usize::from(gold[i].0 != gold[j].0);
                }
            }
        }
        let p = tp as f64 / pred.max(1) as f64;
        let r = tp as f64 / g.max(1) as f64;
        println!(
            "  threshold {t:.2}: P {p:.3} R {r:.3} F1 {:.3} crossing topics {:.2}%",
            2.0 * p * r / (p + r).max(1e-9),
            100.0 * cross as f64 / pred.max(1) as f64
        );
    }
}

fn meantime(args: &[String]) {
    let fresh = args.iter().any(|a| a == "--fresh");
    let dir = data().join("meantime/intra_cross-doc_annotation");
    let s = eval::meantime_events::evaluate_events(&dir, &|docs: &mut [Document]| {
        let analysed = analysed("meantime", docs.to_vec(), fresh);
        docs.clone_from_slice(&analysed);
        cross_document(docs).1
    })
    .expect("MEANTIME corpus");
    println!("{s}");
}

fn plover(args: &[String]) {
    let verbose = args.iter().any(|a| a == "--verbose");
    let gsr = data().join("plover-gsr/PLOVER_GSR_CAMEO.dev.json");
    let a = analyzer();
    let s = eval::plover::evaluate(&gsr, &|r| {
        let mut d = Document::new(r.id.clone(), r.text.clone());
        a.analyze(&mut d).ok()?;
        let sentence = d.layers.events.iter().map(|m| m.sentence as usize).min()?;
        let t =
            nlp::events::main_event(&d, &d.layers.events, sentence).map(nlp::events::plover_type);
        if verbose && t != Some(r.gold) {
            eprintln!("{} gold {:?} got {:?}: {}", r.id, r.gold, t, r.text);
        }
        t
    })
    .expect("PLOVER gold file");
    println!("{s}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ecbplus") => ecbplus(&args[1..]),
        Some("meantime") => meantime(&args[1..]),
        Some("plover") => plover(&args[1..]),
        _ => eprintln!(
            "usage: eval_events ecbplus [--diag N] [--fresh] | meantime [--fresh] | plover [--verbose]"
        ),
    }
}
