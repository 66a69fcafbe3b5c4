//! Case tables for event extraction, over real spaCy analyses (en_core_web_sm 3.8)
//! of short general sentences written for these tests (`tests/golden/events/`,
//! refreshed with `scripts/spacy_golden.py --text-dir DIR --out crates/nlp/tests/golden/events`).
//! Time expressions are added by hand (the temporal tagger is a separate stage).

use model::{ByteSpan, Document, EventMention, EventStatus, EventType, Timex, TimexType};
use nlp::events::{extract, main_event};

fn golden(id: &str) -> Document {
    let path = format!(
        "{}/tests/golden/events/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut doc: Document = serde_json::from_str(&text).expect("golden parses");
    doc.meta.date = chrono::NaiveDate::from_ymd_opt(2024, 3, 10);
    doc
}

/// Adds a timex over the first occurrence of `words` with the given value.
fn timex(mut doc: Document, words: &str, value: &str) -> Document {
    let start = doc.text.find(words).expect("timex words in text");
    doc.layers.timexes.push(Timex {
        span: ByteSpan::new(start, start + words.len()),
        kind: TimexType::Date,
        value: value.into(),
    });
    doc
}

fn texts(doc: &Document, args: &[model::Argument]) -> Vec<String> {
    args.iter()
        .map(|a| doc.span_text(a.span).to_string())
        .collect()
}

fn find<'a>(doc: &Document, ms: &'a [EventMention], trigger: &str) -> &'a EventMention {
    ms.iter()
        .find(|m| doc.span_text(m.trigger) == trigger)
        .unwrap_or_else(|| {
            let all: Vec<_> = ms.iter().map(|m| doc.span_text(m.trigger)).collect();
            panic!("no trigger {trigger:?} in {all:?}: {}", doc.text)
        })
}

#[test]
fn trigger_typing() {
    let cases = [
        ("active_meet", "met", EventType::Consult, None),
        ("between_talks", "Talks", EventType::Consult, None),
        ("held_talks", "talks", EventType::Consult, None),
        ("passive_attack", "attacked", EventType::Assault, None),
        (
            "apposition_visit",
            "visited",
            EventType::Consult,
            Some("visit"),
        ),
        ("conj_sign", "signed", EventType::Support, None),
        ("conj_sign", "agreement", EventType::Agree, None),
        ("phone_spoke", "spoke", EventType::Consult, Some("phone")),
        (
            "phone_call",
            "phone call",
            EventType::Consult,
            Some("phone"),
        ),
        (
            "ceasefire_took",
            "ceasefire",
            EventType::Retreat,
            Some("ceasefire"),
        ),
        ("seized_city", "seized", EventType::Coerce, Some("seize")),
        ("killed_passive", "killed", EventType::Assault, Some("kill")),
        ("accuse_of", "accused", EventType::Accuse, Some("allege")),
        ("refused_meet", "refused", EventType::Reject, None),
        ("urged_quote", "urged", EventType::Request, None),
        ("warned_threat", "warned", EventType::Threaten, None),
        (
            "statement_said",
            "said",
            EventType::Other,
            Some("statement"),
        ),
    ];
    for (id, trig, kind, mode) in cases {
        let d = golden(id);
        let ms = extract(&d);
        let m = find(&d, &ms, trig);
        assert_eq!((m.kind, m.mode.as_deref()), (kind, mode), "{id}: {trig}");
    }
}

#[test]
fn argument_extraction() {
    // (case, trigger, actors, recipients, place)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        (
            "active_meet",
            "met",
            &["Angela Merkel", "Emmanuel Macron"],
            &[],
            Some("Berlin"),
        ),
        (
            "with_meet",
            "met",
            &["Merkel", "Macron"],
            &[],
            Some("Paris"),
        ),
        (
            "between_talks",
            "Talks",
            &["Russia", "Ukraine"],
            &[],
            Some("Istanbul"),
        ),
        (
            "held_talks",
            "talks",
            &["Erdogan", "Macron"],
            &[],
            Some("Ankara"),
        ),
        (
            "passive_attack",
            "attacked",
            &["militants"],
            &["embassy"],
            None,
        ),
        (
            "apposition_visit",
            "visited",
            &["Sergei Lavrov"],
            &[],
            Some("Beijing"),
        ),
        (
            "conj_sign",
            "signed",
            &["Jordan", "Britain"],
            &["defence agreement"],
            Some("Amman"),
        ),
        ("phone_spoke", "spoke", &["Biden", "Netanyahu"], &[], None),
        ("accuse_of", "accused", &["Iran"], &["Israel"], None),
        (
            "ceasefire_took",
            "ceasefire",
            &["Israel", "Hamas"],
            &[],
            None,
        ),
        ("seized_city", "seized", &["Rebels"], &["city"], None),
    ];
    for &(id, trig, actors, recipients, place) in cases {
        let d = golden(id);
        let ms = extract(&d);
        let m = find(&d, &ms, trig);
        assert_eq!(texts(&d, &m.actors), actors, "{id} actors");
        assert_eq!(texts(&d, &m.recipients), recipients, "{id} recipients");
        assert_eq!(
            m.place.as_ref().map(|p| d.span_text(p.span)),
            place,
            "{id} place"
        );
    }
}

#[test]
fn arguments_resolve_to_entity_mentions() {
    let d = golden("active_meet");
    let ms = extract(&d);
    let m = find(&d, &ms, "met");
    for a in &m.actors {
        let i = a.mention.expect("actor is an entity mention") as usize;
        assert_eq!(d.layers.entities[i].label, "PERSON");
    }
}

#[test]
fn status_planned_claimed_negated() {
    let cases: &[(&str, &str, Option<EventStatus>)] = &[
        ("planned_set", "visit", Some(EventStatus::Planned)),
        ("planned_will", "travel", Some(EventStatus::Planned)),
        ("planned_expected", "meet", Some(EventStatus::Planned)),
        ("claimed_said", "attacked", Some(EventStatus::Claimed)),
        ("attr_reported", "seized", Some(EventStatus::Occurred)),
        ("active_meet", "met", Some(EventStatus::Occurred)),
        ("negated_not", "attack", None),
        ("negated_denied", "meeting", None),
        ("refused_meet", "meet", None),
    ];
    for &(id, trig, want) in cases {
        let d = golden(id);
        let ms = extract(&d);
        let got = ms
            .iter()
            .find(|m| d.span_text(m.trigger) == trig)
            .map(|m| m.status);
        assert_eq!(got, want, "{id}: {trig}");
    }
}

#[test]
fn statements_carry_speaker_and_quote() {
    let d = golden("statement_said");
    let ms = extract(&d);
    let m = find(&d, &ms, "said");
    assert_eq!(texts(&d, &m.actors), ["Scholz"]);
    assert_eq!(
        m.quote.map(|q| d.span_text(q)),
        Some("the negotiations had been constructive")
    );
    let d = golden("urged_quote");
    let ms = extract(&d);
    let m = find(&d, &ms, "urged");
    assert!(
        m.quote
            .is_some_and(|q| d.span_text(q).contains("stop the fighting now"))
    );
}

#[test]
fn time_attaches_to_its_trigger() {
    let d = timex(golden("active_meet"), "Monday", "2024-03-04");
    let ms = extract(&d);
    let m = find(&d, &ms, "met");
    assert_eq!(m.date.as_deref(), Some("2024-03-04"));
    assert_eq!(m.date_precision, model::DatePrecision::Day);
    assert_eq!(m.timex, Some(0));

    let d = timex(golden("held_talks"), "Friday", "2024-03-08");
    let ms = extract(&d);
    assert_eq!(find(&d, &ms, "talks").date.as_deref(), Some("2024-03-08"));

    let d = timex(golden("phone_call"), "Friday", "2024-03-08");
    let ms = extract(&d);
    assert_eq!(
        find(&d, &ms, "phone call").date.as_deref(),
        Some("2024-03-08")
    );

    let d = timex(golden("with_meet"), "Tuesday evening", "2024-03-05TEV");
    let ms = extract(&d);
    assert_eq!(find(&d, &ms, "met").date.as_deref(), Some("2024-03-05"));
}

#[test]
fn undated_mention_falls_back_to_article_date_with_unknown_precision() {
    let d = golden("conj_sign");
    let ms = extract(&d);
    let m = find(&d, &ms, "signed");
    assert_eq!(m.timex, None);
    assert_eq!(m.date.as_deref(), Some("2024-03-10"));
    assert_eq!(m.date_precision, model::DatePrecision::Unknown);
}

#[test]
fn date_after_article_date_makes_planned() {
    let d = timex(golden("with_meet"), "Tuesday evening", "2024-03-12TEV");
    let ms = extract(&d);
    assert_eq!(find(&d, &ms, "met").status, EventStatus::Planned);
}

#[test]
fn main_event_prefers_typed_event_over_statement() {
    let d = golden("claimed_said");
    let ms = extract(&d);
    let m = main_event(&d, &ms, 0).expect("a main event");
    assert_eq!(m.kind, EventType::Assault);
}

#[test]
fn spans_are_valid() {
    for id in ["active_meet", "urged_quote", "phone_call", "statement_said"] {
        let mut d = golden(id);
        d.layers.events = extract(&d);
        d.check_spans().unwrap();
    }
}

/// Prints the mentions of golden documents: `EVENTS_DUMP=dir-or-file cargo test -p eventline-nlp --test it events::dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let path = std::env::var("EVENTS_DUMP").expect("set EVENTS_DUMP to a golden file or directory");
    let p = std::path::Path::new(&path);
    let mut files: Vec<_> = if p.is_dir() {
        std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    } else {
        vec![p.to_path_buf()]
    };
    files.sort();
    for f in files {
        let d: Document = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        println!("== {}", d.id);
        for m in extract(&d) {
            println!(
                "  [{}] {:?}/{:?} {:?} actors={:?} rec={:?} place={:?} date={:?} quote={:?}",
                d.span_text(m.trigger),
                m.kind,
                m.mode,
                m.status,
                texts(&d, &m.actors),
                texts(&d, &m.recipients),
                m.place.as_ref().map(|p| d.span_text(p.span)),
                m.date,
                m.quote.map(|q| d.span_text(q)),
            );
        }
    }
}
