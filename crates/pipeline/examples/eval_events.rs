//! Measures and diagnoses event extraction and merging with the real
//! pipeline (Rust spaCy, temporal tagger, gazetteer, entity linker, event
//! stage, merger), the same chain `eventline eval` runs.
//!
//! ```text
//! cargo run --release -p eventline-pipeline --example eval_events -- ecbplus [--diag N] [--stories] [--fresh]
//! cargo run --release -p eventline-pipeline --example eval_events -- meantime [--fresh]
//! cargo run --release -p eventline-pipeline --example eval_events -- plover [--verbose]
//! ```
//! The per-document analyses (spaCy, time expressions, gazetteer) are cached
//! as JSON under `$TMPDIR/eventline-eval-events/` so that iterating on the
//! cross-document steps does not rerun spaCy; `--fresh` rebuilds the cache.
//!
//! `ecbplus --train-stories [--write]` fits the learned story model
//! (`resolve::events::stories::StoryModel`) two-fold by topic, prints the
//! held-out figures against word similarity alone, and with `--write` fits
//! it on all topics and writes `resolve/data/story_model.tsv`. With
//! `EVENTLINE_STORY_LEARNED` set, every `ecbplus` and `meantime` run
//! clusters stories with that bundled model instead of word similarity.
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
use resolve::events::stories::FEATURE_COUNT;
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
        // EVENTLINE_STORY_LEARNED: the bundled learned story model
        model: if std::env::var("EVENTLINE_STORY_LEARNED").is_ok() {
            Some(resolve::events::stories::StoryModel::bundled())
        } else {
            def.model
        },
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
    if args.iter().any(|a| a == "--train-stories") {
        train_stories(&articles, &docs, args.iter().any(|a| a == "--write"));
    }
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

/// Thresholds (average pair probability) the protocol chooses among, for
/// the first pass and for the second.
const JOIN_THRESHOLDS: [f64; 6] = [0.03, 0.05, 0.07, 0.1, 0.15, 0.2];
const SPLIT_THRESHOLDS: [f64; 6] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
/// Mean held-out precision the chosen thresholds must keep: a timeline
/// that merges two different happenings misleads its reader more than one
/// that tells one happening twice.
const MIN_PRECISION: f64 = 0.93;

/// The two-fold protocol of the learned story model: fit on ECB+ topics
/// 1-18 and score on 19-35, then the reverse, each half running the
/// cross-document step alone as an unseen corpus would; the thresholds are
/// those with the best mean held-out F1 that keep a mean held-out
/// precision of [`MIN_PRECISION`]. With `write`, the model is then
/// fit on all topics and written, with those thresholds, to
/// `resolve/data/story_model.tsv`.
fn train_stories(articles: &[eval::ecbplus::EcbDoc], docs: &[Document], write: bool) {
    use resolve::events::stories::{PairModel, StoryModel};
    let topic: BTreeMap<&str, u32> = articles
        .iter()
        .map(|a| (a.doc.id.as_str(), a.topic))
        .collect();
    let part = |keep: &dyn Fn(u32) -> bool| -> (Vec<eval::ecbplus::EcbDoc>, Vec<Document>) {
        let a = articles.iter().filter(|a| keep(a.topic)).cloned().collect();
        let d = docs
            .iter()
            .filter(|d| keep(topic[d.id.as_str()]))
            .cloned()
            .collect();
        (a, d)
    };
    let halves = [part(&|t| t <= 18), part(&|t| t > 18)];
    let words_only = resolve::events::stories::Params {
        model: None,
        ..Default::default()
    };
    let baseline = halves.each_ref().map(|(a, d)| {
        let mut d = d.clone();
        let t = pipeline::crossdoc::build_timeline_with(&mut d, &words_only);
        eval::ecbplus::score(a, &t.events)
    });
    let fit = |a: &[eval::ecbplus::EcbDoc], d: &[Document]| -> StoryModel {
        let ((jx, jy), (sx, sy)) = story_pairs(a, d);
        StoryModel {
            join: fit_logistic(&jx, &jy),
            split: fit_logistic(&sx, &sy),
        }
    };
    let fitted = halves.each_ref().map(|(a, d)| fit(a, d));
    let grid: Vec<(f64, f64)> = JOIN_THRESHOLDS
        .iter()
        .flat_map(|&j| SPLIT_THRESHOLDS.iter().map(move |&s| (j, s)))
        .collect();
    let with = |m: &StoryModel, (j, s): (f64, f64)| -> &'static StoryModel {
        Box::leak(Box::new(StoryModel {
            join: PairModel {
                threshold: j,
                ..m.join.clone()
            },
            split: PairModel {
                threshold: s,
                ..m.split.clone()
            },
        }))
    };
    // held-out scores: test[fold fit on][grid point]
    let mut test: Vec<Vec<eval::ecbplus::PairScores>> = vec![Vec::new(), Vec::new()];
    for (fit, held) in [(0usize, 1usize), (1, 0)] {
        for &g in &grid {
            let p = resolve::events::stories::Params {
                model: Some(with(&fitted[fit], g)),
                ..Default::default()
            };
            let (a, d) = &halves[held];
            let mut d = d.clone();
            let t = pipeline::crossdoc::build_timeline_with(&mut d, &p);
            test[fit].push(eval::ecbplus::score(a, &t.events));
        }
    }
    let names = ["1-18", "19-35"];
    for fit in 0..2 {
        println!("model fit on {}:\n{}", names[fit], fitted[fit].to_tsv());
    }
    for (k, g) in grid.iter().enumerate() {
        let (a, b) = (&test[0][k], &test[1][k]);
        println!(
            "  thresholds {:.2}/{:.2}: on 19-35 P {:.3} R {:.3} F1 {:.3} | on 1-18 P {:.3} R {:.3} F1 {:.3}",
            g.0,
            g.1,
            a.precision(),
            a.recall(),
            a.f1(),
            b.precision(),
            b.recall(),
            b.f1()
        );
    }
    // the best mean held-out F1 among the thresholds whose mean held-out
    // precision is at least MIN_PRECISION (any, if none is)
    let precise = |k: usize| test[0][k].precision() + test[1][k].precision() >= 2.0 * MIN_PRECISION;
    let best = (0..grid.len())
        .max_by(|&a, &b| {
            let m = |k: usize| test[0][k].f1() + test[1][k].f1();
            precise(a)
                .cmp(&precise(b))
                .then(m(a).total_cmp(&m(b)))
                .then(b.cmp(&a))
        })
        .expect("thresholds");
    println!("\nstory clustering, ECB+ article pairs sharing a merged event, two-fold by topic:");
    println!(
        "| scored on | words only (P / R / F1) | learned, thresholds {:.2}/{:.2} (P / R / F1) |",
        grid[best].0, grid[best].1
    );
    println!("|---|---|---|");
    for held in [1usize, 0] {
        let (b, l) = (&baseline[held], &test[1 - held][best]);
        println!(
            "| {} | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} |",
            names[held],
            b.precision(),
            b.recall(),
            b.f1(),
            l.precision(),
            l.recall(),
            l.f1()
        );
    }
    println!(
        "| mean | F1 {:.3} | F1 {:.3} |",
        (baseline[0].f1() + baseline[1].f1()) / 2.0,
        (test[0][best].f1() + test[1][best].f1()) / 2.0
    );
    if write {
        let (a, d) = part(&|_| true);
        let model = with(&fit(&a, &d), grid[best]);
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../resolve/data/story_model.tsv");
        let head = "# The learned story model (resolve::events::stories::StoryModel): per\n\
                    # pass, a logistic regression of \"two documents tell one story\" over\n\
                    # the pair features, fit on all ECB+ dev topics, and the average\n\
                    # probability at or above which clusters join, chosen by two-fold\n\
                    # cross-validation by topic (1-18, 19-35): the best mean held-out F1\n\
                    # with a mean held-out precision of at least 0.93. Made by:\n\
                    # cargo run -p eventline-pipeline --example eval_events -- ecbplus --train-stories --write\n";
        std::fs::write(&path, format!("{head}{}", model.to_tsv())).expect("write the model");
        println!("wrote {}", path.display());
    }
}

/// Pair features (`x`) and labels (`y`: same sub-topic) for training.
type Pairs = (Vec<[f64; FEATURE_COUNT]>, Vec<bool>);

/// The training pairs of a set of articles, after the cross-document step
/// has linked their entities: for the first pass every pair, with the
/// word weights of the whole set; for the second every pair within one
/// topic (a first-pass story, as gold tells it), with that topic's word
/// weights.
fn story_pairs(articles: &[eval::ecbplus::EcbDoc], docs: &[Document]) -> (Pairs, Pairs) {
    let label: BTreeMap<&str, (u32, eval::ecbplus::SubTopic)> = articles
        .iter()
        .map(|a| (a.doc.id.as_str(), (a.topic, a.sub)))
        .collect();
    let mut docs = docs.to_vec();
    pipeline::crossdoc::build_timeline(&mut docs);
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let join = pairs_of(&docs, &label);
    let mut topics: BTreeMap<u32, Vec<Document>> = BTreeMap::new();
    for d in &docs {
        topics
            .entry(label[d.id.as_str()].0)
            .or_default()
            .push(d.clone());
    }
    let (mut sx, mut sy) = (Vec::new(), Vec::new());
    for t in topics.values() {
        let (x, y) = pairs_of(t, &label);
        sx.extend(x);
        sy.extend(y);
    }
    (join, (sx, sy))
}

/// Every pair of `docs`, with the word weights of `docs`.
fn pairs_of(docs: &[Document], label: &BTreeMap<&str, (u32, eval::ecbplus::SubTopic)>) -> Pairs {
    use resolve::events::stories;
    // the word cosine: similarities without a model
    let p = stories::Params {
        model: None,
        ..Default::default()
    };
    let words = stories::similarities(docs, &p);
    let facts: Vec<stories::DocFacts> = docs.iter().map(stories::DocFacts::of).collect();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            let w = words.get(&(a, b)).copied().unwrap_or(0.0);
            x.push(stories::pair_features(w, &facts[a], &facts[b]));
            y.push(label[docs[a].id.as_str()] == label[docs[b].id.as_str()]);
        }
    }
    (x, y)
}

/// Logistic regression by Newton's method (iteratively reweighted least
/// squares) with a small L2 penalty on the weights: deterministic, and
/// exact for a handful of features. The threshold is left at 0.5.
fn fit_logistic(x: &[[f64; FEATURE_COUNT]], y: &[bool]) -> resolve::events::stories::PairModel {
    const K: usize = FEATURE_COUNT + 1;
    const L2: f64 = 1e-2;
    let mut beta = [0f64; K];
    let row = |f: &[f64; FEATURE_COUNT]| -> [f64; K] {
        let mut r = [1.0; K];
        r[1..].copy_from_slice(f);
        r
    };
    for _ in 0..50 {
        let mut grad = [0f64; K];
        let mut hess = [[0f64; K]; K];
        for (f, &t) in x.iter().zip(y) {
            let r = row(f);
            let z: f64 = r.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..K {
                grad[i] += (f64::from(u8::from(t)) - p) * r[i];
                for j in 0..K {
                    hess[i][j] += w * r[i] * r[j];
                }
            }
        }
        for i in 1..K {
            grad[i] -= L2 * beta[i];
            hess[i][i] += L2;
        }
        let step = solve(hess, grad);
        let mut change = 0f64;
        for i in 0..K {
            beta[i] += step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-9 {
            break;
        }
    }
    resolve::events::stories::PairModel {
        bias: beta[0],
        weights: beta[1..].try_into().expect("one weight per feature"),
        threshold: 0.5,
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const K: usize>(mut a: [[f64; K]; K], mut b: [f64; K]) -> [f64; K] {
    for c in 0..K {
        let p = (c..K)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .expect("rows");
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        let pivot = a[c];
        for r in c + 1..K {
            let f = a[r][c] / d;
            for (x, p) in a[r][c..].iter_mut().zip(&pivot[c..]) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0f64; K];
    for c in (0..K).rev() {
        let s: f64 = (c + 1..K).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
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
        model: def.model,
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
