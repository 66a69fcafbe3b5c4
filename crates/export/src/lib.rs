//! Timeline writers. Here is my timeline and my documents: write them as the
//! JSON contract (`eventline/timeline-1`), JSON Lines of events, CSV,
//! Markdown, or a self-contained HTML report.
//!
//! Every writer is a pure function of its input: the same input gives
//! byte-identical output.

mod filter;
mod html;
mod interchange;
mod markdown;
mod tabular;

use model::{DateSource, Document, Event, Timeline};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

pub use filter::{EventFilter, filter_timeline};
pub use html::write_html;
pub use interchange::{write_geojson, write_plover, write_timelinejs};
pub use markdown::write_markdown;
pub use tabular::{write_csv, write_jsonl};

/// Errors while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing to the destination failed.
    #[error("writing {format} output: {source}")]
    Io {
        /// Output format being written.
        format: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Serializing failed.
    #[error("serializing {format} output: {message}")]
    Serialize {
        /// Output format being written.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The timeline JSON contract.
    Json,
    /// One event per line.
    Jsonl,
    /// One event per row.
    Csv,
    /// A dated list, each event with its outlets.
    Markdown,
    /// A self-contained HTML report.
    Html,
    /// TimelineJS3 JSON.
    TimelineJs,
    /// GeoJSON FeatureCollection of geocoded events.
    GeoJson,
    /// PLOVER-style event records, one JSON object per line.
    Plover,
}

impl Format {
    /// All formats, in the order `run` writes them.
    pub const ALL: [Format; 8] = [
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        Format::TimelineJs,
        Format::GeoJson,
        Format::Plover,
    ];

    /// Format name as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::TimelineJs => "timelinejs",
            Format::GeoJson => "geojson",
            Format::Plover => "plover",
        }
    }

    /// Whether the format honours [`ViewOptions::top_per_day`]: the
    /// human-readable views do; the data formats list every event.
    pub fn takes_top(self) -> bool {
        matches!(self, Format::Markdown | Format::Html)
    }

    /// File name used by `eventline run --out DIR`.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "timeline.json",
            Format::Jsonl => "events.jsonl",
            Format::Csv => "events.csv",
            Format::Markdown => "timeline.md",
            Format::Html => "timeline.html",
            Format::TimelineJs => "timelinejs.json",
            Format::GeoJson => "events.geojson",
            Format::Plover => "events.plover.jsonl",
        }
    }
}

/// What the writers read: the documents (sorted by id) and the resolved timeline.
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    /// Documents, in any order (writers sort by id).
    pub docs: &'a [Document],
    /// Entities and merged events.
    pub timeline: &'a Timeline,
}

/// Options for the human-readable views.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewOptions {
    /// Show at most this many events per day (by independent sources), all when `None`.
    pub top_per_day: Option<usize>,
}

/// Writes `input` in `format`.
pub fn write(
    format: Format,
    input: ExportInput<'_>,
    view: ViewOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        Format::Json => write_json(input, out),
        Format::Jsonl => write_jsonl(input, out),
        Format::Csv => write_csv(input, out),
        Format::Markdown => write_markdown(input, view, out),
        Format::Html => write_html(input, view, out),
        Format::TimelineJs => write_timelinejs(input, out),
        Format::GeoJson => write_geojson(input, out),
        Format::Plover => write_plover(input, out),
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    id: &'a str,
    date: Option<String>,
    outlet: Option<&'a str>,
    path: Option<&'a str>,
    title: Option<&'a str>,
    text: &'a str,
    distributor: Option<&'a str>,
    dateline: Option<&'a str>,
    url: Option<&'a str>,
    duplicate_of: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonTimeline<'a> {
    schema: &'static str,
    documents: Vec<JsonDocument<'a>>,
    entities: &'a [model::Entity],
    events: Vec<&'a Event>,
    framing: &'a [model::FramingStory],
}

/// Writes the timeline JSON contract (`eventline/timeline-1`), pretty-printed, with a final newline.
pub fn write_json(input: ExportInput<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let docs = sorted_docs(input.docs);
    let documents = docs
        .iter()
        .map(|d| JsonDocument {
            id: &d.id,
            date: d.meta.date.map(|x| x.to_string()),
            outlet: d.meta.outlet.as_deref(),
            path: d.meta.path.as_deref(),
            title: d.meta.title.as_deref(),
            text: &d.text,
            distributor: d.meta.distributor.as_deref(),
            dateline: d.meta.dateline.as_deref(),
            url: d.meta.url.as_deref(),
            duplicate_of: d.duplicate_of.as_deref(),
        })
        .collect();
    let doc = JsonTimeline {
        schema: "eventline/timeline-1",
        documents,
        entities: &input.timeline.entities,
        events: sorted_events(&input.timeline.events),
        framing: &input.timeline.framing,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| ExportError::Serialize {
        format: "json",
        message: e.to_string(),
    })?;
    out.write_all(b"\n").map_err(|source| ExportError::Io {
        format: "json",
        source,
    })
}

/// Documents sorted by id.
pub(crate) fn sorted_docs(docs: &[Document]) -> Vec<&Document> {
    let mut v: Vec<&Document> = docs.iter().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// Events in contract order: by date (nulls last), then id (numeric part first, so v2 < v10).
pub(crate) fn sorted_events(events: &[Event]) -> Vec<&Event> {
    let mut v: Vec<&Event> = events.iter().collect();
    v.sort_by(|a, b| {
        let da = (a.date.is_none(), a.date.as_deref());
        let db = (b.date.is_none(), b.date.as_deref());
        da.cmp(&db).then_with(|| id_key(&a.id).cmp(&id_key(&b.id)))
    });
    v
}

fn id_key(id: &str) -> (usize, &str) {
    (id.len(), id)
}

/// Number of distinct documents citing the event that are not marked as reprints.
pub fn independent_sources(event: &Event, docs: &BTreeMap<&str, &Document>) -> usize {
    event.independent_sources(|id| docs.get(id).is_some_and(|d| d.duplicate_of.is_some()))
}

/// One day of the timeline: its heading and its events with their independent-source counts.
pub(crate) type Day<'a> = (String, Vec<(&'a Event, usize)>);

/// Heading of the group an event belongs to: its date; an event whose text
/// gives no date (dated by its earliest article) goes in a group of its own
/// right after the events that day's articles date by their words.
fn group_of(e: &Event) -> (u8, String) {
    match (&e.date, e.date_source) {
        (Some(d), Some(DateSource::Article)) => {
            (0, format!("{d} (reported; the articles do not say when)"))
        }
        (Some(d), _) => (0, d.clone()),
        (None, _) => (1, "Undated".to_string()),
    }
}

/// Events grouped by date (those dated by their articles after those dated
/// by their words), then undated events;
/// each group ranked by independent sources, then id.
pub(crate) fn events_by_day<'a>(input: &ExportInput<'a>, view: ViewOptions) -> Vec<Day<'a>> {
    let docs: BTreeMap<&str, &Document> = input.docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut groups: BTreeMap<(u8, String), Vec<(&'a Event, usize)>> = BTreeMap::new();
    for e in sorted_events(&input.timeline.events) {
        let n = independent_sources(e, &docs);
        groups.entry(group_of(e)).or_default().push((e, n));
    }
    groups
        .into_iter()
        .map(|((_, heading), mut v)| {
            v.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| id_key(&a.0.id).cmp(&id_key(&b.0.id)))
            });
            if let Some(n) = view.top_per_day {
                v.truncate(n);
            }
            (heading, v)
        })
        .collect()
}

/// Entity display names by id.
pub(crate) fn entity_names(t: &Timeline) -> BTreeMap<&str, &str> {
    t.entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect()
}

/// The labels of one outlet in a framing table cell, most used first, then
/// by text.
pub(crate) fn labels_by_use(o: &model::OutletLabels) -> Vec<&model::LabelUse> {
    let mut v: Vec<&model::LabelUse> = o.labels.iter().collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

/// What follows a label in a framing table cell: its number of uses when
/// more than one (" ×3"), and how many were inside quotation marks (someone
/// else's word, reported): " (quoted)" when all, " (2 quoted)" when some.
pub(crate) fn use_note(l: &model::LabelUse) -> String {
    let mut s = String::new();
    if l.count > 1 {
        s.push_str(&format!(" ×{}", l.count));
    }
    match l.quoted() {
        0 => {}
        q if q == l.mentions.len() => s.push_str(" (quoted)"),
        q => s.push_str(&format!(" ({q} quoted)")),
    }
    s
}

/// Outlet (or id) of each document, for citing.
pub(crate) fn outlet_of<'a>(docs: &BTreeMap<&str, &'a Document>, id: &'a str) -> &'a str {
    docs.get(id)
        .and_then(|d| d.meta.outlet.as_deref())
        .unwrap_or(id)
}

pub(crate) fn io(format: &'static str) -> impl Fn(std::io::Error) -> ExportError {
    move |source| ExportError::Io { format, source }
}

#[cfg(test)]
pub(crate) mod tests;
