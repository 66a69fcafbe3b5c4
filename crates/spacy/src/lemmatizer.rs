//! spaCy's English rule lemmatizer (`spacy/lang/en/lemmatizer.py`, mode
//! "rule") with the tables in `lemmatizer/lookups/lookups.bin`
//! (`lemma_rules`, `lemma_exc`, `lemma_index`).
//!
//! The lemma of a token depends on its text, its universal POS and its
//! morphology (set by the attribute ruler); a lemma the attribute ruler fixed
//! is kept (the component runs with `overwrite = false`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rmpv::Value;

use crate::Error;
use crate::attribute_ruler::RuledToken;
use crate::hash::hash_string;
use crate::lex::{self, read_lookups};

/// spaCy symbol ids of the lowercase POS names that are symbols (as
/// dependency labels); spaCy's lookup tables key those by symbol id rather
/// than by string hash.
const POS_SYMBOLS: &[(&str, u64)] = &[
    ("aux", 405),
    ("conj", 410),
    ("det", 415),
    ("intj", 421),
    ("num", 431),
    ("punct", 445),
];

/// The lowercase universal POS names the tables may hold.
const UPOS: &[&str] = &[
    "adj", "adp", "adv", "aux", "conj", "cconj", "det", "intj", "noun", "num", "part", "pron",
    "propn", "punct", "sconj", "sym", "verb", "x",
];

/// The tables for one POS.
#[derive(Debug, Clone, Default)]
struct PosTables {
    index: HashSet<String>,
    exc: HashMap<String, Vec<String>>,
    rules: Vec<(String, String)>,
}

/// The rule lemmatizer of one pipeline.
#[derive(Debug, Clone)]
pub struct Lemmatizer {
    by_pos: HashMap<&'static str, PosTables>,
}

fn table_key(pos: &str) -> u64 {
    POS_SYMBOLS
        .iter()
        .find(|(p, _)| *p == pos)
        .map_or_else(|| hash_string(pos), |&(_, id)| id)
}

impl Lemmatizer {
    /// Loads `lemmatizer/lookups/lookups.bin` of the pipeline in `model_dir`.
    pub fn load(model_dir: &Path) -> Result<Self, Error> {
        let path = model_dir
            .join("lemmatizer")
            .join("lookups")
            .join("lookups.bin");
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let fmt = |message: String| Error::Format {
            path: path.clone(),
            message,
        };
        let tables = read_lookups(&bytes).map_err(fmt)?;
        let mut by_pos: HashMap<&'static str, PosTables> = HashMap::new();
        let find = |table: &str, pos: &str| -> Option<&Value> {
            let key = table_key(pos);
            tables
                .get(table)?
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
        };
        let str_list = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        for &pos in UPOS {
            let mut t = PosTables::default();
            let mut found = false;
            if let Some(v) = find("lemma_index", pos) {
                t.index = str_list(v).into_iter().collect();
                found = true;
            }
            if let Some(Value::Map(m)) = find("lemma_exc", pos) {
                for (k, v) in m {
                    if let Some(k) = k.as_str() {
                        t.exc.insert(k.to_string(), str_list(v));
                    }
                }
                found = true;
            }
            if let Some(Value::Array(rules)) = find("lemma_rules", pos) {
                for r in rules {
                    let pair = str_list(r);
                    if let [old, new] = pair.as_slice() {
                        t.rules.push((old.clone(), new.clone()));
                    } else {
                        return Err(fmt(format!(
                            "lemma_rules[{pos}]: a rule is not an [old, new] pair"
                        )));
                    }
                }
                found = true;
            }
            // spaCy treats empty tables like missing ones.
            if found && !(t.index.is_empty() && t.exc.is_empty() && t.rules.is_empty()) {
                by_pos.insert(pos, t);
            }
        }
        Ok(Self { by_pos })
    }

    /// The lemma of `word` with universal POS `pos` (e.g. "NOUN") and UD
    /// morphology `morph` (e.g. "Number=Plur"), as spaCy's English rule
    /// lemmatizer computes it.
    pub fn lemma(&self, word: &str, pos: &str, morph: &str) -> String {
        let univ_pos = lex::lower(pos);
        if univ_pos.is_empty() || univ_pos == "eol" || univ_pos == "space" {
            return lex::lower(word);
        }
        if is_base_form(&univ_pos, morph) {
            return lex::lower(word);
        }
        let Some(t) = self.by_pos.get(univ_pos.as_str()) else {
            return if univ_pos == "propn" {
                word.to_string()
            } else {
                lex::lower(word)
            };
        };
        let string = lex::lower(word);
        let mut forms: Vec<String> = Vec::new();
        let mut oov_forms: Vec<String> = Vec::new();
        for (old, new) in &t.rules {
            if let Some(stem) = string.strip_suffix(old.as_str()) {
                let form = format!("{stem}{new}");
                if form.is_empty() {
                    continue;
                }
                let in_index = t.index.contains(&form);
                if in_index || !is_alpha(&form) {
                    if in_index {
                        forms.insert(0, form);
                    } else {
                        forms.push(form);
                    }
                } else {
                    oov_forms.push(form);
                }
            }
        }
        // Remove duplicates, keeping first occurrences.
        let mut seen = HashSet::new();
        forms.retain(|f| seen.insert(f.clone()));
        if let Some(excs) = t.exc.get(&string) {
            for form in excs {
                if !forms.contains(form) {
                    forms.insert(0, form.clone());
                }
            }
        }
        if forms.is_empty() {
            forms = oov_forms;
        }
        forms.into_iter().next().unwrap_or_else(|| word.to_string())
    }

    /// Lemmas for a document after the attribute ruler: a lemma the ruler
    /// set is kept, the others come from [`Lemmatizer::lemma`].
    pub fn lemmatize(&self, words: &[&str], ruled: &[RuledToken]) -> Vec<String> {
        words
            .iter()
            .zip(ruled)
            .map(|(w, r)| match &r.lemma {
                Some(l) => l.clone(),
                None => self.lemma(w, &r.pos, &r.morph),
            })
            .collect()
    }
}

/// Python's `str.isalpha()` on a whole string.
fn is_alpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(lex::py_isalpha)
}

/// The value of feature `name` in a UD morphology string.
fn feature<'m>(morph: &'m str, name: &str) -> Option<&'m str> {
    morph
        .split('|')
        .filter_map(|f| f.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `EnglishLemmatizer.is_base_form`.
fn is_base_form(univ_pos: &str, morph: &str) -> bool {
    let number = feature(morph, "Number");
    let verb_form = feature(morph, "VerbForm");
    let degree = feature(morph, "Degree");
    let tense = feature(morph, "Tense");
    (univ_pos == "noun" && number == Some("Sing"))
        || (univ_pos == "verb" && verb_form == Some("Inf"))
        || (univ_pos == "verb"
            && verb_form == Some("Fin")
            && tense == Some("Pres")
            && number.is_none())
        || (univ_pos == "adj" && degree == Some("Pos"))
        || verb_form == Some("Inf")
        || verb_form == Some("None")
        || degree == Some("Pos")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_rules_and_exceptions() {
        let l = Lemmatizer::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0"),
        )
        .unwrap();
        for (word, pos, morph, lemma) in [
            ("companies", "NOUN", "Number=Plur", "company"),
            ("mice", "NOUN", "Number=Plur", "mouse"),
            ("gave", "VERB", "Tense=Past|VerbForm=Fin", "give"),
            (
                "running",
                "VERB",
                "Aspect=Prog|Tense=Pres|VerbForm=Part",
                "run",
            ),
            ("announced", "VERB", "Tense=Past|VerbForm=Fin", "announce"),
            ("larger", "ADJ", "Degree=Cmp", "large"),
            ("Jobs", "PROPN", "Number=Sing", "Jobs"),
            ("Apple", "PROPN", "Number=Sing", "Apple"),
            ("Dogs", "NOUN", "Number=Sing", "dogs"),
            ("\n", "SPACE", "", "\n"),
        ] {
            assert_eq!(l.lemma(word, pos, morph), lemma, "{word} {pos} {morph}");
        }
    }
}
