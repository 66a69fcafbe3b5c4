//! spaCy's rule-based tokenizer, loaded from a pipeline's `tokenizer` file
//! and run exactly as `spacy.tokenizer.Tokenizer.__call__` does.
//!
//! The algorithm, in spaCy's order:
//! 1. Split the text into runs of whitespace and non-whitespace (Python's
//!    `str.isspace`). A single `' '` after a word becomes that word's
//!    trailing space; any other whitespace run becomes a whitespace token.
//! 2. Each non-whitespace chunk that is a special case (`exceptions`) takes the
//!    special case's tokens. Otherwise prefixes and suffixes are stripped in a
//!    loop (stopping when the rest is a special case or matches `token_match`),
//!    and what is left is a special case, a `token_match`/`url_match` token,
//!    or is split at infixes.
//! 3. Special cases that contain affixes, infixes or spaces are matched again
//!    over the token sequence (spaCy's `_special_matcher` phrase matcher) and
//!    retokenized.
//!
//! Offsets are UTF-8 byte offsets into the input text.

mod pyregex;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use pyregex::PyRegex;
use rmpv::Value;

use crate::Error;

/// spaCy's symbol id for the ORTH attribute in serialized special cases.
const ORTH: u64 = 65;
/// spaCy's symbol id for the NORM attribute in serialized special cases.
const NORM: u64 = 67;
/// Largest number of chunk tokenizations kept in the memo (spaCy keeps 10,000).
const MAX_CACHE: usize = 100_000;

/// One token as the tokenizer produces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    /// First byte of the token in the text.
    pub start: usize,
    /// One past the last byte of the token.
    pub end: usize,
    /// The NORM a special case assigns (e.g. "n't" -> "not"), if any.
    pub norm: Option<String>,
    /// Whether a single space follows the token (spaCy's `whitespace_`).
    pub space_after: bool,
}

/// One token of a special case: its length in bytes and its NORM, if set.
#[derive(Debug, Clone)]
struct Piece {
    len: usize,
    norm: Option<Box<str>>,
}

/// A token during tokenization; `norm` borrows the special-case table.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    start: usize,
    end: usize,
    norm: Option<&'a str>,
    spacy: bool,
}

/// A trie over token texts: spaCy's `PhraseMatcher` on ORTH, holding the
/// special cases that the first pass can miss.
#[derive(Debug, Default)]
struct Trie {
    /// Node 0 is the root.
    nodes: Vec<TrieNode>,
}

#[derive(Debug, Default)]
struct TrieNode {
    children: HashMap<Box<str>, usize>,
    terminal: bool,
}

impl Trie {
    fn insert(&mut self, words: &[&str]) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0;
        for w in words {
            node = match self.nodes[node].children.get(*w) {
                Some(&n) => n,
                None => {
                    let n = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].children.insert((*w).into(), n);
                    n
                }
            };
        }
        self.nodes[node].terminal = true;
    }

    fn child(&self, node: usize, word: &str) -> Option<usize> {
        self.nodes.get(node)?.children.get(word).copied()
    }
}

/// spaCy's tokenizer for one pipeline.
#[derive(Debug)]
pub struct Tokenizer {
    prefix: Option<PyRegex>,
    suffix: Option<PyRegex>,
    infix: Option<PyRegex>,
    token_match: Option<PyRegex>,
    url_match: Option<PyRegex>,
    specials: HashMap<Box<str>, Box<[Piece]>>,
    matcher: Trie,
    /// Token byte lengths of chunks tokenized without any special case
    /// (spaCy's `_cache`; a pure memo, it never changes the output).
    cache: Mutex<HashMap<Box<str>, Box<[u32]>>>,
}

fn format_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Tokenizer {
    /// Loads the tokenizer of the pipeline in `model_dir` (its `tokenizer`
    /// msgpack file: affix/infix/url regexes and special cases).
    pub fn load(model_dir: &Path) -> Result<Self, Error> {
        let path = model_dir.join("tokenizer");
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        Self::from_bytes(&bytes).map_err(|m| format_err(&path, m))
    }

    /// Builds a tokenizer from the bytes of a spaCy `tokenizer` file.
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let root: Value = rmpv::decode::read_value(&mut &bytes[..]).map_err(|e| e.to_string())?;
        let map = root.as_map().ok_or("tokenizer data is not a map")?;
        let get = |key: &str| {
            map.iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v)
        };
        let regex = |key: &str| -> Result<Option<PyRegex>, String> {
            match get(key) {
                Some(Value::String(s)) => {
                    let s = s.as_str().ok_or_else(|| format!("{key}: not UTF-8"))?;
                    PyRegex::new(s).map(Some).map_err(|e| format!("{key}: {e}"))
                }
                _ => Ok(None),
            }
        };
        let mut tok = Tokenizer {
            prefix: regex("prefix_search")?,
            suffix: regex("suffix_search")?,
            infix: regex("infix_finditer")?,
            token_match: regex("token_match")?,
            url_match: regex("url_match")?,
            specials: HashMap::new(),
            matcher: Trie::default(),
            cache: Mutex::new(HashMap::new()),
        };
        let faster_heuristics = get("faster_heuristics")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut rules: Vec<(String, Vec<Piece>)> = Vec::new();
        if let Some(Value::Map(exc)) = get("exceptions") {
            for (k, v) in exc {
                let chunk = k.as_str().ok_or("special case key is not a string")?;
                let subs = v.as_array().ok_or("special case value is not a list")?;
                let mut pieces = Vec::with_capacity(subs.len());
                let mut orth_all = String::new();
                for sub in subs {
                    let attrs = sub.as_map().ok_or("special case token is not a map")?;
                    let mut orth = None;
                    let mut norm = None;
                    for (ak, av) in attrs {
                        let id = match ak {
                            Value::Integer(i) => i.as_u64(),
                            Value::String(s) => match s.as_str() {
                                Some("ORTH") => Some(ORTH),
                                Some("NORM") => Some(NORM),
                                _ => None,
                            },
                            _ => None,
                        };
                        match id {
                            Some(ORTH) => orth = av.as_str(),
                            Some(NORM) => norm = av.as_str(),
                            _ => {
                                return Err(format!(
                                    "special case {chunk:?}: unsupported attribute"
                                ));
                            }
                        }
                    }
                    let orth =
                        orth.ok_or_else(|| format!("special case {chunk:?}: token without ORTH"))?;
                    orth_all.push_str(orth);
                    pieces.push(Piece {
                        len: orth.len(),
                        norm: norm.map(Into::into),
                    });
                }
                if orth_all != chunk {
                    return Err(format!(
                        "special case {chunk:?}: ORTHs do not spell the key"
                    ));
                }
                rules.push((chunk.to_string(), pieces));
            }
        }
        rules.sort_by(|a, b| a.0.cmp(&b.0));
        for (chunk, pieces) in &rules {
            tok.specials
                .insert(chunk.as_str().into(), pieces.clone().into_boxed_slice());
        }
        // The phrase-matcher patterns: each special case tokenized without
        // special cases, for those that affixes, infixes or spaces could hide.
        let mut matcher = Trie::default();
        let mut infixes = Vec::new();
        for (chunk, _) in &rules {
            let needs = !faster_heuristics
                || tok.find_prefix(chunk) != 0
                || tok.find_suffix(chunk) != 0
                || {
                    tok.find_infix(chunk, &mut infixes);
                    !infixes.is_empty()
                }
                || chunk.contains(' ');
            if needs {
                let toks = tok.tokenize_affixes(chunk, false);
                let words: Vec<&str> = toks.iter().map(|t| &chunk[t.start..t.end]).collect();
                matcher.insert(&words);
            }
        }
        tok.matcher = matcher;
        tok.cache.lock().map_err(|e| e.to_string())?.clear();
        Ok(tok)
    }

    /// Tokenizes `text` as spaCy does; whitespace tokens are included.
    pub fn tokenize(&self, text: &str) -> Vec<RawToken> {
        let mut toks = self.tokenize_affixes(text, true);
        self.apply_special_cases(text, &mut toks);
        toks.into_iter()
            .map(|t| RawToken {
                start: t.start,
                end: t.end,
                norm: t.norm.map(str::to_string),
                space_after: t.spacy,
            })
            .collect()
    }

    /// Python's `str.isspace` for one character.
    fn is_space(c: char) -> bool {
        c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
    }

    /// spaCy's `_tokenize_affixes`: whitespace splitting, then each chunk.
    fn tokenize_affixes<'s>(&'s self, text: &str, with_special: bool) -> Vec<Tok<'s>> {
        let mut toks = Vec::with_capacity(text.len() / 4 + 1);
        let Some(first) = text.chars().next() else {
            return toks;
        };
        let mut in_ws = Self::is_space(first);
        let mut start = 0;
        // Never wait for the memo: a thread that finds it busy just works
        // without it (the memo does not change the output).
        let mut memo = self.cache.try_lock().ok();
        for (i, uc) in text.char_indices() {
            if Self::is_space(uc) != in_ws {
                if start < i {
                    self.tokenize_chunk(
                        text,
                        start,
                        i,
                        with_special,
                        &mut toks,
                        memo.as_deref_mut(),
                    );
                }
                if uc == ' ' {
                    if let Some(last) = toks.last_mut() {
                        last.spacy = true;
                    }
                    start = i + 1;
                } else {
                    start = i;
                }
                in_ws = !in_ws;
            }
        }
        if start < text.len() {
            self.tokenize_chunk(
                text,
                start,
                text.len(),
                with_special,
                &mut toks,
                memo.as_deref_mut(),
            );
            if let Some(last) = toks.last_mut() {
                last.spacy = text.ends_with(' ') && !in_ws;
            }
        }
        toks
    }

    /// Tokenizes the chunk `text[start..end]` (no whitespace inside, or all
    /// whitespace) and appends its tokens.
    fn tokenize_chunk<'s>(
        &'s self,
        text: &str,
        start: usize,
        end: usize,
        with_special: bool,
        out: &mut Vec<Tok<'s>>,
        memo: Option<&mut HashMap<Box<str>, Box<[u32]>>>,
    ) {
        let chunk = &text[start..end];
        if with_special && self.push_special(chunk, start, out) {
            return;
        }
        if let Some(memo) = &memo
            && let Some(lens) = memo.get(chunk)
        {
            let mut at = start;
            for &l in lens.iter() {
                let l = l as usize;
                out.push(Tok {
                    start: at,
                    end: at + l,
                    norm: None,
                    spacy: false,
                });
                at += l;
            }
            return;
        }
        let before = out.len();
        let had_special = self.tokenize_inner(chunk, start, with_special, out);
        if !had_special
            && let Some(memo) = memo
            && memo.len() < MAX_CACHE
        {
            let lens: Box<[u32]> = out[before..]
                .iter()
                .map(|t| (t.end - t.start) as u32)
                .collect();
            memo.insert(chunk.into(), lens);
        }
    }

    /// Pushes the special case for `s` (at byte `at`) if there is one.
    fn push_special<'s>(&'s self, s: &str, at: usize, out: &mut Vec<Tok<'s>>) -> bool {
        let Some(pieces) = self.specials.get(s) else {
            return false;
        };
        let mut pos = at;
        for p in pieces.iter() {
            out.push(Tok {
                start: pos,
                end: pos + p.len,
                norm: p.norm.as_deref(),
                spacy: false,
            });
            pos += p.len;
        }
        true
    }

    fn is_special(&self, s: &str) -> bool {
        self.specials.contains_key(s)
    }

    /// spaCy's `_tokenize` (`_split_affixes` then `_attach_tokens`) for the
    /// chunk `s` found at byte `base`; returns whether a special case was used.
    fn tokenize_inner<'s>(
        &'s self,
        s: &str,
        base: usize,
        with_special: bool,
        out: &mut Vec<Tok<'s>>,
    ) -> bool {
        let mut used_special = false;
        let mut lo = 0;
        let mut hi = s.len();
        let mut prefixes: Vec<(usize, usize)> = Vec::new();
        let mut suffixes: Vec<(usize, usize)> = Vec::new();
        let mut last_size = usize::MAX;
        while lo < hi && hi - lo != last_size {
            let cur = &s[lo..hi];
            if self
                .token_match
                .as_ref()
                .is_some_and(|re| re.is_match_at_start(cur))
            {
                break;
            }
            if with_special && self.is_special(cur) {
                break;
            }
            last_size = hi - lo;
            let pre_len = self.find_prefix(cur);
            if pre_len != 0 {
                let minus_pre = &s[lo + pre_len..hi];
                if !minus_pre.is_empty() && with_special && self.is_special(minus_pre) {
                    prefixes.push((lo, lo + pre_len));
                    lo += pre_len;
                    break;
                }
            }
            let suf_len = self.find_suffix(&s[lo + pre_len..hi]);
            if suf_len != 0 {
                let minus_suf = &s[lo..hi - suf_len];
                if !minus_suf.is_empty() && with_special && self.is_special(minus_suf) {
                    suffixes.push((hi - suf_len, hi));
                    hi -= suf_len;
                    break;
                }
            }
            if pre_len != 0 && suf_len != 0 && pre_len + suf_len <= hi - lo {
                prefixes.push((lo, lo + pre_len));
                suffixes.push((hi - suf_len, hi));
                lo += pre_len;
                hi -= suf_len;
            } else if pre_len != 0 {
                prefixes.push((lo, lo + pre_len));
                lo += pre_len;
            } else if suf_len != 0 {
                suffixes.push((hi - suf_len, hi));
                hi -= suf_len;
            }
        }
        let plain = |a: usize, b: usize| Tok {
            start: base + a,
            end: base + b,
            norm: None,
            spacy: false,
        };
        for &(a, b) in &prefixes {
            out.push(plain(a, b));
        }
        if lo < hi {
            let core = &s[lo..hi];
            if with_special && self.push_special(core, base + lo, out) {
                used_special = true;
            } else if self
                .token_match
                .as_ref()
                .is_some_and(|re| re.is_match_at_start(core))
                || self
                    .url_match
                    .as_ref()
                    .is_some_and(|re| re.is_match_at_start(core))
            {
                out.push(plain(lo, hi));
            } else {
                let mut matches = Vec::new();
                self.find_infix(core, &mut matches);
                if matches.is_empty() {
                    out.push(plain(lo, hi));
                } else {
                    let mut start = 0;
                    for &(ist, ien) in &matches {
                        if ist == 0 {
                            continue;
                        }
                        if ist != start {
                            out.push(plain(lo + start, lo + ist));
                        }
                        if ist != ien {
                            out.push(plain(lo + ist, lo + ien));
                        }
                        start = ien;
                    }
                    if start < core.len() {
                        out.push(plain(lo + start, hi));
                    }
                }
            }
        }
        for &(a, b) in suffixes.iter().rev() {
            out.push(plain(a, b));
        }
        used_special
    }

    /// Length in bytes of the prefix to split off `s` (0 for none).
    fn find_prefix(&self, s: &str) -> usize {
        self.prefix
            .as_ref()
            .and_then(|re| re.search(s))
            .map_or(0, |(a, b)| b - a)
    }

    /// Length in bytes of the suffix to split off `s` (0 for none).
    fn find_suffix(&self, s: &str) -> usize {
        self.suffix
            .as_ref()
            .and_then(|re| re.search(s))
            .map_or(0, |(a, b)| b - a)
    }

    /// The infix matches in `s`, as byte ranges.
    fn find_infix(&self, s: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        if let Some(re) = &self.infix {
            re.find_iter(s, out);
        }
    }

    /// spaCy's `_apply_special_cases`: finds special cases over the token
    /// sequence and retokenizes them.
    fn apply_special_cases<'s>(&'s self, text: &str, toks: &mut Vec<Tok<'s>>) {
        if self.matcher.nodes.is_empty() || toks.is_empty() {
            return;
        }
        let n = toks.len();
        let word = |i: usize| &text[toks[i].start..toks[i].end];
        let mut matches: Vec<(usize, usize)> = Vec::new();
        for i in 0..n {
            let Some(mut node) = self.matcher.child(0, word(i)) else {
                continue;
            };
            let mut j = i + 1;
            loop {
                if self.matcher.nodes[node].terminal {
                    matches.push((i, j));
                }
                if j >= n {
                    break;
                }
                match self.matcher.child(node, word(j)) {
                    Some(next) => {
                        node = next;
                        j += 1;
                    }
                    None => break,
                }
            }
        }
        if matches.is_empty() {
            return;
        }
        // Longest first, then leftmost; keep a span unless its first or last
        // token was already covered (spaCy's _filter_special_spans).
        matches.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        let mut seen = vec![false; n];
        let mut kept = Vec::new();
        for &(s, e) in &matches {
            if !seen[s] && !seen[e - 1] {
                kept.push((s, e));
            }
            for x in &mut seen[s..e] {
                *x = true;
            }
        }
        kept.sort_by_key(|m| m.0);
        let mut out = Vec::with_capacity(n + 8);
        let mut i = 0;
        let mut k = 0;
        while i < n {
            if k < kept.len() && kept[k].0 == i {
                let (s, e) = kept[k];
                k += 1;
                let span_text = &text[toks[s].start..toks[e - 1].end];
                if let Some(pieces) = self.specials.get(span_text) {
                    let final_spacy = toks[e - 1].spacy;
                    let mut pos = toks[s].start;
                    for p in pieces.iter() {
                        out.push(Tok {
                            start: pos,
                            end: pos + p.len,
                            norm: p.norm.as_deref(),
                            spacy: false,
                        });
                        pos += p.len;
                    }
                    if let Some(last) = out.last_mut() {
                        last.spacy = final_spacy;
                    }
                } else {
                    out.extend_from_slice(&toks[s..e]);
                }
                i = e;
            } else {
                out.push(toks[i]);
                i += 1;
            }
        }
        *toks = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0")
    }

    #[test]
    fn loads_model_tokenizer() {
        let t = Tokenizer::load(&model_dir()).unwrap();
        assert!(t.specials.len() > 1000);
        let toks = t.tokenize("Hello, world!");
        let words: Vec<_> = toks
            .iter()
            .map(|t| &"Hello, world!"[t.start..t.end])
            .collect();
        assert_eq!(words, ["Hello", ",", "world", "!"]);
    }
}
