//! Timeline writers. Here is my timeline and my documents: write them as the
//! JSON contract (`eventline/timeline-1`), JSON Lines of events, CSV,
//! Markdown, or a self-contained HTML report.
//!
//! Every writer is a pure function of its input: the same input gives
//! byte-identical output. Writers read an [`ExportSource`]: the documents'
//! metadata and the entities whole, the events one at a time in timeline
//! order, so a store-backed source exports a store of any size in memory
//! that holds one day of events, not the whole timeline.

mod filter;
mod html;
mod interchange;
mod markdown;
mod tabular;

use model::{DateSource, Document, Entity, Event, FramingStory, Timeline};
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
    /// Reading the source (a store) failed.
    #[error("reading the timeline: {0}")]
    Read(String),
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

/// An in-memory timeline and its documents, as an [`ExportSource`].
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    /// Documents, in any order (writers sort by id).
    pub docs: &'a [Document],
    /// Entities and merged events.
    pub timeline: &'a Timeline,
}

/// Callback for one event of [`ExportSource::for_each_event`].
pub type EventFn<'f> = dyn FnMut(&Event) -> Result<(), ExportError> + 'f;

/// Callback for one document of [`ExportSource::for_each_document`].
pub type DocumentFn<'f> = dyn FnMut(&Document) -> Result<(), ExportError> + 'f;

/// What the writers read. The documents' metadata, the entities and the
/// framing are held whole (a few hundred bytes per document or entity);
/// events and document texts come one at a time.
pub trait ExportSource {
    /// Every document, in any order. Writers read their metadata only: the
    /// text may be empty.
    fn documents(&self) -> &[Document];
    /// Every entity, in the order the JSON contract lists them.
    fn entities(&self) -> &[Entity];
    /// The framing stories, in stored order.
    fn framing(&self) -> &[FramingStory];
    /// How many events [`ExportSource::for_each_event`] yields.
    fn event_count(&self) -> Result<usize, ExportError>;
    /// Calls `f` on every event in timeline order: by date (undated last),
    /// then by id, shorter ids first (so `v2` comes before `v10`).
    fn for_each_event(&self, f: &mut EventFn<'_>) -> Result<(), ExportError>;
    /// Calls `f` on every document with its text, by id.
    fn for_each_document(&self, f: &mut DocumentFn<'_>) -> Result<(), ExportError>;
}

impl ExportSource for ExportInput<'_> {
    fn documents(&self) -> &[Document] {
        self.docs
    }

    fn entities(&self) -> &[Entity] {
        &self.timeline.entities
    }

    fn framing(&self) -> &[FramingStory] {
        &self.timeline.framing
    }

    fn event_count(&self) -> Result<usize, ExportError> {
        Ok(self.timeline.events.len())
    }

    fn for_each_event(&self, f: &mut EventFn<'_>) -> Result<(), ExportError> {
        sorted_events(&self.timeline.events)
            .into_iter()
            .try_for_each(f)
    }

    fn for_each_document(&self, f: &mut DocumentFn<'_>) -> Result<(), ExportError> {
        sorted_docs(self.docs).into_iter().try_for_each(f)
    }
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
    write_from(format, &input, view, out)
}

/// Writes what `src` yields in `format`.
pub fn write_from(
    format: Format,
    src: &dyn ExportSource,
    view: ViewOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        Format::Json => write_json(src, out),
        Format::Jsonl => write_jsonl(src, out),
        Format::Csv => write_csv(src, out),
        Format::Markdown => write_markdown(src, view, out),
        Format::Html => write_html(src, view, out),
        Format::TimelineJs => write_timelinejs(src, out),
        Format::GeoJson => write_geojson(src, out),
        Format::Plover => write_plover(src, out),
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

/// Writes the timeline JSON contract (`eventline/timeline-1`), pretty-printed,
/// with a final newline: the bytes `serde_json::to_writer_pretty` gives for
/// the whole object, written one document and one event at a time.
pub fn write_json(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let w = io("json");
    out.write_all(b"{\n  \"schema\": \"eventline/timeline-1\",\n  \"documents\": ")
        .map_err(&w)?;
    let mut documents = PrettyArray::new("json", "    ");
    src.for_each_document(&mut |d| {
        documents.item(
            out,
            &JsonDocument {
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
            },
        )
    })?;
    documents.end(out)?;
    out.write_all(b",\n  \"entities\": ").map_err(&w)?;
    let mut entities = PrettyArray::new("json", "    ");
    for e in src.entities() {
        entities.item(out, e)?;
    }
    entities.end(out)?;
    out.write_all(b",\n  \"events\": ").map_err(&w)?;
    let mut events = PrettyArray::new("json", "    ");
    src.for_each_event(&mut |e| events.item(out, e))?;
    events.end(out)?;
    out.write_all(b",\n  \"framing\": ").map_err(&w)?;
    let mut framing = PrettyArray::new("json", "    ");
    for f in src.framing() {
        framing.item(out, f)?;
    }
    framing.end(out)?;
    out.write_all(b"\n}\n").map_err(&w)
}

/// A JSON array written one item at a time, byte for byte as
/// `serde_json`'s pretty printer writes it at this depth: `[]` when empty,
/// else `[`, each item on its own lines indented by `indent`, and `]`
/// indented one level less.
pub(crate) struct PrettyArray {
    format: &'static str,
    indent: &'static str,
    items: usize,
}

impl PrettyArray {
    /// An empty array of `format`'s output whose items are indented by `indent`.
    pub(crate) fn new(format: &'static str, indent: &'static str) -> PrettyArray {
        PrettyArray {
            format,
            indent,
            items: 0,
        }
    }

    /// Writes one item.
    pub(crate) fn item(
        &mut self,
        out: &mut dyn Write,
        v: &(impl Serialize + ?Sized),
    ) -> Result<(), ExportError> {
        let head: &[u8] = if self.items == 0 { b"[\n" } else { b",\n" };
        out.write_all(head).map_err(io(self.format))?;
        self.items += 1;
        write_pretty(self.format, out, v, self.indent, true)
    }

    /// Number of items written so far.
    pub(crate) fn len(&self) -> usize {
        self.items
    }

    /// Closes the array.
    pub(crate) fn end(self, out: &mut dyn Write) -> Result<(), ExportError> {
        let tail = if self.items == 0 {
            "[]".to_string()
        } else {
            format!("\n{}]", &self.indent[..self.indent.len().saturating_sub(2)])
        };
        out.write_all(tail.as_bytes()).map_err(io(self.format))
    }
}

/// Writes `v` pretty-printed as a value nested `indent` deep: every line
/// after the first indented by `indent`, the first too when `first`. JSON
/// strings hold no raw line breaks, so lines are the printer's own.
pub(crate) fn write_pretty(
    format: &'static str,
    out: &mut dyn Write,
    v: &(impl Serialize + ?Sized),
    indent: &str,
    first: bool,
) -> Result<(), ExportError> {
    let text = serde_json::to_string_pretty(v).map_err(|e| ExportError::Serialize {
        format,
        message: e.to_string(),
    })?;
    let mut buf = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            buf.push('\n');
        }
        if i > 0 || first {
            buf.push_str(indent);
        }
        buf.push_str(line);
    }
    out.write_all(buf.as_bytes()).map_err(io(format))
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

/// Callback for one day of [`for_each_day`]: its heading and its events,
/// each with its number of independent sources.
pub(crate) type DayFn<'f> = dyn FnMut(&str, &[(Event, usize)]) -> Result<(), ExportError> + 'f;

/// Calls `f` on each day of the timeline in order, with its heading and
/// its events ranked by independent sources, then id (at most
/// `view.top_per_day`): events grouped by date (those dated by their
/// articles after those dated by their words), then undated events. Events
/// arrive in timeline order, so memory holds one date's events.
pub(crate) fn for_each_day(
    src: &dyn ExportSource,
    view: ViewOptions,
    f: &mut DayFn<'_>,
) -> Result<(), ExportError> {
    let docs = doc_index(src.documents());
    let mut date: Option<Option<String>> = None;
    let mut day: Vec<(Event, usize)> = Vec::new();
    src.for_each_event(&mut |e| {
        if date.as_ref() != Some(&e.date) {
            flush_day(&mut day, view, f)?;
            date = Some(e.date.clone());
        }
        day.push((e.clone(), independent_sources(e, &docs)));
        Ok(())
    })?;
    flush_day(&mut day, view, f)
}

/// Hands the events of one date to `f`, in groups (by words, then by
/// articles), each ranked; empties `day`.
fn flush_day(
    day: &mut Vec<(Event, usize)>,
    view: ViewOptions,
    f: &mut DayFn<'_>,
) -> Result<(), ExportError> {
    let mut groups: BTreeMap<(u8, String), Vec<(Event, usize)>> = BTreeMap::new();
    for (e, n) in day.drain(..) {
        groups.entry(group_of(&e)).or_default().push((e, n));
    }
    for ((_, heading), mut v) in groups {
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| id_key(&a.0.id).cmp(&id_key(&b.0.id)))
        });
        if let Some(n) = view.top_per_day {
            v.truncate(n);
        }
        f(&heading, &v)?;
    }
    Ok(())
}

/// Documents by id.
pub(crate) fn doc_index(docs: &[Document]) -> BTreeMap<&str, &Document> {
    docs.iter().map(|d| (d.id.as_str(), d)).collect()
}

/// Entity display names by id.
pub(crate) fn entity_names(entities: &[Entity]) -> BTreeMap<&str, &str> {
    entities
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
