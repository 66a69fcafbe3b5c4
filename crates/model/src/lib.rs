//! eventline's shared data: documents, byte spans and the annotation layers
//! every stage reads and writes. Plain data, no I/O.
//!
//! The one invariant everything rests on: every span in every layer is a
//! half-open range of **UTF-8 byte offsets** into [`Document::text`], and
//! `&doc.text[span.range()]` is exactly the cited words.

pub mod framing;
pub mod layers;
pub mod parse;
pub mod pipeline;
pub mod timeline;
pub mod timex_value;
pub mod union_find;

pub use framing::{
    CategoryFraming, FramingDocument, FramingStory, LabelMention, LabelUse, OutletLabels,
};
pub use layers::*;
pub use parse::DepTree;
pub use pipeline::{Layer, Pipeline, Stage, StageError, catch_stage_panic};
pub use timeline::{DateSource, Entity, Event, Geo, Source, Timeline};
pub use timex_value::TimexDate;
pub use union_find::UnionFind;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A half-open range of UTF-8 byte offsets into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ByteSpan {
    /// First byte, inclusive.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl ByteSpan {
    /// Builds a span from usize offsets; panics if `start > end` or the offsets exceed `u32`.
    pub fn new(start: usize, end: usize) -> Self {
        assert!(start <= end, "span start {start} > end {end}");
        Self {
            start: u32::try_from(start).expect("offset fits u32"),
            end: u32::try_from(end).expect("offset fits u32"),
        }
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for a zero-length span.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(self, other: ByteSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: ByteSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Where a document came from and what its header said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// The article's own publication date, when known.
    pub date: Option<NaiveDate>,
    /// Publishing outlet or agency, when it can be read.
    pub outlet: Option<String>,
    /// A distributor the outlet came through (e.g. "MENAFN"), when named.
    pub distributor: Option<String>,
    /// The dateline place ("Tehran"), when the header has one.
    pub dateline: Option<String>,
    /// Input path (relative as given on the command line) or record origin.
    pub path: Option<String>,
    /// Headline, when the input carries one.
    pub title: Option<String>,
    /// Source URL, when the input carries one.
    pub url: Option<String>,
}

/// One article: its text, its metadata, and the layers stages have added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the file stem for files, the record's `id`, else a content hash.
    pub id: String,
    /// The body exactly as analysed. All offsets are UTF-8 bytes into this.
    pub text: String,
    /// Header and source metadata.
    pub meta: DocMeta,
    /// Hex digest of the normalized content (identity for idempotent ingest).
    pub content_hash: String,
    /// Id of the earlier document this one is a near-duplicate (wire reprint) of.
    pub duplicate_of: Option<String>,
    /// Annotation layers, filled by pipeline stages.
    pub layers: Layers,
}

impl Document {
    /// A document with the given id and text and no layers.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// The text a span covers. Panics if the span is out of bounds or not on char boundaries.
    pub fn span_text(&self, span: ByteSpan) -> &str {
        &self.text[span.range()]
    }

    /// Checks the span invariant over every layer: each span is in bounds,
    /// on char boundaries, and non-inverted. Returns the first violation.
    pub fn check_spans(&self) -> Result<(), String> {
        let check = |what: &str, s: ByteSpan| -> Result<(), String> {
            if s.start > s.end
                || s.end as usize > self.text.len()
                || !self.text.is_char_boundary(s.start as usize)
                || !self.text.is_char_boundary(s.end as usize)
            {
                Err(format!(
                    "{what} span {}..{} is invalid for doc {}",
                    s.start, s.end, self.id
                ))
            } else {
                Ok(())
            }
        };
        let l = &self.layers;
        l.sentences
            .iter()
            .try_for_each(|x| check("sentence", x.span))?;
        l.tokens.iter().try_for_each(|x| check("token", x.span))?;
        l.entities
            .iter()
            .try_for_each(|x| check("entity", x.span))?;
        l.timexes.iter().try_for_each(|x| check("timex", x.span))?;
        for e in &l.events {
            check("event trigger", e.trigger)?;
            if let Some(q) = e.quote {
                check("event quote", q)?;
            }
        }
        Ok(())
    }

    /// Index of the sentence containing byte `offset`, if sentences are present.
    pub fn sentence_at(&self, offset: u32) -> Option<usize> {
        let s = &self.layers.sentences;
        let i = s.partition_point(|x| x.span.end <= offset);
        (i < s.len() && s[i].span.start <= offset).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_text_is_cited_words() {
        let mut d = Document::new("d", "Araghchi met Assad in Damascus.");
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(0, 8), label::PERSON));
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(22, 30), label::GPE));
        assert_eq!(d.span_text(d.layers.entities[0].span), "Araghchi");
        assert_eq!(d.span_text(d.layers.entities[1].span), "Damascus");
        assert!(d.check_spans().is_ok());
    }

    #[test]
    fn check_spans_rejects_split_char() {
        let mut d = Document::new("d", "Assad’s remarks");
        // the apostrophe is 3 bytes (5..8); 6 is inside it
        d.layers.tokens.push(Token::new(ByteSpan::new(0, 6)));
        assert!(d.check_spans().is_err());
    }

    #[test]
    fn sentence_at_finds_containing_sentence() {
        let mut d = Document::new("d", "One. Two.");
        d.layers.sentences = vec![
            Sentence {
                span: ByteSpan::new(0, 4),
            },
            Sentence {
                span: ByteSpan::new(5, 9),
            },
        ];
        assert_eq!(d.sentence_at(0), Some(0));
        assert_eq!(d.sentence_at(4), None);
        assert_eq!(d.sentence_at(6), Some(1));
    }
}
