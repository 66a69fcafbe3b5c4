//! Writer tests on a small hand-built timeline.

use crate::*;
use model::{DatePrecision, Entity, EventStatus, EventType, Source};

/// Two documents (one a reprint) and two events, one citing both documents.
pub(crate) fn sample() -> (Vec<Document>, Timeline) {
    let mut a = Document::new(
        "b-doc",
        "Ann met Bob in Paris on Monday. Bob said <hi> & left.",
    );
    a.meta.outlet = Some("Daily \"Wire\"".into());
    a.meta.date = chrono_date(2024, 3, 5);
    let mut b = Document::new("a-doc", "Ann and Bob met in Paris.");
    b.meta.outlet = Some("Reprint Times".into());
    b.duplicate_of = Some("b-doc".into());
    let src = |doc: &str, text: &str, sentence: &str, trigger: &str| {
        let start = text.find(sentence).unwrap() as u32;
        let ts = text.find(trigger).unwrap() as u32;
        Source {
            doc: doc.into(),
            start,
            end: start + sentence.len() as u32,
            sentence: sentence.into(),
            trigger: trigger.into(),
            trigger_start: ts,
            trigger_end: ts + trigger.len() as u32,
            time_text: None,
            quote: None,
        }
    };
    let e = |id: &str, name: &str, kind: &str| Entity {
        id: id.into(),
        name: name.into(),
        kind: kind.into(),
        aliases: vec![name.into()],
        mentions: 2,
        geo: None,
    };
    let meet = Event {
        id: "v2".into(),
        date: Some("2024-03-04".into()),
        date_end: None,
        date_precision: DatePrecision::Day,
        date_source: Some(model::DateSource::Text),
        kind: EventType::Consult,
        mode: Some("meet".into()),
        status: EventStatus::Occurred,
        headline: "Ann meets Bob in Paris".into(),
        actors: vec!["e1".into(), "e2".into()],
        recipients: vec![],
        place: Some("e3".into()),
        sources: vec![
            src("b-doc", &a.text, "Ann met Bob in Paris on Monday.", "met"),
            src("a-doc", &b.text, "Ann and Bob met in Paris.", "met"),
        ],
    };
    let said = Event {
        id: "v10".into(),
        date: Some("2024-03-05".into()),
        date_end: None,
        date_precision: DatePrecision::Day,
        date_source: Some(model::DateSource::Article),
        kind: EventType::Other,
        mode: Some("statement".into()),
        status: EventStatus::Claimed,
        headline: "Bob says <hi>".into(),
        actors: vec!["e2".into()],
        recipients: vec![],
        place: None,
        sources: vec![src("b-doc", &a.text, "Bob said <hi> & left.", "said")],
    };
    let t = Timeline {
        entities: vec![
            e("e1", "Ann", "PERSON"),
            e("e2", "Bob", "PERSON"),
            e("e3", "Paris", "GPE"),
        ],
        events: vec![said, meet],
        framing: vec![framing_story(&a, &b)],
    };
    (vec![a, b], t)
}

/// One story told by both documents' outlets: a loaded label in a civil
/// column for one outlet, a plain one in a state column for the other.
fn framing_story(a: &Document, b: &Document) -> model::FramingStory {
    let mention = |d: &Document, words: &str, entity: Option<&str>| {
        let start = d.text.find(words).unwrap() as u32;
        model::LabelMention {
            doc: d.id.clone(),
            start,
            end: start + words.len() as u32,
            words: words.into(),
            entity: entity.map(String::from),
            quoted: words == "<hi>" || words == "she",
        }
    };
    let outlet = |d: &Document| d.meta.outlet.clone().unwrap();
    model::FramingStory {
        id: "s1".into(),
        documents: vec![
            model::FramingDocument {
                doc: b.id.clone(),
                outlet: outlet(b),
            },
            model::FramingDocument {
                doc: a.id.clone(),
                outlet: outlet(a),
            },
        ],
        categories: vec![
            model::CategoryFraming {
                category: "civil".into(),
                outlets: vec![model::OutletLabels {
                    outlet: outlet(a),
                    labels: vec![model::LabelUse::new(
                        "<hi> mob",
                        "mob",
                        true,
                        vec![mention(a, "<hi>", Some("e2"))],
                    )],
                }],
            },
            model::CategoryFraming {
                category: "state".into(),
                outlets: vec![model::OutletLabels {
                    outlet: outlet(b),
                    labels: vec![model::LabelUse::new(
                        "met",
                        "met",
                        false,
                        vec![mention(b, "met", None)],
                    )],
                }],
            },
        ],
    }
}

fn chrono_date(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

fn render(format: Format, view: ViewOptions) -> String {
    let (docs, t) = sample();
    render_from(&docs, &t, format, view)
}

fn render_from(docs: &[Document], t: &Timeline, format: Format, view: ViewOptions) -> String {
    let mut out = Vec::new();
    write(format, ExportInput { docs, timeline: t }, view, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The sample with its documents and events in the opposite order: what a
/// different ingest order or thread count could hand the writers. (The
/// order of entities, actors, sources and framing is the timeline's own,
/// which the cross-document step fixes; the writers keep it.)
fn sample_reversed() -> (Vec<Document>, Timeline) {
    let (mut docs, mut t) = sample();
    docs.reverse();
    t.events.reverse();
    (docs, t)
}

/// Every format sorts documents and events itself: the order they arrive
/// in does not reach the output.
#[test]
fn every_format_is_the_same_whatever_the_input_order() {
    let (docs, t) = sample_reversed();
    assert_ne!(docs[0].id, sample().0[0].id, "the orders differ");
    assert_ne!(t.events[0].id, sample().1.events[0].id, "the orders differ");
    for f in Format::ALL {
        let a = render(f, ViewOptions::default());
        let b = render_from(&docs, &t, f, ViewOptions::default());
        assert!(!a.is_empty());
        assert_eq!(a, b, "{}", f.name());
    }
}

/// Every format, byte for byte, as committed under `tests/golden/`: a run
/// in another process (another hash seed, another machine) must write the
/// same bytes. Refresh with `UPDATE_EXPECT=1 cargo test -p eventline-export`
/// and review the diff.
#[test]
fn every_format_matches_its_golden_file() {
    use expect_test::expect_file;
    let golden = [
        (Format::Json, expect_file!["../tests/golden/sample.json"]),
        (Format::Jsonl, expect_file!["../tests/golden/sample.jsonl"]),
        (Format::Csv, expect_file!["../tests/golden/sample.csv"]),
        (Format::Markdown, expect_file!["../tests/golden/sample.md"]),
        (Format::Html, expect_file!["../tests/golden/sample.html"]),
        (
            Format::TimelineJs,
            expect_file!["../tests/golden/sample.timelinejs.json"],
        ),
        (
            Format::GeoJson,
            expect_file!["../tests/golden/sample.geojson"],
        ),
        (
            Format::Plover,
            expect_file!["../tests/golden/sample.plover.jsonl"],
        ),
    ];
    assert_eq!(golden.len(), Format::ALL.len());
    for (f, want) in golden {
        want.assert_eq(&render(f, ViewOptions::default()));
    }
}

#[test]
fn jsonl_has_one_event_per_line() {
    let s = render(Format::Jsonl, ViewOptions::default());
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 2);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["headline"], "Ann meets Bob in Paris");
}

#[test]
fn csv_names_actors_and_quotes_fields() {
    let s = render(Format::Csv, ViewOptions::default());
    let mut r = csv::Reader::from_reader(s.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][4], "text");
    assert_eq!(&rows[1][4], "article");
    assert_eq!(&rows[0][9], "Ann; Bob");
    assert_eq!(&rows[0][11], "Paris");
    assert_eq!(&rows[0][16], "a-doc; b-doc");
}

#[test]
fn markdown_lists_days_outlets_and_independent_sources() {
    let s = render(Format::Markdown, ViewOptions::default());
    assert!(s.contains("## 2024-03-04"), "{s}");
    // dated by its article only: a group of its own after that day's events
    let article = "## 2024-03-05 (reported; the articles do not say when)";
    assert!(s.contains(article), "{s}");
    // the reprint is a source but not independent
    assert!(
        s.contains("Daily \"Wire\", Reprint Times (1 independent)"),
        "{s}"
    );
    assert!(s.contains("Bob says \\<hi\\>"));
}

/// The sample plus a third, independent outlet and an event of 2024-03-04
/// that it and the first outlet both tell (two independent sources, where
/// the meeting has one: its second source is a reprint).
fn sample_with_a_better_sourced_event() -> (Vec<Document>, Timeline) {
    let (mut docs, mut t) = sample();
    let mut c = Document::new("c-doc", "Ann visited Rome on Monday.");
    c.meta.outlet = Some("Third Post".into());
    let mut visit = t.events.iter().find(|e| e.id == "v2").unwrap().clone();
    visit.id = "v7".into();
    visit.headline = "Ann visits Rome".into();
    visit.sources[0].doc = "c-doc".into();
    visit.sources[0].start = 0;
    visit.sources[0].end = c.text.len() as u32;
    visit.sources[0].sentence = c.text.clone();
    visit.sources[0].trigger = "visited".into();
    visit.sources[0].trigger_start = 4;
    visit.sources[0].trigger_end = 11;
    visit.sources[1] = t.events.iter().find(|e| e.id == "v10").unwrap().sources[0].clone();
    t.events.push(visit);
    docs.push(c);
    (docs, t)
}

/// The `n` best-sourced events of each day, in that order, for each `n`.
#[test]
fn top_per_day_keeps_the_best_sourced_events_of_each_day() {
    let (docs, t) = sample_with_a_better_sourced_event();
    let view = |n| ViewOptions {
        top_per_day: Some(n),
    };
    let headlines = |s: &str| {
        ["Ann visits Rome", "Ann meets Bob in Paris", "Bob says"]
            .into_iter()
            .filter_map(|h| s.find(h).map(|at| (at, h)))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_values()
            .collect::<Vec<_>>()
    };
    for format in [Format::Markdown, Format::Html] {
        let all = render_from(&docs, &t, format, ViewOptions::default());
        assert_eq!(
            headlines(&all),
            ["Ann visits Rome", "Ann meets Bob in Paris", "Bob says"],
            "{}: more independent sources first",
            format.name()
        );
        let two = render_from(&docs, &t, format, view(2));
        assert_eq!(headlines(&two), headlines(&all), "{}", format.name());
        let one = render_from(&docs, &t, format, view(1));
        assert_eq!(
            headlines(&one),
            ["Ann visits Rome", "Bob says"],
            "{}: one per day",
            format.name()
        );
        let none = render_from(&docs, &t, format, view(0));
        assert_eq!(headlines(&none), Vec::<&str>::new(), "{}", format.name());
    }
}

#[test]
fn html_is_self_contained_and_escaped() {
    let s = render(Format::Html, ViewOptions::default());
    assert!(s.starts_with("<!DOCTYPE html>"));
    assert!(
        !s.contains("http://") && !s.contains("https://"),
        "no network references"
    );
    assert!(s.contains("Bob says &lt;hi&gt;"));
    assert!(s.contains("<mark>met</mark>"));
    assert!(s.contains("Daily &quot;Wire&quot;"));
    assert!(!s.contains("<hi>"));
}

#[test]
fn json_carries_framing_with_cited_spans() {
    let s = render(Format::Json, ViewOptions::default());
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let story = &v["framing"][0];
    assert_eq!(story["id"], "s1");
    let use_ = &story["categories"][0]["outlets"][0]["labels"][0];
    assert_eq!(use_["label"], "<hi> mob");
    assert_eq!(use_["loaded"], true);
    assert_eq!(use_["count"], 1);
    let m = &use_["mentions"][0];
    let doc = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == m["doc"])
        .unwrap();
    let text = doc["text"].as_str().unwrap();
    let (a, b) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], m["words"].as_str().unwrap());
    assert_eq!(m["entity"], "e2");
}

#[test]
fn markdown_framing_table_marks_loaded_labels_and_cites_spans() {
    let s = render(Format::Markdown, ViewOptions::default());
    let section = &s[s
        .find("## Framing: who says what")
        .expect("framing section")..];
    assert!(section.contains("| outlet | civil | state |"), "{section}");
    // one row per outlet, a dash where an outlet uses no label of a category
    assert!(
        section.contains("| Daily \"Wire\" | **\\<hi\\> mob** (quoted) | — |"),
        "{section}"
    );
    assert!(section.contains("| Reprint Times | — | met |"), "{section}");
    // each use cited by document and byte span, with the entity it names;
    // a use inside quotation marks is someone else's word, reported
    assert!(
        section.contains("“\\<hi\\>” (quoted) b-doc [41..45] → Bob"),
        "{section}"
    );
}

#[test]
fn html_framing_section_is_escaped_and_highlights_loaded_labels() {
    let s = render(Format::Html, ViewOptions::default());
    let section = &s[s.find("<section id=\"framing\">").expect("framing section")..];
    assert!(
        section.contains("<span class=\"label loaded\" title=\"b-doc [41..45]: &lt;hi&gt;\">&lt;hi&gt; mob <span class=\"count\">(quoted)</span></span>"),
        "{section}"
    );
    assert!(
        section.contains("<span class=\"label\" title=\"a-doc [12..15]: met\">met</span>"),
        "{section}"
    );
    assert!(!section.contains("<hi>"));
}
