//! Snapshot tests a reviewer can read: a few general-English articles
//! written for these tests (`tests/snapshots/articles/`) are read by ingest,
//! analysed by the real pipeline and resolved into one timeline. Each
//! document's layers and the timeline are dumped one item per line, with
//! the quoted span text, next to the article (`*.layers`, `timeline.txt`).
//!
//! After a change that moves them, refresh with
//! `UPDATE_EXPECT=1 cargo test -p eventline-pipeline --test it snapshots`
//! and review the diff of `tests/snapshots/` like code.

use expect_test::expect_file;
use model::{Argument, Document, Timeline};
use std::fmt::Write;
use std::path::Path;

/// The articles of `tests/snapshots/articles/`, analysed and resolved
/// together, documents in id order.
fn analysed() -> (Vec<Document>, Timeline) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/articles");
    let mut docs: Vec<Document> = ingest::read_path(&dir, &ingest::IngestOptions::default())
        .into_iter()
        .map(|r| r.expect("snapshot article reads"))
        .collect();
    assert_eq!(docs.len(), 3, "the articles of {}", dir.display());
    let analyzer = pipeline::Analyzer::load(None).expect("bundled model");
    for d in &mut docs {
        analyzer.analyze(d).expect("analysis");
    }
    let timeline = pipeline::build_timeline(&mut docs);
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    (docs, timeline)
}

/// `"words"` of a span, with line breaks shown as `\n`.
fn quote(d: &Document, span: model::ByteSpan) -> String {
    format!("{:?}", d.span_text(span))
}

fn argument(d: &Document, a: &Argument) -> String {
    let mut s = quote(d, a.span);
    if let Some(m) = a.mention.and_then(|i| d.layers.entities.get(i as usize)) {
        match &m.entity {
            Some(id) => write!(s, "={id}").unwrap(),
            None => write!(s, "=mention {}", quote(d, m.span)).unwrap(),
        }
    }
    s
}

/// One document's layers, one item per line: sentences, entity mentions
/// (label, origin, entity id), time expressions (type, value), event
/// mentions (type, mode, status, participants, place, date), diagnostics.
fn layers(d: &Document) -> String {
    let mut out = String::new();
    let w = &mut out;
    writeln!(
        w,
        "document {} date={} outlet={}",
        d.id,
        d.meta.date.map(|x| x.to_string()).unwrap_or_default(),
        d.meta.outlet.as_deref().unwrap_or("")
    )
    .unwrap();
    for (i, s) in d.layers.sentences.iter().enumerate() {
        writeln!(
            w,
            "sentence {i} {}..{} {}",
            s.span.start,
            s.span.end,
            quote(d, s.span)
        )
        .unwrap();
    }
    for m in &d.layers.entities {
        writeln!(
            w,
            "entity {} {}..{} {} origin={} id={}",
            m.label.as_str(),
            m.span.start,
            m.span.end,
            quote(d, m.span),
            m.origin.as_str(),
            m.entity.as_deref().unwrap_or("-")
        )
        .unwrap();
    }
    for t in &d.layers.timexes {
        writeln!(
            w,
            "timex {} {}..{} {} value={}",
            t.kind.as_str(),
            t.span.start,
            t.span.end,
            quote(d, t.span),
            t.value
        )
        .unwrap();
    }
    for e in &d.layers.events {
        let list = |v: &[Argument]| {
            v.iter()
                .map(|a| argument(d, a))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            w,
            "event {} {}..{} {} mode={} status={} sentence={} actors=[{}] recipients=[{}] place={} date={}",
            e.kind.as_str(),
            e.trigger.start,
            e.trigger.end,
            quote(d, e.trigger),
            e.mode.as_deref().unwrap_or("-"),
            e.status.as_str(),
            e.sentence,
            list(&e.actors),
            list(&e.recipients),
            e.place.as_ref().map(|p| argument(d, p)).unwrap_or("-".into()),
            e.date.as_deref().unwrap_or("-"),
        )
        .unwrap();
    }
    for x in &d.layers.diagnostics {
        writeln!(w, "diagnostic {}: {}", x.stage, x.message).unwrap();
    }
    out
}

/// The timeline, one item per line: entities (id, type, name, aliases),
/// events (date and where it comes from, type, status, headline, actors,
/// place) each followed by its sources (document, trigger, sentence).
fn timeline(t: &Timeline) -> String {
    let mut out = String::new();
    let w = &mut out;
    let name = |id: &str| {
        t.entities
            .iter()
            .find(|e| e.id == id)
            .map_or(id.to_string(), |e| format!("{:?}", e.name))
    };
    for e in &t.entities {
        writeln!(
            w,
            "entity {} {} {:?} aliases={:?} mentions={}",
            e.id, e.kind, e.name, e.aliases, e.mentions
        )
        .unwrap();
    }
    for e in &t.events {
        let names = |v: &[String]| v.iter().map(|a| name(a)).collect::<Vec<_>>().join(", ");
        writeln!(
            w,
            "event {} date={}{} ({}, {}) {} {} mode={} {:?} actors=[{}] recipients=[{}] place={}",
            e.id,
            e.date.as_deref().unwrap_or("-"),
            e.date_end
                .as_deref()
                .map(|x| format!("/{x}"))
                .unwrap_or_default(),
            e.date_precision.as_str(),
            e.date_source
                .map_or("-".into(), |s| format!("{s:?}").to_lowercase()),
            e.kind.as_str(),
            e.status.as_str(),
            e.mode.as_deref().unwrap_or("-"),
            e.headline,
            names(&e.actors),
            names(&e.recipients),
            e.place.as_deref().map_or("-".into(), name),
        )
        .unwrap();
        for s in &e.sources {
            writeln!(
                w,
                "  source {} {}..{} trigger={:?} time={:?} {:?}",
                s.doc, s.start, s.end, s.trigger, s.time_text, s.sentence
            )
            .unwrap();
        }
    }
    for s in &t.framing {
        let docs: Vec<&str> = s.documents.iter().map(|d| d.doc.as_str()).collect();
        writeln!(w, "framing {} documents={docs:?}", s.id).unwrap();
        for c in &s.categories {
            for o in &c.outlets {
                for l in &o.labels {
                    writeln!(
                        w,
                        "  {} {:?}: {:?} loaded={} count={}",
                        c.category, o.outlet, l.label, l.loaded, l.count
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

#[test]
fn layers_and_timeline_of_the_snapshot_articles() {
    let (docs, t) = analysed();
    for d in &docs {
        d.check_spans()
            .expect("every span cuts the text on char boundaries");
    }
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["bridge-herald", "bridge-post", "talks-wire"]);
    expect_file!["../snapshots/bridge-herald.layers"].assert_eq(&layers(&docs[0]));
    expect_file!["../snapshots/bridge-post.layers"].assert_eq(&layers(&docs[1]));
    expect_file!["../snapshots/talks-wire.layers"].assert_eq(&layers(&docs[2]));
    expect_file!["../snapshots/timeline.txt"].assert_eq(&timeline(&t));
}
