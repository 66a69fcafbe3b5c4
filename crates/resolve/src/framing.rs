//! Framing: "who says what?" The words each outlet uses for the actors of
//! one story: one says "insurgent groups", another "Islamist-led rebels", a
//! third "terrorist organizations".
//!
//! A **label** is a noun phrase that characterizes a political, armed or
//! social actor, found in the parse:
//! - its head noun's lemma is an actor word of the lexicon
//!   (`data/labels.tsv`: word, category, loaded, kind), e.g. "rebels",
//!   "the regime", or a generic word ("group", "forces") that has a
//!   descriptive modifier or a named entity ("armed groups", "the Hezbollah
//!   group");
//! - its words are the head's lemma and its descriptive left modifiers
//!   (`amod`, `compound`, `nmod`, `npadvmod`, each with its own modifiers, so
//!   "Islamist-led" and "foreign-backed" stay whole), lower-cased; quantity and
//!   reference words ("several", "other", "own"), numbers, determiners and
//!   possessors are not label words;
//! - a named entity (not a nationality) among those modifiers, or one the
//!   phrase is in apposition to or a compound of ("the jihadist Hayat Tahrir
//!   al-Sham (HTS) group", "HTS, a jihadist group", "the militant group
//!   Hamas"), is the entity the label characterizes; its words are not label
//!   words, but the cited span runs from the first modifier to the head; so
//!   is a named possessor ("Assad's regime");
//! - an actor noun that modifies another noun ("rebel advance", "terrorist
//!   attacks") is a label of its own: the words one outlet uses for the
//!   people behind it.
//!
//! A label inside quotation marks is marked `quoted`: the outlet reports
//! someone else's word ("confronting foreign-backed terrorist attacks", a
//! government statement said) rather than using it in its own voice.
//!
//! The label's category is its head's, or for a generic head the first
//! categorized modifier word's ("security forces": state). A label is
//! **loaded** when one of its words is marked so ("terrorist", "regime").
//!
//! [`compare`] groups documents by story with the events' story TF-IDF
//! clustering ([`crate::events::stories::cluster_documents`]) and, for each
//! story told by two or more outlets (`DocMeta::outlet`, else the document
//! id), lists per category and outlet the labels used, with counts and every
//! span. Reprints count as the outlet that ran them.

use crate::events::stories;
use model::{
    ByteSpan, CategoryFraming, DepTree, Document, FramingDocument, FramingStory, LabelMention,
    LabelUse, OutletLabels, label,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const LABELS_TSV: &str = include_str!("../data/labels.tsv");

/// Modifiers that quantify, size or refer rather than characterize.
const NOT_DESCRIPTIVE: &[&str] = &[
    "other",
    "several",
    "many",
    "various",
    "some",
    "such",
    "same",
    "different",
    "own",
    "both",
    "certain",
    "numerous",
    "few",
    "multiple",
    "respective",
    "remaining",
    "entire",
    "whole",
    "latest",
    "last",
    "first",
    "new",
    "main",
    "major",
    "more",
    "most",
    "further",
    "additional",
    "individual",
    "particular",
    "specific",
    "unspecified",
    "unnamed",
    "unidentified",
    "small",
    "large",
    "big",
    "appropriate",
    "relevant",
    "concerned",
    "current",
    "previous",
];

/// Entity labels of names: a label characterizes the entity such a name
/// (among its modifiers, its possessor or in apposition) refers to.
const NAMED: &[&str] = &[
    label::PERSON,
    label::ORG,
    label::GPE,
    label::LOC,
    label::FAC,
    label::EVENT,
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
];

/// Dependency labels of the left modifiers that make a label's words.
const MODIFIER_DEPS: &[&str] = &["amod", "compound", "nmod", "npadvmod"];

/// How a lexicon word makes labels (see `data/labels.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Names an actor as a head, and as the modifier of a non-actor noun.
    Actor,
    /// Names an actor as a head only.
    Head,
    /// Names an actor as a head only with a modifier or a named entity.
    Generic,
    /// Never a label by itself; gives its category to a generic head.
    Modifier,
}

/// One lexicon row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `armed-nonstate`, `state`, `civil`, `foreign` or `unspecified`.
    pub category: String,
    /// Evaluative rather than descriptive.
    pub loaded: bool,
    /// How it makes labels.
    pub kind: Kind,
}

/// The actor-word lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: BTreeMap<String, Entry>,
}

impl Lexicon {
    /// The bundled lexicon (`data/labels.tsv`), parsed once.
    pub fn bundled() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon::parse(LABELS_TSV).expect("bundled labels.tsv is well-formed"))
    }

    /// Parses a lexicon: `word<TAB>category<TAB>yes|no<TAB>actor|head|generic|modifier`
    /// per line; `#` lines and blank lines are skipped. The error names the line.
    pub fn parse(tsv: &str) -> Result<Self, String> {
        let mut words = BTreeMap::new();
        let rows = nlp::tsv::rows::<(String, String, String, String)>("labels.tsv", tsv)
            .map_err(|e| e.to_string())?;
        for (line, (word, category, loaded, kind)) in rows {
            let bad = |what: &str| format!("labels.tsv line {line}: {what}: {word:?}");
            let loaded = match loaded.as_str() {
                "yes" => true,
                "no" => false,
                _ => return Err(bad("loaded must be yes or no")),
            };
            let kind = match kind.as_str() {
                "actor" => Kind::Actor,
                "head" => Kind::Head,
                "generic" => Kind::Generic,
                "modifier" => Kind::Modifier,
                _ => return Err(bad("kind must be actor, head, generic or modifier")),
            };
            let entry = Entry {
                category,
                loaded,
                kind,
            };
            if words.insert(word.to_lowercase(), entry).is_some() {
                return Err(bad("word listed twice"));
            }
        }
        Ok(Self { words })
    }

    /// The entry of a lower-case word.
    pub fn get(&self, word: &str) -> Option<&Entry> {
        self.words.get(word)
    }
}

/// One label found in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The phrase, from its first modifier (or named entity before the head) to its head noun.
    pub span: ByteSpan,
    /// Normalized text: lower-case modifiers and the head's lemma ("terrorist group").
    pub text: String,
    /// The head noun's lemma ("group").
    pub head: String,
    /// The actor category.
    pub category: String,
    /// True when a word of the label is evaluative.
    pub loaded: bool,
    /// Entity id of the named entity the label characterizes, when there is one.
    pub entity: Option<String>,
    /// Inside quotation marks (someone else's words, reported).
    pub quoted: bool,
}

/// The labels of one document with the bundled lexicon, in text order.
pub fn labels(doc: &Document) -> Vec<Label> {
    labels_with(doc, Lexicon::bundled())
}

/// Whether a token is a noun that may head a label: a common noun, or a
/// capitalized one the tagger took for a name ("Rebels" opening a sentence)
/// that is no named entity.
fn nounish(p: &Parse, i: usize) -> bool {
    let pos = p.doc.layers.tokens[i].pos.as_str();
    pos == "NOUN" || (pos == "PROPN" && p.named(i).is_none())
}

/// The lexicon entry of a head token's lemma; a capitalized plural the
/// tagger took for a name has its own form as lemma ("Rebels").
fn head_entry<'l>(p: &Parse, i: usize, lex: &'l Lexicon) -> Option<(String, &'l Entry)> {
    let l = p.lemma(i);
    if let Some(e) = lex.get(&l) {
        return Some((l, e));
    }
    let singular = l
        .strip_suffix('s')
        .filter(|_| p.doc.layers.tokens[i].pos == "PROPN")?;
    lex.get(singular).map(|e| (singular.to_string(), e))
}

/// The document's dependency tree and the entity mention each token is in.
struct Parse<'d> {
    tree: DepTree<'d>,
    /// Index of the entity mention a token lies in.
    mention: Vec<Option<usize>>,
}

impl<'d> std::ops::Deref for Parse<'d> {
    type Target = DepTree<'d>;

    fn deref(&self) -> &DepTree<'d> {
        &self.tree
    }
}

impl<'d> Parse<'d> {
    fn new(doc: &'d Document) -> Self {
        let toks = &doc.layers.tokens;
        let ents = &doc.layers.entities;
        let mention = toks
            .iter()
            .map(|t| {
                let k = ents.partition_point(|m| m.span.end <= t.span.start);
                ents[k..]
                    .iter()
                    .take_while(|m| m.span.start < t.span.end)
                    .position(|m| m.span.overlaps(t.span))
                    .map(|p| k + p)
            })
            .collect();
        Self {
            tree: DepTree::new(doc),
            mention,
        }
    }

    /// The named entity mention (a person, organization, place, ...; not a
    /// nationality or creed, nor a date or number) a token is in.
    fn named(&self, i: usize) -> Option<usize> {
        self.mention[i].filter(|&m| NAMED.contains(&self.doc.layers.entities[m].label.as_str()))
    }

    /// Whether a token is in no mention, or in a nationality or creed ("Kurdish").
    fn plain_or_norp(&self, i: usize) -> bool {
        self.mention[i].is_none_or(|m| self.doc.layers.entities[m].label == label::NORP)
    }

    /// Whether a token can be a label word: a descriptive word or hyphen,
    /// not a name (a nationality or creed is a word: "Kurdish", "Islamist"),
    /// number, determiner, pronoun or preposition.
    fn wordlike(&self, i: usize) -> bool {
        let t = &self.doc.layers.tokens[i];
        match t.pos.as_str() {
            "ADJ" | "ADV" | "NOUN" | "VERB" | "PART" | "CCONJ" => self.plain_or_norp(i),
            "PROPN" => self.mention[i].is_some() && self.plain_or_norp(i),
            "PUNCT" => t.tag == "HYPH",
            _ => false,
        }
    }
}

/// What the left modifiers of a head add to a label.
#[derive(Default)]
struct Modifiers {
    /// Word units in text order: (first token, last token, lower-case text).
    units: Vec<(usize, usize, String)>,
    /// First token of a named entity among the modifiers, and its mention.
    entity: Option<(usize, usize)>,
}

fn modifiers(p: &Parse, head: usize) -> Modifiers {
    let doc = p.doc;
    let toks = &doc.layers.tokens;
    let mut out = Modifiers::default();
    for &c in p.children(head).iter().filter(|&&c| c < head) {
        let t = &toks[c];
        if !MODIFIER_DEPS.contains(&t.dep.as_str()) {
            continue;
        }
        if let Some(m) = p.named(c) {
            if out.entity.is_none_or(|(first, _)| c < first) {
                out.entity = Some((c, m));
            }
            continue;
        }
        let word = doc.span_text(t.span).to_lowercase();
        if !p.wordlike(c) || t.pos == "PUNCT" || NOT_DESCRIPTIVE.contains(&word.as_str()) {
            continue;
        }
        // the modifier with its own modifiers ("Islamist-led", "heavily
        // armed", "Iran-backed": a name joined by a hyphen is a word), unless
        // they reach beyond plain words ("fighters of the ...")
        let (lo, hi) = p.subtree(c);
        // a quantity ("100-man", "42-year-old") is no characterization
        if (lo..=hi).any(|k| toks[k].pos == "NUM") {
            continue;
        }
        let hyphenated = (lo..=hi).any(|k| toks[k].tag == "HYPH");
        let (mut lo, mut hi) =
            if (lo..=hi).all(|k| p.wordlike(k) || (hyphenated && p.named(k).is_some())) {
                (lo, hi)
            } else {
                (c, c)
            };
        while lo < c && toks[lo].tag == "HYPH" {
            lo += 1;
        }
        while hi > c && toks[hi].tag == "HYPH" {
            hi -= 1;
        }
        let text = doc
            .span_text(p.span(lo, hi))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        out.units.push((lo, hi, text));
    }
    out.units.sort_by_key(|u| u.0);
    out
}

/// The lexicon entries of a label's words: each modifier unit, its words, and
/// the parts of its hyphenated words ("islamist-led": "islamist").
fn word_entries<'l>(units: &[(usize, usize, String)], lex: &'l Lexicon) -> Vec<&'l Entry> {
    let mut v = Vec::new();
    for (_, _, text) in units {
        let mut keys = vec![text.clone()];
        for w in text.split_whitespace() {
            keys.push(w.to_string());
            keys.extend(w.split('-').map(str::to_string));
        }
        keys.dedup();
        let mut seen = BTreeSet::new();
        for k in keys {
            if seen.insert(k.clone())
                && let Some(e) = lex.get(&k)
            {
                v.push(e);
            }
        }
    }
    v
}

/// Whether byte `at` is inside quotation marks opened earlier in its
/// sentence (an odd number of straight quotes, or more opening than closing
/// curly ones, before it).
fn quoted(doc: &Document, at: u32) -> bool {
    let from = doc
        .sentence_at(at)
        .map_or(0, |i| doc.layers.sentences[i].span.start as usize);
    let before = &doc.text[from..at as usize];
    let count = |c: char| before.chars().filter(|&x| x == c).count();
    count('"') % 2 == 1 || count('\u{201c}') > count('\u{201d}')
}

/// The labels of one document, in text order.
pub fn labels_with(doc: &Document, lex: &Lexicon) -> Vec<Label> {
    let p = Parse::new(doc);
    let toks = &doc.layers.tokens;
    let entity_of = |m: usize| doc.layers.entities[m].entity.clone();
    let mut out = Vec::new();
    let mut folded = BTreeSet::new();
    for h in 0..toks.len() {
        let adjective = toks[h].pos == "ADJ";
        if p.named(h).is_some() || !(nounish(&p, h) || adjective) {
            continue;
        }
        let Some((head_lemma, entry)) = head_entry(&p, h, lex) else {
            continue;
        };
        if entry.kind == Kind::Modifier {
            continue;
        }
        let t = &toks[h];
        let parent = t.head as usize;
        let is_modifier = parent != h
            && parent < toks.len()
            && MODIFIER_DEPS.contains(&t.dep.as_str())
            && parent > h;
        // the named entity the phrase describes, when it is a compound or an
        // apposition of one ("the militant group Hamas", "HTS, a jihadist group")
        let described = (parent != h && parent < toks.len())
            .then(|| p.named(parent))
            .flatten()
            .filter(|_| is_modifier || t.dep == "appos");
        if adjective && !(is_modifier && entry.kind == Kind::Actor) {
            continue;
        }
        let attributive = is_modifier && described.is_none();
        if attributive {
            let parent_is_actor = nounish(&p, parent)
                && head_entry(&p, parent, lex).is_some_and(|(_, e)| e.kind != Kind::Modifier);
            // a word of a larger label, or only attributive for actor words
            if parent_is_actor || entry.kind != Kind::Actor {
                continue;
            }
        }
        // an attributive label is the word alone: its modifiers are the
        // modified noun's ("a surprise rebel offensive")
        let mut mods = if attributive {
            Modifiers::default()
        } else {
            modifiers(&p, h)
        };
        // "the jihadist Ansar al-Islam group" parsed as the noun "jihadist"
        // with the group in apposition: that actor word, right before the
        // phrase, is this label's first modifier
        let starts_at = mods
            .units
            .first()
            .map(|u| u.0)
            .into_iter()
            .chain(mods.entity.map(|(first, _)| first))
            .min()
            .unwrap_or(h);
        if t.dep == "appos"
            && entry.kind == Kind::Generic
            && parent + 1 == starts_at
            && p.named(parent).is_none()
            && head_entry(&p, parent, lex).is_some_and(|(_, e)| e.kind == Kind::Actor)
        {
            let word = doc.span_text(toks[parent].span).to_lowercase();
            mods.units.insert(0, (parent, parent, word));
            folded.insert(parent);
        }
        // an entity in apposition to the head ("the group HTS")
        let appos_entity = p
            .children(h)
            .iter()
            .filter(|&&c| c > h && toks[c].dep == "appos")
            .find_map(|&c| p.named(c));
        // a named possessor ("Assad's regime")
        let possessor = p
            .children(h)
            .iter()
            .filter(|&&c| c < h && toks[c].dep == "poss")
            .find_map(|&c| p.named(c));
        let entity_mention = mods
            .entity
            .map(|(_, m)| m)
            .or(described)
            .or(appos_entity)
            .or(possessor);
        if entry.kind == Kind::Generic && mods.units.is_empty() && entity_mention.is_none() {
            continue;
        }
        let entries = word_entries(&mods.units, lex);
        let category = if entry.kind == Kind::Generic {
            entries
                .iter()
                .map(|e| e.category.as_str())
                .find(|c| *c != "unspecified")
                .unwrap_or(entry.category.as_str())
        } else {
            entry.category.as_str()
        };
        let loaded = entry.loaded || entries.iter().any(|e| e.loaded);
        let first = mods
            .units
            .first()
            .map(|u| u.0)
            .into_iter()
            .chain(mods.entity.map(|(first, _)| first))
            .min()
            .unwrap_or(h);
        let mut text: Vec<&str> = mods.units.iter().map(|u| u.2.as_str()).collect();
        text.push(&head_lemma);
        out.push((
            h,
            Label {
                span: p.span(first, h),
                text: text.join(" "),
                head: head_lemma.clone(),
                category: category.to_string(),
                loaded,
                entity: entity_mention.and_then(entity_of),
                quoted: quoted(doc, toks[first].span.start),
            },
        ));
    }
    out.into_iter()
        .filter(|(h, _)| !folded.contains(h))
        .map(|(_, l)| l)
        .collect()
}

/// Who says what, story by story: clusters the documents by story
/// ([`stories::cluster_documents`]) and compares the labels of each story
/// told by two or more outlets.
pub fn compare(docs: &[Document]) -> Vec<FramingStory> {
    compare_in(docs, &stories::cluster_documents(docs), Lexicon::bundled())
}

/// [`compare`] over given story clusters (`clusters[i]` is document `i`'s
/// story number) and lexicon. Stories without any label are left out; ids
/// `s1..` follow the stories' smallest document ids.
pub fn compare_in(docs: &[Document], clusters: &[usize], lex: &Lexicon) -> Vec<FramingStory> {
    let mut stories: BTreeMap<usize, Vec<&Document>> = BTreeMap::new();
    for (d, &c) in docs.iter().zip(clusters) {
        stories.entry(c).or_default().push(d);
    }
    let outlet = |d: &Document| d.meta.outlet.clone().unwrap_or_else(|| d.id.clone());
    let mut out: Vec<FramingStory> = Vec::new();
    for mut members in stories.into_values() {
        members.sort_by(|a, b| a.id.cmp(&b.id));
        let outlets: BTreeSet<String> = members.iter().map(|d| outlet(d)).collect();
        if outlets.len() < 2 {
            continue;
        }
        // category -> outlet -> label -> (head, loaded, mentions)
        type Uses = (String, bool, Vec<LabelMention>);
        let mut by: BTreeMap<String, BTreeMap<String, BTreeMap<String, Uses>>> = BTreeMap::new();
        for d in &members {
            for l in labels_with(d, lex) {
                let u = by
                    .entry(l.category)
                    .or_default()
                    .entry(outlet(d))
                    .or_default()
                    .entry(l.text)
                    .or_insert_with(|| (l.head, l.loaded, Vec::new()));
                u.2.push(LabelMention {
                    doc: d.id.clone(),
                    start: l.span.start,
                    end: l.span.end,
                    words: d.span_text(l.span).to_string(),
                    entity: l.entity,
                    quoted: l.quoted,
                });
            }
        }
        if by.is_empty() {
            continue;
        }
        let categories = by
            .into_iter()
            .map(|(category, outlets)| CategoryFraming {
                category,
                outlets: outlets
                    .into_iter()
                    .map(|(outlet, labels)| OutletLabels {
                        outlet,
                        labels: labels
                            .into_iter()
                            .map(|(label, (head, loaded, ms))| {
                                LabelUse::new(label, head, loaded, ms)
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        out.push(FramingStory {
            id: String::new(),
            documents: members
                .iter()
                .map(|d| FramingDocument {
                    doc: d.id.clone(),
                    outlet: outlet(d),
                })
                .collect(),
            categories,
        });
    }
    out.sort_by(|a, b| a.documents[0].doc.cmp(&b.documents[0].doc));
    for (i, s) in out.iter_mut().enumerate() {
        s.id = format!("s{}", i + 1);
    }
    out
}
