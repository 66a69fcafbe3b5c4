//! "Who says what": the words each outlet uses for the actors of one story
//! ("insurgents", "terrorist groups", "the regime"), grouped by story, actor
//! category and outlet, each use citing its exact byte span.
//!
//! Plain data in a fixed order, so that the same input gives the same view:
//! stories by id, categories by name, outlets by name, labels by text,
//! mentions by document then offset.

use serde::{Deserialize, Serialize};

/// One story told by at least two outlets, and how each of them labels its actors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FramingStory {
    /// Stable id (`s1`, ...), in the order of each story's smallest document id.
    pub id: String,
    /// The story's documents, sorted by id, each with its outlet.
    pub documents: Vec<FramingDocument>,
    /// Per actor category (sorted by name), the labels each outlet uses.
    pub categories: Vec<CategoryFraming>,
}

/// A document of a story and the outlet it speaks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FramingDocument {
    /// Document id.
    pub doc: String,
    /// The document's outlet, else its id (so unattributed articles still count as one voice).
    pub outlet: String,
}

/// The labels of one actor category in one story, per outlet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryFraming {
    /// `armed-nonstate`, `state`, `civil`, `foreign` or `unspecified`.
    pub category: String,
    /// Outlets that use a label of this category, sorted by name.
    pub outlets: Vec<OutletLabels>,
}

/// The labels one outlet uses for one actor category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletLabels {
    /// Outlet name (or document id, for an article without one).
    pub outlet: String,
    /// Distinct labels, sorted by text.
    pub labels: Vec<LabelUse>,
}

/// One label ("terrorist group") as one outlet uses it, with every use cited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelUse {
    /// Normalized text: lower case, the head noun as its lemma ("terrorist group").
    pub label: String,
    /// Lemma of the head noun ("group").
    pub head: String,
    /// True when a word of the label is evaluative ("terrorist", "regime").
    pub loaded: bool,
    /// Number of uses (`mentions.len()`).
    pub count: u32,
    /// Every use, sorted by document then start offset.
    pub mentions: Vec<LabelMention>,
}

/// One use of a label in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelMention {
    /// Document id.
    pub doc: String,
    /// Start of the phrase, UTF-8 byte offset into the document text.
    pub start: u32,
    /// End of the phrase (exclusive).
    pub end: u32,
    /// `text[start..end]`, byte for byte ("Islamist-led rebels").
    pub words: String,
    /// Entity id of the named entity the label characterizes
    /// ("the jihadist HTS group", "the Assad regime"), when there is one.
    pub entity: Option<String>,
    /// True when the words are inside quotation marks: the outlet reports
    /// someone else's label rather than using it in its own voice.
    #[serde(default)]
    pub quoted: bool,
}

impl LabelUse {
    /// A label with its uses; sorts the mentions and sets `count`.
    pub fn new(
        label: impl Into<String>,
        head: impl Into<String>,
        loaded: bool,
        mut mentions: Vec<LabelMention>,
    ) -> Self {
        mentions.sort_by(|a, b| {
            (a.doc.as_str(), a.start, a.end).cmp(&(b.doc.as_str(), b.start, b.end))
        });
        Self {
            label: label.into(),
            head: head.into(),
            loaded,
            count: u32::try_from(mentions.len()).unwrap_or(u32::MAX),
            mentions,
        }
    }
}

impl LabelUse {
    /// How many of the uses are inside quotation marks.
    pub fn quoted(&self) -> usize {
        self.mentions.iter().filter(|m| m.quoted).count()
    }
}

impl FramingStory {
    /// Outlets of the story's documents, sorted and distinct.
    pub fn outlets(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.documents.iter().map(|d| d.outlet.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(doc: &str, start: u32) -> LabelMention {
        LabelMention {
            doc: doc.into(),
            start,
            end: start + 5,
            words: "rebel".into(),
            entity: None,
            quoted: false,
        }
    }

    #[test]
    fn label_use_sorts_mentions_and_counts_them() {
        let u = LabelUse::new(
            "rebel",
            "rebel",
            false,
            vec![mention("b", 1), mention("a", 9), mention("a", 2)],
        );
        assert_eq!(u.count, 3);
        let order: Vec<(&str, u32)> = u
            .mentions
            .iter()
            .map(|m| (m.doc.as_str(), m.start))
            .collect();
        assert_eq!(order, [("a", 2), ("a", 9), ("b", 1)]);
    }

    #[test]
    fn outlets_are_distinct_and_sorted() {
        let d = |doc: &str, outlet: &str| FramingDocument {
            doc: doc.into(),
            outlet: outlet.into(),
        };
        let s = FramingStory {
            id: "s1".into(),
            documents: vec![d("1", "Wire B"), d("2", "Wire A"), d("3", "Wire B")],
            categories: vec![],
        };
        assert_eq!(s.outlets(), ["Wire A", "Wire B"]);
    }
}
