//! Lexical attributes of a token, computed exactly as spaCy computes them
//! for `en_core_web_sm`: LOWER, NORM, PREFIX, SUFFIX, SHAPE (the features
//! the tok2vec layer embeds), with Python's string semantics (`str.lower`,
//! `str.isalpha`, `str.isdigit`, `str.isupper`, `str.isspace`).
//!
//! NORM is the special case's NORM when the tokenizer set one, else the
//! `lexeme_norm` table in `vocab/lookups.bin`, else spaCy's `BASE_NORMS`,
//! else the lowercase form.

mod pyunicode;

use std::collections::HashMap;
use std::path::Path;

use rmpv::Value;

use crate::Error;

/// The lexical attributes of one token, as strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexAttrs {
    /// `str.lower()` of the text.
    pub lower: String,
    /// The normalized form (see the module docs).
    pub norm: String,
    /// The first character.
    pub prefix: String,
    /// The last three characters (fewer if the text is shorter).
    pub suffix: String,
    /// spaCy's `word_shape` (e.g. "Xxxxx", "dd.d", "LONG").
    pub shape: String,
}

/// The lookup tables lexical attributes need.
#[derive(Debug, Clone, Default)]
pub struct LexTables {
    /// `lexeme_norm`: spaCy string hash of the text -> norm.
    norms: HashMap<u64, String>,
}

/// spaCy's language-independent norm exceptions (`spacy/lang/norm_exceptions.py`),
/// consulted after the model's `lexeme_norm` table.
const BASE_NORMS: &[(&str, &str)] = &[
    ("'s", "'s"),
    ("'S", "'s"),
    ("’s", "'s"),
    ("’S", "'s"),
    ("’", "'"),
    ("‘", "'"),
    ("´", "'"),
    ("`", "'"),
    ("”", "\""),
    ("“", "\""),
    ("''", "\""),
    ("``", "\""),
    ("´´", "\""),
    ("„", "\""),
    ("»", "\""),
    ("«", "\""),
    ("‘‘", "\""),
    ("’’", "\""),
    ("？", "?"),
    ("！", "!"),
    ("，", ","),
    ("；", ";"),
    ("：", ":"),
    ("。", "."),
    ("।", "."),
    ("…", "..."),
    ("—", "-"),
    ("–", "-"),
    ("--", "-"),
    ("---", "-"),
    ("——", "-"),
    ("€", "$"),
    ("£", "$"),
    ("¥", "$"),
    ("฿", "$"),
    ("US$", "$"),
    ("C$", "$"),
    ("A$", "$"),
    ("₺", "$"),
    ("₹", "$"),
    ("৳", "$"),
    ("₩", "$"),
    ("Mex$", "$"),
    ("₣", "$"),
    ("E£", "$"),
];

impl LexTables {
    /// Loads `vocab/lookups.bin` of the pipeline in `model_dir`.
    pub fn load(model_dir: &Path) -> Result<Self, Error> {
        let path = model_dir.join("vocab").join("lookups.bin");
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let tables = read_lookups(&bytes).map_err(|message| Error::Format {
            path: path.clone(),
            message,
        })?;
        let mut norms = HashMap::new();
        if let Some(table) = tables.get("lexeme_norm") {
            for (k, v) in table {
                if let Some(s) = v.as_str() {
                    norms.insert(*k, s.to_string());
                }
            }
        }
        Ok(Self { norms })
    }

    /// The lexical attributes of `token_text`; `norm_override` is the NORM a
    /// tokenizer special case set (`RawToken::norm`), if any.
    pub fn attrs(&self, token_text: &str, norm_override: Option<&str>) -> LexAttrs {
        let lower = lower(token_text);
        let norm = match norm_override {
            Some(n) => n.to_string(),
            None => self.norm(token_text, &lower),
        };
        let mut chars = token_text.chars();
        let prefix = chars.next().map(String::from).unwrap_or_default();
        let n = token_text.chars().count();
        let suffix: String = token_text.chars().skip(n.saturating_sub(3)).collect();
        LexAttrs {
            lower,
            norm,
            prefix,
            suffix,
            shape: word_shape(token_text),
        }
    }

    /// The NORM of a token without a special-case norm (`lower` is its
    /// lowercase form).
    fn norm(&self, text: &str, lower: &str) -> String {
        if let Some(n) = self.norms.get(&crate::hash::hash_string(text)) {
            return n.clone();
        }
        if let Some((_, n)) = BASE_NORMS.iter().find(|(k, _)| *k == text) {
            return (*n).to_string();
        }
        lower.to_string()
    }
}

/// A spaCy lookups file (`lookups.bin`): table name -> (key hash -> value).
pub(crate) type LookupTables = HashMap<String, Vec<(u64, Value)>>;

/// Decodes a spaCy `Lookups` msgpack file: a map of table names to maps
/// whose keys are spaCy string ids (hashes or symbol ids).
pub(crate) fn read_lookups(bytes: &[u8]) -> Result<LookupTables, String> {
    let root = rmpv::decode::read_value(&mut &bytes[..]).map_err(|e| e.to_string())?;
    let Value::Map(tables) = root else {
        return Err("lookups data is not a map".into());
    };
    let mut out = HashMap::new();
    for (name, table) in tables {
        let name = name
            .as_str()
            .ok_or("table name is not a string")?
            .to_string();
        let table = match table {
            Value::Map(m) => m,
            // Some spaCy versions store each table as nested msgpack bytes.
            Value::Binary(b) => {
                match rmpv::decode::read_value(&mut &b[..]).map_err(|e| e.to_string())? {
                    Value::Map(m) => m,
                    _ => return Err(format!("table {name} is not a map")),
                }
            }
            _ => return Err(format!("table {name} is not a map")),
        };
        let mut entries = Vec::with_capacity(table.len());
        for (k, v) in table {
            let key = k
                .as_u64()
                .ok_or_else(|| format!("table {name}: key is not an integer"))?;
            entries.push((key, v));
        }
        out.insert(name, entries);
    }
    Ok(out)
}

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isalpha()` for one character.
pub fn py_isalpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(pyunicode::ALPHA, c)
}

/// Python's `str.isdigit()` for one character.
pub fn py_isdigit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(pyunicode::DIGIT, c)
}

/// Python's `str.isupper()` for one character.
pub fn py_isupper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    in_ranges(pyunicode::UPPER, c)
}

/// Python's `str.isspace()` for one character.
pub fn py_isspace_char(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// spaCy's IS_SPACE: Python's `str.isspace()` (false for the empty string).
pub fn is_space(text: &str) -> bool {
    !text.is_empty() && text.chars().all(py_isspace_char)
}

/// Python's `str.lower()`.
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// spaCy's `word_shape`: letters become `X`/`x`, digits `d`, other
/// characters stay; runs longer than four are cut to four; 100 characters
/// or more give "LONG".
pub fn word_shape(text: &str) -> String {
    if text.chars().nth(99).is_some() {
        return "LONG".to_string();
    }
    let mut shape = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    let mut seq = 0;
    for c in text.chars() {
        let sc = if py_isalpha(c) {
            if py_isupper(c) { 'X' } else { 'x' }
        } else if py_isdigit(c) {
            'd'
        } else {
            c
        };
        if Some(sc) == last {
            seq += 1;
        } else {
            seq = 0;
            last = Some(sc);
        }
        if seq < 4 {
            shape.push(sc);
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_like_spacy() {
        for (text, shape) in [
            ("Apple", "Xxxxx"),
            ("1,000.5", "d,ddd.d"),
            ("U.S.", "X.X."),
            ("iPhone", "xXxxxx"),
            ("aaaaaaa", "xxxx"),
            ("2005", "dddd"),
            ("ǅE", "xX"),
            ("x²", "xd"),
            ("½", "½"),
            ("\n\n", "\n\n"),
        ] {
            assert_eq!(word_shape(text), shape, "{text:?}");
        }
        assert_eq!(word_shape(&"a".repeat(100)), "LONG");
    }
}
