//! The cross-document result: real-world entities and merged events, each
//! event citing every source mention. Field names follow the timeline JSON
//! contract (`eventline/timeline-1`).

use crate::{DatePrecision, EventStatus, EventType};
use serde::{Deserialize, Serialize};

/// Entities and events across all documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// One per real-world entity.
    pub entities: Vec<Entity>,
    /// One per real-world event, sorted by date (nulls last), then id.
    pub events: Vec<Event>,
    /// Who says what: per story told by two or more outlets, the words each
    /// outlet uses for its actors.
    #[serde(default)]
    pub framing: Vec<crate::FramingStory>,
}

/// A resolved place on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geo {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// GeoNames id.
    pub geonames_id: u64,
}

/// One real-world entity after name normalization across documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (`e1`, ...).
    pub id: String,
    /// Display name: the most frequent full form.
    pub name: String,
    /// `PERSON`, `ORG`, `GPE`, `LOC`, `NORP`, `FAC`, `EVENT` or `OTHER`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Every distinct surface form linked to it, sorted.
    pub aliases: Vec<String>,
    /// Number of mentions across all documents.
    pub mentions: u32,
    /// Coordinates, for resolved places.
    pub geo: Option<Geo>,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A time expression in a source sentence ("on Sunday", "in 2015").
    Text,
    /// No time expression dates the event: the date of the earliest article
    /// citing it (the event happened on or shortly before it; planned events,
    /// after it).
    Article,
}

/// One mention of an event, pointing back to the exact sentence it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Document id.
    pub doc: String,
    /// Sentence start, UTF-8 byte offset into the document text.
    pub start: u32,
    /// Sentence end (exclusive).
    pub end: u32,
    /// `text[start..end]`, byte for byte.
    pub sentence: String,
    /// The trigger words.
    pub trigger: String,
    /// Trigger start, byte offset into the document text.
    pub trigger_start: u32,
    /// Trigger end (exclusive).
    pub trigger_end: u32,
    /// The time expression that dated this mention, if any.
    pub time_text: Option<String>,
    /// For statements: the quoted or reported words.
    pub quote: Option<String>,
}

impl Event {
    /// Number of distinct documents citing this event that are not reprints
    /// (`is_reprint(doc_id)` says whether a document has `duplicate_of` set).
    /// Ranking counts these: a wire story reprinted by three outlets is one voice.
    pub fn independent_sources(&self, is_reprint: impl Fn(&str) -> bool) -> usize {
        let mut docs: Vec<&str> = self.sources.iter().map(|s| s.doc.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        docs.into_iter().filter(|d| !is_reprint(d)).count()
    }
}

/// One real-world event, merged across mentions and documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id (`v1`, ...).
    pub id: String,
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), or null.
    pub date: Option<String>,
    /// End of a span of dates, or null.
    pub date_end: Option<String>,
    /// Precision of `date`.
    pub date_precision: DatePrecision,
    /// Where `date` comes from: a time expression in a source sentence, or,
    /// when none dates the event, the date of the earliest article citing
    /// it. Null when `date` is null.
    #[serde(default)]
    pub date_source: Option<DateSource>,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// Refinement (`visit`, `phone`, ...), or null.
    pub mode: Option<String>,
    /// Occurred, planned, ongoing or claimed.
    pub status: EventStatus,
    /// "Abbas Araghchi meets Bashar al-Assad in Damascus".
    pub headline: String,
    /// Entity ids of those who act (all participants of a meeting).
    pub actors: Vec<String>,
    /// Entity ids of those acted upon.
    pub recipients: Vec<String>,
    /// Entity id of the place, or null.
    pub place: Option<String>,
    /// Every mention, at least one.
    pub sources: Vec<Source>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(doc: &str) -> Source {
        Source {
            doc: doc.into(),
            start: 0,
            end: 1,
            sentence: "x".into(),
            trigger: "x".into(),
            trigger_start: 0,
            trigger_end: 1,
            time_text: None,
            quote: None,
        }
    }

    #[test]
    fn reprints_and_repeated_documents_are_not_independent() {
        let e = Event {
            id: "v1".into(),
            date: None,
            date_end: None,
            date_precision: DatePrecision::Unknown,
            date_source: None,
            kind: EventType::Consult,
            mode: None,
            status: EventStatus::Occurred,
            headline: String::new(),
            actors: vec![],
            recipients: vec![],
            place: None,
            sources: vec![source("a"), source("a"), source("b"), source("reprint")],
        };
        assert_eq!(e.independent_sources(|_| false), 3);
        assert_eq!(e.independent_sources(|d| d == "reprint"), 2);
    }
}
