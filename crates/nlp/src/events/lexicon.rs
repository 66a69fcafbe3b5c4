//! The trigger lexicon: lemma (+ optional frame word) -> PLOVER type, mode and flags,
//! read from the data file `crates/nlp/data/triggers.tsv`.

use crate::tsv::{self, TsvError};
use model::EventType;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The lexicon bundled with the crate.
const BUILTIN: &str = include_str!("../../data/triggers.tsv");

/// Which part of speech a lexicon entry applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosClass {
    /// Verbs (Penn `VB*`).
    Verb,
    /// Common nouns (Penn `NN`, `NNS`).
    Noun,
    /// Adjectives (Penn `JJ*`), as in "is willing to".
    Adj,
    /// Any of the above.
    Any,
}

impl PosClass {
    /// True when a token of class `actual` may use an entry of this class.
    pub fn admits(self, actual: PosClass) -> bool {
        self == PosClass::Any || self == actual
    }
}

/// Flags of a lexicon entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// All participants are actors (meetings, calls, talks, clashes).
    pub symmetric: bool,
    /// A reporting verb ("say"): a statement event whose complement is reported speech.
    pub say: bool,
    /// A typed speech act ("accuse", "warn"): its complement is its quote.
    pub comm: bool,
    /// Attribution only ("report", "confirm"): the complement stays `occurred`.
    pub attribution: bool,
    /// Takes or surrounds what it acts on ("seize", "capture", "besiege"): a
    /// place it acts on is also where it happens.
    pub site: bool,
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Trigger lemma, lowercase.
    pub lemma: String,
    /// A word that must be a direct dependent of the trigger, if any.
    pub frame: Option<String>,
    /// Part of speech the entry applies to.
    pub pos: PosClass,
    /// PLOVER type; `None` when the entry blocks the lemma ("NONE").
    pub kind: Option<EventType>,
    /// Refinement, if any.
    pub mode: Option<String>,
    /// Flags.
    pub flags: Flags,
}

/// One row of `data/triggers.tsv`, as its header describes it.
#[derive(serde::Deserialize)]
struct Row {
    lemma: String,
    frame: String,
    pos: String,
    kind: String,
    mode: String,
    flags: String,
    /// A seventh field, which no row may have.
    #[serde(default)]
    extra: String,
}

/// Trigger entries keyed by lemma.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_lemma: BTreeMap<String, Vec<Entry>>,
}

impl Lexicon {
    /// Parses the tab-separated format described at the top of
    /// `data/triggers.tsv`; an error names the line (as of `triggers.tsv`).
    pub fn parse(text: &str) -> Result<Self, TsvError> {
        const FILE: &str = "triggers.tsv";
        let mut by_lemma: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for (line, row) in tsv::rows::<Row>(FILE, text)? {
            let err = |message: String| TsvError {
                file: FILE.into(),
                line,
                message,
            };
            if !row.extra.is_empty() {
                return Err(err("more than 6 tab-separated fields".into()));
            }
            let dash = |s: &str| (s != "-").then(|| s.to_lowercase());
            let pos = match row.pos.as_str() {
                "V" => PosClass::Verb,
                "N" => PosClass::Noun,
                "A" => PosClass::Adj,
                "*" => PosClass::Any,
                other => return Err(err(format!("unknown part of speech {other:?}"))),
            };
            let kind = if row.kind == "NONE" {
                None
            } else {
                Some(
                    EventType::parse(&row.kind)
                        .ok_or_else(|| err(format!("unknown event type {:?}", row.kind)))?,
                )
            };
            let mut flags = Flags::default();
            if row.flags != "-" {
                for f in row.flags.split(',') {
                    match f {
                        "sym" => flags.symmetric = true,
                        "say" => flags.say = true,
                        "comm" => flags.comm = true,
                        "attr" => flags.attribution = true,
                        "site" => flags.site = true,
                        other => return Err(err(format!("unknown flag {other:?}"))),
                    }
                }
            }
            let lemma = row.lemma.to_lowercase();
            by_lemma.entry(lemma.clone()).or_default().push(Entry {
                lemma,
                frame: dash(&row.frame),
                pos,
                kind,
                mode: dash(&row.mode),
                flags,
            });
        }
        Ok(Self { by_lemma })
    }

    /// The lexicon bundled with the crate (parsed once).
    pub fn builtin() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon::parse(BUILTIN).expect("bundled trigger lexicon parses"))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_lemma.values().map(Vec::len).sum()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.by_lemma.is_empty()
    }

    /// The entry for a trigger lemma of class `pos` whose dependents have the
    /// lemmas `dependents`: a matching framed entry first, else the frameless one.
    /// Returns `None` when the lemma is unknown or blocked.
    pub fn lookup(&self, lemma: &str, pos: PosClass, dependents: &[&str]) -> Option<&Entry> {
        let entries = self.by_lemma.get(lemma)?;
        let fits = |e: &&Entry| e.pos.admits(pos);
        let framed = entries.iter().filter(fits).find(|e| {
            e.frame
                .as_deref()
                .is_some_and(|f| dependents.iter().any(|d| d.eq_ignore_ascii_case(f)))
        });
        let entry = framed.or_else(|| entries.iter().filter(fits).find(|e| e.frame.is_none()))?;
        entry.kind.map(|_| entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses() {
        assert!(Lexicon::builtin().len() > 200);
    }

    #[test]
    fn framed_entry_wins_over_frameless() {
        let lex = Lexicon::builtin();
        let t = |lemma, pos, deps: &[&str]| lex.lookup(lemma, pos, deps).and_then(|e| e.kind);
        let cases: &[(&str, PosClass, &[&str], Option<EventType>)] = &[
            (
                "strike",
                PosClass::Noun,
                &["hunger"],
                Some(EventType::Protest),
            ),
            ("strike", PosClass::Noun, &["air"], Some(EventType::Assault)),
            ("strike", PosClass::Noun, &[], Some(EventType::Protest)),
            ("call", PosClass::Verb, &["for"], Some(EventType::Request)),
            ("call", PosClass::Verb, &[], None),
            ("call", PosClass::Noun, &["phone"], Some(EventType::Consult)),
            ("meet", PosClass::Verb, &[], Some(EventType::Consult)),
            ("unknownword", PosClass::Verb, &[], None),
        ];
        for (lemma, pos, deps, want) in cases {
            assert_eq!(t(lemma, *pos, deps), *want, "{lemma} {deps:?}");
        }
    }

    #[test]
    fn bad_line_names_its_file_and_number() {
        let e = Lexicon::parse("# c\nmeet\t-\tV\tCONSULT\t-\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("triggers.tsv", 2), "{e}");
        let e = Lexicon::parse("meet\t-\tV\tCONSULT\t-\tsym\textra\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let e = Lexicon::parse("\nmeet\t-\tV\tMEETUP\t-\t-\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("MEETUP"), "{e}");
        // columns are tabs: a space-aligned row is one field
        assert!(Lexicon::parse("meet - V CONSULT - sym\n").is_err());
    }
}
