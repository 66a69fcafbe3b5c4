//! Order independence: ingesting A then B, B then A, or A+B at once gives
//! the same store (ids included), equal to the from-scratch timeline; a
//! second ingest of the same input changes nothing.

use model::{Document, Timeline};
use pipeline::Analyzer;
use std::path::Path;
use store::Store;

/// The example articles, plus copies moved to another month and to an
/// undated window (so that several windows and a re-used family index are
/// exercised), analysed once.
fn corpus() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let mut docs: Vec<Document> = ingest::read_path(&dir, &ingest::IngestOptions::default())
        .into_iter()
        .map(|r| r.expect("example article reads"))
        .collect();
    assert_eq!(docs.len(), 3, "the three example articles");
    let mut extra = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let mut c = d.clone();
        c.id = format!("{}-later", d.id);
        c.meta.date = "2025-01-15".parse().ok();
        if i == 2 {
            c.meta.date = None;
        }
        extra.push(c);
    }
    docs.extend(extra);
    let analyzer = Analyzer::load(None).expect("bundled model");
    for d in &mut docs {
        analyzer.analyze(d).expect("analysis");
    }
    docs
}

fn ingest_batches(batches: &[Vec<Document>]) -> (Timeline, Vec<Document>) {
    let mut st = Store::open_in_memory().expect("store");
    for b in batches {
        pipeline::ingest(&mut st, b.clone()).expect("ingest");
    }
    snapshot(&st)
}

fn snapshot(st: &Store) -> (Timeline, Vec<Document>) {
    let mut docs = Vec::new();
    st.for_each_document(true, |d| {
        docs.push(d);
        Ok::<(), store::StoreError>(())
    })
    .expect("documents");
    (st.timeline().expect("timeline"), docs)
}

#[test]
fn any_order_or_batching_gives_the_same_store_as_from_scratch() {
    let all = corpus();
    let (a, b): (Vec<Document>, Vec<Document>) = all
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0)
        .into_iter_pair();
    let at_once = ingest_batches(std::slice::from_ref(&all));
    let a_then_b = ingest_batches(&[a.clone(), b.clone()]);
    let b_then_a = ingest_batches(&[b.clone(), a.clone()]);
    let one_by_one: Vec<Vec<Document>> = all.iter().rev().map(|d| vec![d.clone()]).collect();
    let singles = ingest_batches(&one_by_one);
    assert!(!at_once.0.events.is_empty());
    assert_eq!(at_once, a_then_b, "A+B vs A then B");
    assert_eq!(at_once, b_then_a, "A+B vs B then A");
    assert_eq!(at_once, singles, "A+B vs one document at a time");

    let mut scratch = all.clone();
    let mut t = pipeline::build_timeline(&mut scratch);
    t.entities.sort_by(|x, y| x.id.cmp(&y.id));
    let mut stored = at_once.0.clone();
    stored.framing.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(stored.entities, t.entities, "entities as from scratch");
    assert_eq!(stored.events, t.events, "events as from scratch");
    assert_eq!(stored.framing, t.framing, "framing as from scratch");
}

#[test]
fn a_second_ingest_of_the_same_input_changes_nothing() {
    let all = corpus();
    let mut st = Store::open_in_memory().expect("store");
    pipeline::ingest(&mut st, all.clone()).expect("first ingest");
    let before = snapshot(&st);
    let r = pipeline::ingest(&mut st, all.clone()).expect("second ingest");
    assert_eq!(r.unchanged.len(), all.len());
    assert!(r.windows.is_empty(), "nothing to resolve again");
    assert_eq!(snapshot(&st), before);
}

/// Splits enumerated items into two vectors of items.
trait IntoIterPair {
    fn into_iter_pair(self) -> (Vec<Document>, Vec<Document>);
}

impl IntoIterPair for (Vec<(usize, Document)>, Vec<(usize, Document)>) {
    fn into_iter_pair(self) -> (Vec<Document>, Vec<Document>) {
        (
            self.0.into_iter().map(|(_, d)| d).collect(),
            self.1.into_iter().map(|(_, d)| d).collect(),
        )
    }
}

#[test]
fn a_changed_document_replaces_what_it_contributed() {
    let all = corpus();
    let mut st = Store::open_in_memory().expect("store");
    pipeline::ingest(&mut st, all.clone()).expect("first ingest");
    // the first article comes back shortened and a month later
    let mut changed = all[0].clone();
    let cut = changed.text.find("\n\n").map_or(200, |i| i + 2);
    changed.text = changed.text[..cut].to_string() + "The talks ended without an agreement.\n";
    changed.content_hash = "changed".into();
    changed.meta.date = "2025-02-10".parse().ok();
    changed.layers = Default::default();
    Analyzer::load(None)
        .expect("model")
        .analyze(&mut changed)
        .expect("analysis");
    let r = pipeline::ingest(&mut st, vec![changed.clone()]).expect("second ingest");
    assert_eq!(r.updated, vec![changed.id.clone()]);
    let mut expected = all.clone();
    expected[0] = changed;
    assert_eq!(snapshot(&st), ingest_batches(&[expected]));
}

/// Documents as read, before analysis (the input of a streamed ingest).
fn unanalysed(all: &[Document]) -> Vec<Document> {
    all.iter()
        .map(|d| Document {
            layers: model::Layers::default(),
            ..d.clone()
        })
        .collect()
}

#[test]
fn a_streamed_ingest_in_small_chunks_equals_one_batch_and_resumes_after_a_crash() {
    let all = corpus();
    let expected = ingest_batches(std::slice::from_ref(&all));
    let analyzer = Analyzer::load(None).expect("bundled model");
    let inputs = unanalysed(&all);

    let mut st = Store::open_in_memory().expect("store");
    let mut failures = 0;
    let report =
        pipeline::ingest_stream(&mut st, &analyzer, inputs.clone(), 2, &|| {}, &mut |_| {
            failures += 1
        })
        .expect("streamed ingest");
    assert_eq!(failures, 0);
    assert_eq!(report.inserted.len(), all.len());
    assert_eq!(snapshot(&st), expected, "chunks of 2 vs one batch");

    // A crash after staging: the analysed chunk stays staged, invisible to
    // readers; the next ingest of the same input takes it up unanalysed.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("crash.db");
    let mut st = Store::open(&db).expect("store");
    pipeline::incremental::stage(&mut st, &all[..3]).expect("stage");
    assert_eq!(
        st.stats().expect("stats").documents,
        0,
        "staged is not stored"
    );
    drop(st);
    let mut st = Store::open(&db).expect("reopen");
    assert_eq!(st.staged_count().expect("staged"), 3);
    let analysed = std::sync::atomic::AtomicUsize::new(0);
    let count = || {
        analysed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let report = pipeline::ingest_stream(&mut st, &analyzer, inputs, 2, &count, &mut |_| {})
        .expect("resumed ingest");
    assert_eq!(
        analysed.into_inner(),
        all.len() - 3,
        "staged documents are not analysed again"
    );
    assert_eq!(report.inserted.len(), all.len());
    assert!(
        report.unchanged.is_empty(),
        "staged documents are taken up, not analysed again"
    );
    assert_eq!(st.staged_count().expect("staged"), 0);
    assert_eq!(snapshot(&st), expected, "resumed vs clean");
}
