//! Python `re` patterns, as spaCy serializes them, run with Python's match
//! semantics on Rust regex engines.
//!
//! A pattern is split into its top-level alternatives. Runs of alternatives
//! without look-around are compiled together into one `regex::Regex` (a
//! linear-time engine with the same leftmost-first preference as Python);
//! each alternative with look-around gets its own `fancy_regex::Regex`.
//! A search asks every group for its leftmost match and keeps the one that
//! starts first, the earlier group winning a tie: exactly the match Python's
//! backtracking `search` returns for the whole alternation. Before a
//! look-around alternative runs, the same alternative with its look-arounds
//! deleted (which matches a superset) must match, so the backtracking engine
//! only runs on the few strings that can match.
//!
//! Translation covers what spaCy's tokenizer patterns use: `\uXXXX` and
//! `\UXXXXXXXX` escapes, Python character classes (where `[`, `&&`, `--`
//! and `~~` are literals), `\w` as Python's `[\p{L}\p{N}_]`, `(?u)`, and
//! look-arounds. `$` keeps Rust's meaning (end of text): Python's also
//! matches before a final newline, which never differs here because spaCy
//! only searches non-whitespace chunks or whole whitespace runs. `finditer`
//! steps one character past an empty match (spaCy's infixes never match
//! the empty string).

use std::fmt::Write as _;

/// One group of alternatives.
#[derive(Debug)]
enum Group {
    /// Consecutive alternatives without look-around.
    Plain(regex::Regex),
    /// One alternative with look-around, and the same alternative without
    /// its look-arounds (a necessary condition, checked first).
    Fancy(fancy_regex::Regex, regex::Regex),
}

impl Group {
    fn find_at(&self, hay: &str, pos: usize) -> Option<(usize, usize)> {
        match self {
            Group::Plain(re) => re.find_at(hay, pos).map(|m| (m.start(), m.end())),
            // A backtracking-limit error counts as no match (spaCy's patterns
            // never come near the limit on tokenizer-sized strings).
            Group::Fancy(_, pre) if !pre.is_match_at(hay, pos) => None,
            Group::Fancy(re, _) => re
                .find_from_pos(hay, pos)
                .ok()
                .flatten()
                .map(|m| (m.start(), m.end())),
        }
    }
}

/// A compiled Python pattern.
#[derive(Debug)]
pub(crate) struct PyRegex {
    groups: Vec<Group>,
}

impl PyRegex {
    /// Translates and compiles a Python `re` pattern.
    pub(crate) fn new(pattern: &str) -> Result<Self, String> {
        let alts = translate(pattern)?;
        let mut groups = Vec::new();
        let mut plain: Vec<String> = Vec::new();
        let flush = |plain: &mut Vec<String>, groups: &mut Vec<Group>| -> Result<(), String> {
            if plain.is_empty() {
                return Ok(());
            }
            let joined = plain
                .iter()
                .map(|a| format!("(?:{a})"))
                .collect::<Vec<_>>()
                .join("|");
            let re = regex::RegexBuilder::new(&joined)
                .size_limit(1 << 28)
                .dfa_size_limit(1 << 28)
                .build()
                .map_err(|e| e.to_string())?;
            groups.push(Group::Plain(re));
            plain.clear();
            Ok(())
        };
        for alt in alts {
            if alt.lookaround {
                flush(&mut plain, &mut groups)?;
                let re = fancy_regex::RegexBuilder::new(&alt.rust)
                    .delegate_size_limit(1 << 28)
                    .delegate_dfa_size_limit(1 << 28)
                    .build()
                    .map_err(|e| format!("{e} in {}", alt.rust))?;
                let pre = regex::RegexBuilder::new(&alt.relaxed)
                    .size_limit(1 << 28)
                    .dfa_size_limit(1 << 28)
                    .build()
                    .map_err(|e| format!("{e} in {}", alt.relaxed))?;
                groups.push(Group::Fancy(re, pre));
            } else {
                plain.push(alt.rust);
            }
        }
        flush(&mut plain, &mut groups)?;
        Ok(Self { groups })
    }

    /// Python's `pattern.search(hay[pos:])` semantics, but with the text
    /// before `pos` visible to look-behinds (as `pattern.search(hay, pos)`):
    /// the leftmost match, the earliest alternative winning at that start.
    pub(crate) fn search_at(&self, hay: &str, pos: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for g in &self.groups {
            if let Some(m) = g.find_at(hay, pos) {
                match best {
                    Some(b) if b.0 <= m.0 => {}
                    _ => best = Some(m),
                }
                if m.0 == pos {
                    // Nothing can start earlier, and earlier groups already lost.
                    break;
                }
            }
        }
        best
    }

    /// Python's `pattern.search(hay)`.
    pub(crate) fn search(&self, hay: &str) -> Option<(usize, usize)> {
        self.search_at(hay, 0)
    }

    /// Python's `pattern.match(hay)`: whether a match starts at 0. A group
    /// has an alternative matching at 0 exactly when its leftmost match
    /// starts at 0.
    pub(crate) fn is_match_at_start(&self, hay: &str) -> bool {
        self.groups
            .iter()
            .any(|g| g.find_at(hay, 0).is_some_and(|(s, _)| s == 0))
    }

    /// Python's `list(pattern.finditer(hay))` as `(start, end)` byte pairs.
    pub(crate) fn find_iter(&self, hay: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let mut pos = 0;
        while pos <= hay.len() {
            let Some((s, e)) = self.search_at(hay, pos) else {
                break;
            };
            out.push((s, e));
            if e == s {
                // Empty match: step past one character.
                match hay[e..].chars().next() {
                    Some(c) => pos = e + c.len_utf8(),
                    None => break,
                }
            } else {
                pos = e;
            }
        }
    }
}

/// One translated top-level alternative.
#[derive(Debug)]
struct Alt {
    rust: String,
    lookaround: bool,
    /// `rust` without its look-around groups: matches a superset, so it can
    /// rule out a match cheaply before the backtracking engine runs.
    relaxed: String,
}

/// Removes the byte ranges `cut` (look-around groups, possibly nested) from `s`.
fn remove_ranges(s: &str, cut: &mut [(usize, usize)]) -> String {
    cut.sort_unstable();
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for &(a, b) in cut.iter() {
        if a < at {
            continue; // nested inside a range already removed
        }
        out.push_str(&s[at..a]);
        at = b;
    }
    out.push_str(&s[at..]);
    out
}

/// Translates a Python pattern into Rust-regex syntax, split into its
/// top-level alternatives.
fn translate(pattern: &str) -> Result<Vec<Alt>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut alts = Vec::new();
    let mut cur = String::new();
    let mut lookaround = false;
    let mut depth = 0usize;
    // Per open group: where it starts in `cur` if it is a look-around.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let (s, n) = translate_escape(&chars, i, false)?;
                cur.push_str(&s);
                i += n;
                continue;
            }
            '[' => {
                let (s, n) = translate_class(&chars, i)?;
                cur.push_str(&s);
                i += n;
                continue;
            }
            '(' => {
                let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
                let is_look = rest.starts_with("(?=")
                    || rest.starts_with("(?!")
                    || rest.starts_with("(?<=")
                    || rest.starts_with("(?<!");
                if is_look {
                    lookaround = true;
                }
                if rest.starts_with("(?u)") {
                    // Unicode matching is the default in Rust.
                    i += 4;
                    continue;
                }
                open.push(is_look.then_some(cur.len()));
                if rest.starts_with("(?P<") {
                    cur.push_str("(?P<");
                    i += 4;
                    depth += 1;
                    continue;
                }
                depth += 1;
                cur.push('(');
            }
            ')' => {
                depth = depth.checked_sub(1).ok_or("unbalanced ')'")?;
                cur.push(')');
                if let Some(Some(start)) = open.pop() {
                    cut.push((start, cur.len()));
                }
            }
            '|' if depth == 0 => {
                alts.push(Alt {
                    relaxed: remove_ranges(&cur, &mut cut),
                    rust: std::mem::take(&mut cur),
                    lookaround,
                });
                cut.clear();
                lookaround = false;
            }
            '{' => {
                // A quantifier only when it reads {m}, {m,} or {m,n}.
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
                    j += 1;
                }
                let body: String = chars[i + 1..j.min(chars.len())].iter().collect();
                let valid = j < chars.len()
                    && chars[j] == '}'
                    && !body.is_empty()
                    && body.chars().next().is_some_and(|d| d.is_ascii_digit())
                    && body.matches(',').count() <= 1;
                if valid {
                    cur.push('{');
                    cur.push_str(&body);
                    cur.push('}');
                    i = j + 1;
                    continue;
                }
                push_literal(&mut cur, '{');
            }
            '}' => push_literal(&mut cur, '}'),
            '$' => cur.push('$'),
            c if c.is_whitespace() || c == '#' || c == '~' || c == '&' || c == '-' => {
                push_literal(&mut cur, c)
            }
            _ => cur.push(c),
        }
        i += 1;
    }
    if depth != 0 {
        return Err("unbalanced '('".into());
    }
    alts.push(Alt {
        relaxed: remove_ranges(&cur, &mut cut),
        rust: cur,
        lookaround,
    });
    Ok(alts)
}

fn push_literal(out: &mut String, c: char) {
    if c.is_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    }
}

/// Translates the escape at `chars[i]` (a backslash); returns the Rust text
/// and how many pattern characters it used.
fn translate_escape(chars: &[char], i: usize, in_class: bool) -> Result<(String, usize), String> {
    let Some(&e) = chars.get(i + 1) else {
        return Err("pattern ends in a backslash".into());
    };
    let hex = |n: usize| -> Result<(String, usize), String> {
        let digits: String = chars
            .get(i + 2..i + 2 + n)
            .ok_or("short escape")?
            .iter()
            .collect();
        let v = u32::from_str_radix(&digits, 16).map_err(|e| e.to_string())?;
        Ok((format!("\\x{{{v:X}}}"), 2 + n))
    };
    let word = if in_class {
        "\\p{L}\\p{N}_"
    } else {
        "[\\p{L}\\p{N}_]"
    };
    Ok(match e {
        'u' => hex(4)?,
        'U' => hex(8)?,
        'x' => hex(2)?,
        'd' | 'D' | 's' | 'S' => (format!("\\{e}"), 2),
        // Python's \w is str.isalnum() or '_'.
        'w' => (word.to_string(), 2),
        'W' if !in_class => ("[^\\p{L}\\p{N}_]".to_string(), 2),
        'b' if !in_class => ("\\b".to_string(), 2),
        'B' if !in_class => ("\\B".to_string(), 2),
        'A' if !in_class => ("\\A".to_string(), 2),
        'Z' if !in_class => ("\\z".to_string(), 2),
        'n' => ("\\x{A}".to_string(), 2),
        't' => ("\\x{9}".to_string(), 2),
        'r' => ("\\x{D}".to_string(), 2),
        'f' => ("\\x{C}".to_string(), 2),
        'v' => ("\\x{B}".to_string(), 2),
        'a' => ("\\x{7}".to_string(), 2),
        c if !c.is_ascii_alphanumeric() => (format!("\\x{{{:X}}}", c as u32), 2),
        c => return Err(format!("unsupported escape \\{c}")),
    })
}

/// Translates the character class starting at `chars[i]` (a `[`).
fn translate_class(chars: &[char], i: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        out.push('^');
        j += 1;
    }
    let mut first = true;
    // Reads one class member: a literal code point or a class escape.
    enum Item {
        Char(u32),
        Class(String),
    }
    let read = |j: usize| -> Result<(Item, usize), String> {
        let c = *chars.get(j).ok_or("unterminated class")?;
        if c == '\\' {
            let e = *chars.get(j + 1).ok_or("unterminated class")?;
            match e {
                'd' | 'D' | 's' | 'S' | 'w' => {
                    let (s, n) = translate_escape(chars, j, true)?;
                    Ok((Item::Class(s), n))
                }
                'u' | 'U' | 'x' => {
                    let n = match e {
                        'u' => 4,
                        'U' => 8,
                        _ => 2,
                    };
                    let digits: String = chars
                        .get(j + 2..j + 2 + n)
                        .ok_or("short escape")?
                        .iter()
                        .collect();
                    let v = u32::from_str_radix(&digits, 16).map_err(|e| e.to_string())?;
                    Ok((Item::Char(v), 2 + n))
                }
                'n' => Ok((Item::Char(0xA), 2)),
                't' => Ok((Item::Char(0x9), 2)),
                'r' => Ok((Item::Char(0xD), 2)),
                'f' => Ok((Item::Char(0xC), 2)),
                'v' => Ok((Item::Char(0xB), 2)),
                'a' => Ok((Item::Char(0x7), 2)),
                'b' => Ok((Item::Char(0x8), 2)),
                c if !c.is_ascii_alphanumeric() => Ok((Item::Char(c as u32), 2)),
                c => Err(format!("unsupported class escape \\{c}")),
            }
        } else {
            Ok((Item::Char(c as u32), 1))
        }
    };
    loop {
        let c = *chars.get(j).ok_or("unterminated class")?;
        if c == ']' && !first {
            out.push(']');
            return Ok((out, j + 1 - i));
        }
        first = false;
        let (item, n) = read(j)?;
        j += n;
        match item {
            Item::Class(s) => out.push_str(&s),
            Item::Char(lo) => {
                // A range "a-b" unless the '-' is last in the class.
                if chars.get(j) == Some(&'-') && chars.get(j + 1).is_some_and(|&d| d != ']') {
                    let (hi_item, n2) = read(j + 1)?;
                    match hi_item {
                        Item::Char(hi) => {
                            let _ = write!(out, "\\x{{{lo:X}}}-\\x{{{hi:X}}}");
                            j += 1 + n2;
                        }
                        Item::Class(_) => {
                            return Err("class escape as a range end".into());
                        }
                    }
                } else {
                    let _ = write!(out, "\\x{{{lo:X}}}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PyRegex;

    #[test]
    fn alternation_priority_and_leftmost() {
        let re = PyRegex::new(r"^a|^ab|(?<=x)b").unwrap();
        assert_eq!(re.search("ab"), Some((0, 1)));
        assert_eq!(re.search("xb"), Some((1, 2)));
        let suf = PyRegex::new(r"b$|(?<=[0-9])(?:km|m)$|\.\.+$").unwrap();
        assert_eq!(suf.search("5km"), Some((1, 3)));
        assert_eq!(suf.search("a...."), Some((1, 5)));
    }

    #[test]
    fn class_with_python_literals() {
        let re = PyRegex::new(r"[a|\[\]&&~~(?:)\-\+]").unwrap();
        for s in ["|", "[", "]", "&", "~", "(", "?", ":", ")", "-", "+", "a"] {
            assert!(re.search(s).is_some(), "{s}");
        }
        assert!(re.search("b").is_none());
    }

    #[test]
    fn finditer_with_lookaround() {
        let re = PyRegex::new(r"(?<=[0-9])[+\-\*^](?=[0-9-])").unwrap();
        let mut v = Vec::new();
        re.find_iter("1-2-3", &mut v);
        assert_eq!(v, vec![(1, 2), (3, 4)]);
    }
}
