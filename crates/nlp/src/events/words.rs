//! The word lists of the event-mention stage, read from the data file
//! `crates/nlp/data/event_words.txt` (embedded at compile time): one
//! `[name]` section per list, words separated by spaces or line breaks,
//! `#` comment lines.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The data file, embedded.
const EVENT_WORDS: &str = include_str!("../../data/event_words.txt");

macro_rules! word_lists {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// The lists, one field per section of `event_words.txt`.
        #[derive(Debug)]
        pub(crate) struct WordLists {
            $($(#[$doc])* pub $name: Vec<&'static str>,)*
        }

        impl WordLists {
            /// Parses the file; every section is required and no other is allowed.
            fn parse(text: &'static str) -> Result<Self, String> {
                let mut sections = sections(text)?;
                let lists = Self {
                    $($name: sections
                        .remove(stringify!($name))
                        .ok_or(concat!("event_words.txt: no [", stringify!($name), "] section"))?,)*
                };
                match sections.keys().next() {
                    Some(extra) => Err(format!("event_words.txt: unknown section [{extra}]")),
                    None => Ok(lists),
                }
            }
        }
    };
}

word_lists! {
    /// Verbs whose object noun carries the event ("held talks").
    light_verbs,
    /// Verbs of which a nominal trigger is the subject ("the ceasefire took effect").
    event_subject_verbs,
    /// Verbs whose noun object's actor is the verb's subject ("X pledged support").
    support_verbs,
    /// Nouns of which a nominal trigger in "of X" is the event ("the launch of").
    light_nouns,
    /// Common nouns that name groups or agents able to act ("rebels", "police").
    group_nouns,
    /// Quantity words whose "of" object is the participant ("most of the city").
    partitives,
    /// Verbs whose complement has not happened yet.
    plan_verbs,
    /// Verbs whose complement did not happen.
    negating_verbs,
    /// Modifiers that make a nominal trigger planned ("upcoming visit").
    plan_modifiers,
    /// Words naming news media: a report by them is attribution.
    news_words,
    /// Entity labels that are never participants or places.
    not_participants,
}

/// The bundled lists, parsed on first use.
pub(crate) static WORDS: LazyLock<WordLists> =
    LazyLock::new(|| WordLists::parse(EVENT_WORDS).unwrap_or_else(|e| panic!("{e}")));

/// `[name]` sections of `text` and their words; the error names the line.
fn sections(text: &'static str) -> Result<BTreeMap<&'static str, Vec<&'static str>>, String> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if out.insert(name, Vec::new()).is_some() {
                return Err(format!("event_words.txt line {}: [{name}] twice", n + 1));
            }
            current = Some(name);
            continue;
        }
        let Some(name) = current else {
            return Err(format!(
                "event_words.txt line {}: words before any [section]",
                n + 1
            ));
        };
        out.get_mut(name)
            .expect("section inserted")
            .extend(line.split_whitespace());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_parse_and_are_not_empty() {
        let w = WordLists::parse(EVENT_WORDS).unwrap();
        assert!(w.light_verbs.contains(&"hold"));
        assert!(w.not_participants.contains(&"DATE"));
        assert!(w.news_words.contains(&"journalist"));
        for list in [
            &w.group_nouns,
            &w.partitives,
            &w.plan_verbs,
            &w.plan_modifiers,
        ] {
            assert!(!list.is_empty());
        }
    }

    #[test]
    fn missing_unknown_and_stray_sections_are_errors() {
        assert!(
            WordLists::parse("[light_verbs]\nhold\n")
                .unwrap_err()
                .contains("no [")
        );
        let all: String = sections(EVENT_WORDS)
            .unwrap()
            .keys()
            .map(|k| format!("[{k}]\nx\n"))
            .collect();
        let extra: &'static str = Box::leak(format!("{all}[extra]\ny\n").into_boxed_str());
        assert!(
            WordLists::parse(extra)
                .unwrap_err()
                .contains("unknown section")
        );
        assert!(sections("stray\n").unwrap_err().contains("line 1"));
    }
}
