//! The HTML report in a real headless browser (Chromium): the page loads
//! offline, the framing section renders, and the filter hides the events that
//! do not match. Skips with a message when no Chromium is installed, fails
//! then under `EVENTLINE_REQUIRE_BROWSER` (`browser.rs`; `.ci/run` installs
//! Debian's).

use crate::browser::{CHROMIUM_FLAGS, chromium};
use export::{ExportInput, Format, ViewOptions};
use model::{DatePrecision, Document, Entity, Event, EventStatus, EventType, Source, Timeline};
use std::process::Command;

fn event(id: &str, headline: &str, doc: &Document) -> Event {
    Event {
        id: id.into(),
        date: Some("2024-03-04".into()),
        date_end: None,
        date_precision: DatePrecision::Day,
        date_source: Some(model::DateSource::Text),
        kind: EventType::Consult,
        mode: None,
        status: EventStatus::Occurred,
        headline: headline.into(),
        actors: vec!["e1".into()],
        recipients: vec![],
        place: None,
        sources: vec![Source {
            doc: doc.id.clone(),
            start: 0,
            end: doc.text.len() as u32,
            sentence: doc.text.clone(),
            trigger: "met".into(),
            trigger_start: 0,
            trigger_end: 0,
            time_text: None,
            quote: None,
        }],
    }
}

/// A story told by the two documents: one outlet's loaded label, the other's plain one.
fn framing(a: &Document, b: &Document) -> model::FramingStory {
    let use_ = |d: &Document, label: &str, words: &str, loaded: bool| model::OutletLabels {
        outlet: d.id.clone(),
        labels: vec![model::LabelUse::new(
            label,
            label.rsplit(' ').next().unwrap_or(label),
            loaded,
            vec![model::LabelMention {
                doc: d.id.clone(),
                start: d.text.find(words).unwrap() as u32,
                end: (d.text.find(words).unwrap() + words.len()) as u32,
                words: words.into(),
                entity: None,
                quoted: false,
            }],
        )],
    };
    model::FramingStory {
        id: "s1".into(),
        documents: [a, b]
            .iter()
            .map(|d| model::FramingDocument {
                doc: d.id.clone(),
                outlet: d.id.clone(),
            })
            .collect(),
        categories: vec![model::CategoryFraming {
            category: "armed-nonstate".into(),
            outlets: vec![
                use_(a, "minister", "minister", true),
                use_(b, "rebel", "Rebels", false),
            ],
        }],
    }
}

#[test]
fn filter_from_url_hides_non_matching_events() {
    let Some(browser) = chromium() else {
        return;
    };
    let a = Document::new("a", "The envoy met the minister in Paris.");
    let b = Document::new("b", "Rebels seized the airport near Aleppo.");
    let t = Timeline {
        entities: vec![Entity {
            id: "e1".into(),
            name: "Envoy".into(),
            kind: "PERSON".into(),
            aliases: vec!["Envoy".into()],
            mentions: 1,
            geo: None,
        }],
        events: vec![
            event("v1", "Envoy meets minister in Paris", &a),
            event("v2", "Rebels seize airport", &b),
        ],
        framing: vec![framing(&a, &b)],
    };
    let docs = [a, b];
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("timeline.html");
    let mut out = Vec::new();
    export::write(
        Format::Html,
        ExportInput {
            docs: &docs,
            timeline: &t,
        },
        ViewOptions::default(),
        &mut out,
    )
    .unwrap();
    std::fs::write(&page, out).unwrap();
    let url = format!("file://{}#q=paris", page.display());
    let profile = dir.path().join("profile");
    let dom = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("Envoy meets minister in Paris"),
        "page did not render: {dom}"
    );
    // the framing section renders, loaded labels highlighted, and the filter leaves it alone
    assert!(
        dom.contains(r#"<section id="framing">"#) && dom.contains("Framing: who says what"),
        "{dom}"
    );
    assert!(dom.contains(r#"<span class="label loaded""#), "{dom}");
    assert!(dom.contains(">rebel</span>"), "{dom}");
    // the matching event stays visible, the other one is hidden by the script
    assert!(dom.contains(r#"<article class="event" id="v1">"#), "{dom}");
    assert!(
        dom.contains(r#"<article class="event hidden" id="v2">"#),
        "{dom}"
    );
}
