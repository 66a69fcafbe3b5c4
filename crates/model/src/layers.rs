//! Annotation layers. Each holds byte spans into [`crate::Document::text`];
//! entities live only as spans, never duplicated as per-token tags.

use crate::ByteSpan;
use serde::{Deserialize, Serialize};

/// All layers of one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Layers {
    /// Sentences in text order, non-overlapping.
    pub sentences: Vec<Sentence>,
    /// Tokens in text order (spaCy-style: whitespace runs beyond one space are tokens too).
    pub tokens: Vec<Token>,
    /// Entity mentions in text order.
    pub entities: Vec<EntityMention>,
    /// Time expressions (TIMEX3) in text order.
    pub timexes: Vec<Timex>,
    /// Event mentions in text order of their trigger.
    pub events: Vec<EventMention>,
    /// Things a stage could not resolve; low confidence is not an error.
    pub diagnostics: Vec<Diagnostic>,
    /// The document's local entities: its mentions grouped within this
    /// document only (ids `e1`, ... local to the document, as
    /// `EntityMention::entity` holds them after per-document analysis). The
    /// cross-document step links each to a real-world entity.
    #[serde(default)]
    pub local_entities: Vec<crate::Entity>,
}

/// One sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// The sentence's bytes, without surrounding whitespace.
    pub span: ByteSpan,
}

/// One token with its tag and dependency arc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token's bytes.
    pub span: ByteSpan,
    /// Fine-grained tag (Penn Treebank for English models), empty when untagged.
    pub tag: String,
    /// Coarse universal POS, empty when unknown.
    pub pos: String,
    /// Lemma, empty when unknown.
    pub lemma: String,
    /// Index (into the document's token layer) of the syntactic head; a root points to itself.
    pub head: u32,
    /// Dependency label, empty when unparsed.
    pub dep: String,
}

impl Token {
    /// An untagged, unparsed token; callers set `head` to its own index when they have no parse.
    pub fn new(span: ByteSpan) -> Self {
        Self {
            span,
            tag: String::new(),
            pos: String::new(),
            lemma: String::new(),
            head: 0,
            dep: String::new(),
        }
    }
}

/// An entity label. OntoNotes names as spaCy writes them (`PERSON`, `ORG`, `GPE`, ...).
pub type EntityLabel = String;

/// Well-known entity labels.
pub mod label {
    /// People, including fictional.
    pub const PERSON: &str = "PERSON";
    /// Nationalities, religious or political groups.
    pub const NORP: &str = "NORP";
    /// Buildings, airports, highways, bridges.
    pub const FAC: &str = "FAC";
    /// Companies, agencies, institutions.
    pub const ORG: &str = "ORG";
    /// Countries, cities, states.
    pub const GPE: &str = "GPE";
    /// Non-GPE locations: mountain ranges, bodies of water, regions.
    pub const LOC: &str = "LOC";
    /// Named events.
    pub const EVENT: &str = "EVENT";
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionOrigin {
    /// The statistical NER model.
    #[default]
    Model,
    /// A gazetteer lookup (known place or country the model missed).
    Gazetteer,
    /// A rule (title, demonym, acronym expansion).
    Rule,
}

impl MentionOrigin {
    /// The name the store, the exports and the JSON contract write (`model`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Model => "model",
            Self::Gazetteer => "gazetteer",
            Self::Rule => "rule",
        }
    }
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMention {
    /// The mention's bytes.
    pub span: ByteSpan,
    /// Entity label.
    pub label: EntityLabel,
    /// Cross-document entity id (`e1`, ...) once resolved.
    pub entity: Option<String>,
    /// How it was found.
    #[serde(default)]
    pub origin: MentionOrigin,
}

impl EntityMention {
    /// An unresolved model mention.
    pub fn new(span: ByteSpan, label: impl Into<EntityLabel>) -> Self {
        Self {
            span,
            label: label.into(),
            entity: None,
            origin: MentionOrigin::Model,
        }
    }
}

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period (`2024-12-01`, `2024-W48`, `PAST_REF`).
    Date,
    /// A time of day (`2024-12-01TEV`, `2024-12-01T15:00`).
    Time,
    /// A length of time (`P3D`, `PXY`).
    Duration,
    /// A recurrence (`P1W` with a frequency).
    Set,
}

impl TimexType {
    /// The TIMEX3 type name the store, the exports and the JSON contract write (`DATE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Date => "DATE",
            Self::Time => "TIME",
            Self::Duration => "DURATION",
            Self::Set => "SET",
        }
    }
}

/// One normalized time expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    /// The expression's bytes.
    pub span: ByteSpan,
    /// TIMEX3 type.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// Normalized TIMEX3 value.
    pub value: String,
}

/// PLOVER event type (or `OTHER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum EventType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
    Other,
}

impl EventType {
    /// All types, in PLOVER order.
    pub const ALL: [EventType; 17] = [
        Self::Agree,
        Self::Consult,
        Self::Support,
        Self::Concede,
        Self::Cooperate,
        Self::Aid,
        Self::Retreat,
        Self::Request,
        Self::Accuse,
        Self::Reject,
        Self::Threaten,
        Self::Protest,
        Self::Sanction,
        Self::Mobilize,
        Self::Coerce,
        Self::Assault,
        Self::Other,
    ];

    /// The PLOVER name (`CONSULT`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agree => "AGREE",
            Self::Consult => "CONSULT",
            Self::Support => "SUPPORT",
            Self::Concede => "CONCEDE",
            Self::Cooperate => "COOPERATE",
            Self::Aid => "AID",
            Self::Retreat => "RETREAT",
            Self::Request => "REQUEST",
            Self::Accuse => "ACCUSE",
            Self::Reject => "REJECT",
            Self::Threaten => "THREATEN",
            Self::Protest => "PROTEST",
            Self::Sanction => "SANCTION",
            Self::Mobilize => "MOBILIZE",
            Self::Coerce => "COERCE",
            Self::Assault => "ASSAULT",
            Self::Other => "OTHER",
        }
    }

    /// Parses a PLOVER name, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Whether an event happened, is planned, ongoing, or only claimed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Reported as fact.
    #[default]
    Occurred,
    /// Announced or expected.
    Planned,
    /// Going on at the article date.
    Ongoing,
    /// Asserted by one party, not reported as fact.
    Claimed,
}

impl EventStatus {
    /// The name the store, the exports and the JSON contract write (`occurred`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Occurred => "occurred",
            Self::Planned => "planned",
            Self::Ongoing => "ongoing",
            Self::Claimed => "claimed",
        }
    }
}

/// Precision of an event date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM`.
    Month,
    /// `YYYY`.
    Year,
    /// No date.
    #[default]
    Unknown,
}

impl DatePrecision {
    /// The name the store, the exports and the JSON contract write (`day`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
            Self::Unknown => "unknown",
        }
    }
}

/// A participant or place of an event mention: the words, and the entity mention they are, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argument {
    /// The argument's head phrase bytes (for an unnamed group, the head noun
    /// with its modifiers: "Islamist-led rebels").
    pub span: ByteSpan,
    /// Index into the document's entity layer of the entity mention the
    /// argument is; for a pronoun ("he", "its", "which"), `span` covers the
    /// pronoun's own words and this is its antecedent's mention (a plural
    /// "they" gives one argument per antecedent, all with the same span).
    pub mention: Option<u32>,
}

/// One mention of an event in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    /// The trigger word(s) ("met", "phone call").
    pub trigger: ByteSpan,
    /// Index of the sentence the trigger is in.
    pub sentence: u32,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// Refinement (`visit`, `phone`, `seize`, ...).
    pub mode: Option<String>,
    /// Occurred, planned, ongoing or claimed.
    pub status: EventStatus,
    /// Who acts (all participants, for meetings and calls).
    pub actors: Vec<Argument>,
    /// Who is acted upon.
    pub recipients: Vec<Argument>,
    /// Where, when stated.
    pub place: Option<Argument>,
    /// Index into the timex layer of the expression that dates this mention.
    pub timex: Option<u32>,
    /// Resolved date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: Option<String>,
    /// Precision of `date`.
    pub date_precision: DatePrecision,
    /// For statements: the quoted or reported content.
    pub quote: Option<ByteSpan>,
}

/// A note from a stage about something it could not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The stage that wrote it.
    pub stage: String,
    /// What happened.
    pub message: String,
    /// Where, when it concerns a span.
    pub span: Option<ByteSpan>,
}
