//! "How good are our time expressions?": readers for gold TIMEX3 annotations
//! (TimeML `.tml` files as in TempEval-3, and MEANTIME's token-anchored
//! markables) and the TempEval-3 timex scorer.
//!
//! Scoring follows the official TempEval-3 script: a gold TIMEX3 is found
//! (relaxed) when a system TIMEX3 overlaps it and strictly when one has the
//! same extent; precision counts system TIMEX3s the same way. Type and value
//! are judged on the relaxed-found gold TIMEX3s: accuracy = correct / found,
//! and attribute F1 = accuracy × relaxed F1.

use crate::score::{f1, ratio};
use chrono::NaiveDate;
use model::{ByteSpan, Timex, TimexDate, TimexType};
use std::fmt;
use std::path::{Path, PathBuf};

/// Reading a gold file failed.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The offending path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not in the expected format.
    #[error("{path}: {message}")]
    Format {
        /// The offending file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A gold document: plain text, article date and gold TIMEX3s (byte spans into `text`).
#[derive(Debug, Clone, PartialEq)]
pub struct TimexDoc {
    /// Document id (file stem).
    pub id: String,
    /// The plain text the spans index.
    pub text: String,
    /// The document creation time (article date), when annotated.
    pub dct: Option<NaiveDate>,
    /// Gold time expressions in text order.
    pub timexes: Vec<Timex>,
    /// When only a prefix of the text is annotated (MEANTIME annotates the
    /// title and first sentences), the byte offset where annotation stops;
    /// system expressions starting there or later are not scored.
    pub annotated_until: Option<usize>,
}

/// One disagreement between system and gold, for error analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimexDiff {
    /// Document id.
    pub doc: String,
    /// What went wrong.
    pub kind: DiffKind,
    /// Gold text and value (when a gold TIMEX3 is involved).
    pub gold: Option<(String, TimexType, String)>,
    /// System text and value (when a system TIMEX3 is involved).
    pub system: Option<(String, TimexType, String)>,
    /// The sentence-ish context (up to 60 bytes either side).
    pub context: String,
}

/// Kinds of disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiffKind {
    /// A gold TIMEX3 no system TIMEX3 overlaps.
    Missed,
    /// A system TIMEX3 overlapping no gold TIMEX3.
    Spurious,
    /// Found, but the value differs.
    Value,
    /// Found, but the type differs.
    Type,
    /// Found with the right value, but the extent differs.
    Extent,
}

/// TempEval-3 timex figures over a set of documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimexScores {
    /// Documents scored.
    pub docs: usize,
    /// Gold TIMEX3s.
    pub gold: usize,
    /// System TIMEX3s.
    pub system: usize,
    /// Gold TIMEX3s with an exact-extent system match.
    pub strict_found: usize,
    /// System TIMEX3s with an exact-extent gold match.
    pub strict_correct: usize,
    /// Gold TIMEX3s overlapped by a system TIMEX3.
    pub relaxed_found: usize,
    /// System TIMEX3s overlapping a gold TIMEX3.
    pub relaxed_correct: usize,
    /// Found gold TIMEX3s whose matched system TIMEX3 has the same type.
    pub type_correct: usize,
    /// Found gold TIMEX3s whose matched system TIMEX3 has the same value.
    pub value_correct: usize,
    /// Every disagreement, for error analysis (not printed by `Display`).
    pub diffs: Vec<TimexDiff>,
}

impl TimexScores {
    /// Strict precision.
    pub fn strict_p(&self) -> f64 {
        ratio(self.strict_correct, self.system)
    }
    /// Strict recall.
    pub fn strict_r(&self) -> f64 {
        ratio(self.strict_found, self.gold)
    }
    /// Strict F1.
    pub fn strict_f1(&self) -> f64 {
        f1(self.strict_p(), self.strict_r())
    }
    /// Relaxed precision.
    pub fn relaxed_p(&self) -> f64 {
        ratio(self.relaxed_correct, self.system)
    }
    /// Relaxed recall.
    pub fn relaxed_r(&self) -> f64 {
        ratio(self.relaxed_found, self.gold)
    }
    /// Relaxed F1.
    pub fn relaxed_f1(&self) -> f64 {
        f1(self.relaxed_p(), self.relaxed_r())
    }
    /// Type accuracy over found gold TIMEX3s.
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.type_correct, self.relaxed_found)
    }
    /// Value accuracy over found gold TIMEX3s.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_correct, self.relaxed_found)
    }
    /// Type F1 (type accuracy × relaxed F1), as TempEval-3 reports it.
    pub fn type_f1(&self) -> f64 {
        self.type_accuracy() * self.relaxed_f1()
    }
    /// Value F1 (value accuracy × relaxed F1), as TempEval-3 reports it.
    pub fn value_f1(&self) -> f64 {
        self.value_accuracy() * self.relaxed_f1()
    }

    /// Adds another set's counts and disagreements to this one (pooling
    /// documents, as TempEval-3 does).
    pub fn merge(&mut self, other: &TimexScores) {
        self.docs += other.docs;
        self.gold += other.gold;
        self.system += other.system;
        self.strict_found += other.strict_found;
        self.strict_correct += other.strict_correct;
        self.relaxed_found += other.relaxed_found;
        self.relaxed_correct += other.relaxed_correct;
        self.type_correct += other.type_correct;
        self.value_correct += other.value_correct;
        self.diffs.extend(other.diffs.iter().cloned());
    }

    /// Adds one document's comparison.
    pub fn add(&mut self, doc: &TimexDoc, system: &[Timex]) {
        let limit = doc.annotated_until.unwrap_or(usize::MAX);
        let system: Vec<Timex> = system
            .iter()
            .filter(|t| (t.span.start as usize) < limit)
            .cloned()
            .collect();
        let system = &system[..];
        self.docs += 1;
        self.gold += doc.timexes.len();
        self.system += system.len();
        let text = &doc.text;
        let show = |t: &Timex| {
            (
                text.get(t.span.range()).unwrap_or("").to_string(),
                t.kind,
                t.value.clone(),
            )
        };
        let context = |s: ByteSpan| {
            let mut a = (s.start as usize).saturating_sub(60);
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (s.end as usize + 60).min(text.len());
            while !text.is_char_boundary(b) {
                b += 1;
            }
            text[a..b].replace('\n', " ")
        };
        for g in &doc.timexes {
            let overlapping: Vec<&Timex> =
                system.iter().filter(|s| s.span.overlaps(g.span)).collect();
            if overlapping.is_empty() {
                self.diffs.push(TimexDiff {
                    doc: doc.id.clone(),
                    kind: DiffKind::Missed,
                    gold: Some(show(g)),
                    system: None,
                    context: context(g.span),
                });
                continue;
            }
            self.relaxed_found += 1;
            let exact = overlapping.iter().find(|s| s.span == g.span);
            if exact.is_some() {
                self.strict_found += 1;
            }
            let best = exact.copied().unwrap_or_else(|| {
                *overlapping
                    .iter()
                    .max_by_key(|s| {
                        s.span.end.min(g.span.end) as i64 - s.span.start.max(g.span.start) as i64
                    })
                    .expect("non-empty")
            });
            if best.kind == g.kind {
                self.type_correct += 1;
            }
            let kind = if best.value == g.value {
                self.value_correct += 1;
                if best.kind != g.kind {
                    Some(DiffKind::Type)
                } else if exact.is_none() {
                    Some(DiffKind::Extent)
                } else {
                    None
                }
            } else {
                Some(DiffKind::Value)
            };
            if let Some(kind) = kind {
                self.diffs.push(TimexDiff {
                    doc: doc.id.clone(),
                    kind,
                    gold: Some(show(g)),
                    system: Some(show(best)),
                    context: context(g.span),
                });
            }
        }
        for s in system {
            let overlapping = doc.timexes.iter().filter(|g| g.span.overlaps(s.span));
            let mut any = false;
            let mut exact = false;
            for g in overlapping {
                any = true;
                exact |= g.span == s.span;
            }
            if any {
                self.relaxed_correct += 1;
            } else {
                self.diffs.push(TimexDiff {
                    doc: doc.id.clone(),
                    kind: DiffKind::Spurious,
                    gold: None,
                    system: Some(show(s)),
                    context: context(s.span),
                });
            }
            if exact {
                self.strict_correct += 1;
            }
        }
    }
}

impl fmt::Display for TimexScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| x * 100.0;
        writeln!(
            f,
            "TIMEX3 (TempEval-3 scoring): {} docs, {} gold, {} system",
            self.docs, self.gold, self.system
        )?;
        writeln!(f, "{:<10} {:>7} {:>7} {:>7}", "extent", "P", "R", "F1")?;
        writeln!(
            f,
            "{:<10} {:>7.2} {:>7.2} {:>7.2}",
            "strict",
            pct(self.strict_p()),
            pct(self.strict_r()),
            pct(self.strict_f1())
        )?;
        writeln!(
            f,
            "{:<10} {:>7.2} {:>7.2} {:>7.2}",
            "relaxed",
            pct(self.relaxed_p()),
            pct(self.relaxed_r()),
            pct(self.relaxed_f1())
        )?;
        writeln!(f, "{:<10} {:>7} {:>7}", "attribute", "acc", "F1")?;
        writeln!(
            f,
            "{:<10} {:>7.2} {:>7.2}",
            "type",
            pct(self.type_accuracy()),
            pct(self.type_f1())
        )?;
        write!(
            f,
            "{:<10} {:>7.2} {:>7.2}",
            "value",
            pct(self.value_accuracy()),
            pct(self.value_f1())
        )
    }
}

// ---------- a minimal tag scanner (enough for TimeML and MEANTIME) ----------

/// One piece of markup: a tag or a run of text.
enum Piece<'a> {
    Open(&'a str, Vec<(&'a str, String)>, bool),
    Close(&'a str),
    Text(&'a str),
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Attributes of a tag, values decoded.
type Attrs<'a> = Vec<(&'a str, String)>;

fn attrs(s: &str) -> Attrs<'_> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let body = &after[1..];
        let Some(end) = body.find(q) else { break };
        out.push((name, decode(&body[..end])));
        rest = &body[end + 1..];
    }
    out
}

fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('<') {
            let Some(end) = tail.find('>') else {
                out.push(Piece::Text(rest));
                break;
            };
            let tag = &tail[..end];
            rest = &tail[end + 1..];
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                out.push(Piece::Close(name.trim()));
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let (name, a) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
                out.push(Piece::Open(name, attrs(a), self_closing));
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Piece::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn attr<'a>(a: &'a [(&str, String)], name: &str) -> Option<&'a str> {
    a.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
}

fn timex_type(s: &str) -> Option<TimexType> {
    Some(match s {
        "DATE" => TimexType::Date,
        "TIME" => TimexType::Time,
        "DURATION" => TimexType::Duration,
        "SET" => TimexType::Set,
        _ => return None,
    })
}

/// The day a TIMEX3 value names (`1998-08-07`, `1998-08-07T12:00`), if it names one.
fn date_of(v: &str) -> Option<NaiveDate> {
    match TimexDate::parse(v.trim())? {
        TimexDate::Day(d) => Some(d),
        _ => None,
    }
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a TimeML file: the plain text of `<TEXT>` (tags removed, entities
/// decoded), the `<DCT>` date and the TIMEX3s inside `<TEXT>` as byte spans.
pub fn read_tml(path: &Path) -> Result<TimexDoc, EvalError> {
    let raw = read(path)?;
    let fmt_err = |m: &str| EvalError::Format {
        path: path.to_path_buf(),
        message: m.to_string(),
    };
    let mut dct = None;
    if let Some(i) = raw.find("<DCT>") {
        let j = raw[i..].find("</DCT>").map_or(raw.len(), |j| i + j);
        for p in pieces(&raw[i..j]) {
            if let Piece::Open("TIMEX3", a, _) = p {
                dct = attr(&a, "value").and_then(date_of);
            }
        }
    }
    let start = raw
        .find("<TEXT>")
        .ok_or_else(|| fmt_err("no <TEXT> element"))?
        + 6;
    let end = raw[start..]
        .find("</TEXT>")
        .map(|j| start + j)
        .ok_or_else(|| fmt_err("no </TEXT>"))?;
    let mut text = String::new();
    let mut open: Vec<(usize, Vec<(&str, String)>)> = Vec::new();
    let mut timexes = Vec::new();
    for p in pieces(&raw[start..end]) {
        match p {
            Piece::Text(t) => text.push_str(&decode(t)),
            Piece::Open("TIMEX3", a, false) => open.push((text.len(), a)),
            Piece::Close("TIMEX3") => {
                let (s, a) = open.pop().ok_or_else(|| fmt_err("unbalanced </TIMEX3>"))?;
                let kind = attr(&a, "type")
                    .and_then(timex_type)
                    .ok_or_else(|| fmt_err("TIMEX3 without a valid type"))?;
                timexes.push(Timex {
                    span: ByteSpan::new(s, text.len()),
                    kind,
                    value: attr(&a, "value").unwrap_or("").to_string(),
                });
            }
            _ => {}
        }
    }
    timexes.sort_by_key(|t| t.span);
    Ok(TimexDoc {
        id: stem(path),
        text,
        dct,
        timexes,
        annotated_until: None,
    })
}

/// Gold sentences of a MEANTIME document that stand on lines of their own:
/// the headline and the date line.
const HEADER_LINES: u32 = 2;

/// Reads a MEANTIME intra-document annotation file: the text is the tokens
/// joined by single spaces, except that the headline and the date line (the
/// first two sentences) each end with a newline, as in the article; gold TIMEX3s are the markables anchored to tokens
/// (those without tokens are skipped); the article date is the value of the
/// TIMEX3 whose `functionInDocument` is `CREATION_TIME` (else the first
/// full-date TIMEX3 of the first two sentences, the date line). MEANTIME annotates
/// only the first sentences of each article: the annotated region ends with
/// the last sentence any markable (of any kind) is anchored in.
pub fn read_meantime(path: &Path) -> Result<TimexDoc, EvalError> {
    let raw = read(path)?;
    let fmt_err = |m: String| EvalError::Format {
        path: path.to_path_buf(),
        message: m,
    };
    let mut text = String::new();
    let mut spans: std::collections::BTreeMap<String, (ByteSpan, u32)> = Default::default();
    let mut sentence_end: std::collections::BTreeMap<u32, usize> = Default::default();
    let mut max_sentence: Option<u32> = None;
    let mut token_sentence = 0u32;
    // (sentence number of the last token, ordinal of that sentence)
    let mut last_sentence: Option<(u32, u32)> = None;
    let mut fallback_dct: Option<NaiveDate> = None;
    let mut dct = None;
    let mut timexes = Vec::new();
    let mut in_token: Option<String> = None;
    let mut timex: Option<(Attrs<'_>, Vec<String>)> = None;
    for p in pieces(&raw) {
        match p {
            Piece::Open("token", a, false) => {
                in_token = attr(&a, "t_id").map(str::to_string);
                token_sentence = attr(&a, "sentence")
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
            }
            Piece::Text(t) if in_token.is_some() => {
                if !text.is_empty() {
                    // the headline and the date line end their own lines, as
                    // in the published article (cf. `sentences::Layout::ArticleLines`)
                    let own_line = last_sentence.is_some_and(|(prev, index)| {
                        prev != token_sentence && index < HEADER_LINES
                    });
                    text.push(if own_line { '\n' } else { ' ' });
                }
                match last_sentence {
                    Some((prev, index)) if prev != token_sentence => {
                        last_sentence = Some((token_sentence, index + 1));
                    }
                    None => last_sentence = Some((token_sentence, 0)),
                    _ => {}
                }
                let s = text.len();
                text.push_str(decode(t).trim());
                let id = in_token.take().expect("checked");
                spans.insert(id, (ByteSpan::new(s, text.len()), token_sentence));
                sentence_end.insert(token_sentence, text.len());
            }
            Piece::Close("token") => in_token = None,
            Piece::Open("TIMEX3", a, self_closing) => {
                if attr(&a, "functionInDocument") == Some("CREATION_TIME") {
                    dct = attr(&a, "value").and_then(date_of).or(dct);
                }
                if !self_closing {
                    timex = Some((a, Vec::new()));
                }
            }
            Piece::Open("token_anchor", a, _) => {
                let id = attr(&a, "t_id");
                if let Some(&(_, sent)) = id.and_then(|i| spans.get(i)) {
                    max_sentence = max_sentence.max(Some(sent));
                }
                if let (Some((_, ids)), Some(id)) = (timex.as_mut(), id) {
                    ids.push(id.to_string());
                }
            }
            Piece::Close("TIMEX3") => {
                let Some((a, ids)) = timex.take() else {
                    continue;
                };
                let mut span: Option<ByteSpan> = None;
                for id in &ids {
                    let (s, _) = *spans
                        .get(id)
                        .ok_or_else(|| fmt_err(format!("TIMEX3 anchored to unknown token {id}")))?;
                    span = Some(match span {
                        None => s,
                        Some(x) => ByteSpan {
                            start: x.start.min(s.start),
                            end: x.end.max(s.end),
                        },
                    });
                }
                let Some(span) = span else { continue };
                let kind = attr(&a, "type")
                    .and_then(timex_type)
                    .ok_or_else(|| fmt_err("TIMEX3 without a valid type".into()))?;
                // no CREATION_TIME markable: the date line (a full date in the
                // first two sentences) is the article date
                let first_sentences = ids
                    .first()
                    .and_then(|i| spans.get(i))
                    .is_some_and(|&(_, sent)| sent <= 1);
                if first_sentences && fallback_dct.is_none() {
                    fallback_dct = attr(&a, "value").and_then(date_of);
                }
                timexes.push(Timex {
                    span,
                    kind,
                    value: attr(&a, "value").unwrap_or("").to_string(),
                });
            }
            _ => {}
        }
    }
    timexes.sort_by_key(|t| t.span);
    let annotated_until = max_sentence.and_then(|m| sentence_end.get(&m).copied());
    // a malformed creation time: read the date line itself ("February 03 , 2009")
    let date_line = || {
        text.lines()
            .nth(1)
            .and_then(|l| NaiveDate::parse_from_str(l.trim(), "%B %d , %Y").ok())
    };
    let dct = dct.or(fallback_dct).or_else(date_line);
    Ok(TimexDoc {
        id: stem(path),
        text,
        dct,
        timexes,
        annotated_until,
    })
}

fn files_with_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let rd = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in rd {
        let e = e.map_err(|source| EvalError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            files_with_ext(&p, ext, out)?;
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads every `.tml` file under `dir` (recursively), sorted by path.
pub fn read_timeml_dir(dir: &Path) -> Result<Vec<TimexDoc>, EvalError> {
    let mut files = Vec::new();
    files_with_ext(dir, "tml", &mut files)?;
    files.sort();
    files.iter().map(|p| read_tml(p)).collect()
}

/// Reads every MEANTIME `.xml` file under `dir` (recursively), sorted by
/// path. Given the corpus root, only `intra-doc_annotation/` is read.
pub fn read_meantime_dir(dir: &Path) -> Result<Vec<TimexDoc>, EvalError> {
    let intra = dir.join("intra-doc_annotation");
    let dir = if intra.is_dir() {
        intra
    } else {
        dir.to_path_buf()
    };
    let mut files = Vec::new();
    files_with_ext(&dir, "xml", &mut files)?;
    files.sort();
    files.iter().map(|p| read_meantime(p)).collect()
}

/// Scores a tagger over gold documents.
pub fn score_docs(
    docs: &[TimexDoc],
    tag: &dyn Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> TimexScores {
    let mut s = TimexScores::default();
    for d in docs {
        let sys = tag(&d.text, d.dct);
        s.add(d, &sys);
    }
    s
}

/// Scores a tagger on every TimeML file under `dir` (e.g. TempEval-3's TBAQ).
pub fn evaluate_timeml_dir(
    dir: &Path,
    tag: &dyn Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> Result<TimexScores, EvalError> {
    Ok(score_docs(&read_timeml_dir(dir)?, tag))
}

/// Scores a tagger on MEANTIME's intra-document TIMEX3 annotation under `dir`.
pub fn evaluate_meantime_dir(
    dir: &Path,
    tag: &dyn Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> Result<TimexScores, EvalError> {
    Ok(score_docs(&read_meantime_dir(dir)?, tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, body: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("eventline-timeml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    #[test]
    fn tml_text_and_spans_are_rebuilt() {
        let p = tmp(
            "a.tml",
            r#"<?xml version="1.0" ?><TimeML><DOCID>a</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">08/07/1998</TIMEX3></DCT>
<TEXT>Bombs <EVENT eid="e1">exploded</EVENT> &amp; shook <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>.</TEXT></TimeML>"#,
        );
        let d = read_tml(&p).unwrap();
        assert_eq!(d.text, "Bombs exploded & shook Friday.");
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(1998, 8, 7));
        assert_eq!(d.timexes.len(), 1);
        assert_eq!(&d.text[d.timexes[0].span.range()], "Friday");
        assert_eq!(d.timexes[0].value, "1998-08-07");
    }

    #[test]
    fn meantime_tokens_are_joined() {
        let p = tmp(
            "m.xml",
            r#"<?xml version="1.0" ?><Document doc_id="1">
<token number="0" sentence="0" t_id="1">March</token>
<token number="1" sentence="0" t_id="2">06</token>
<token number="2" sentence="0" t_id="3">,</token>
<token number="3" sentence="0" t_id="4">2008</token>
<token number="4" sentence="1" t_id="5">Today</token>
<Markables>
<TIMEX3 m_id="1" type="DATE" value="2008-03-06" functionInDocument="CREATION_TIME">
<token_anchor t_id="1"/><token_anchor t_id="2"/><token_anchor t_id="3"/><token_anchor t_id="4"/>
</TIMEX3>
<TIMEX3 m_id="2" type="DATE" value="2008-03-06" functionInDocument="NONE">
<token_anchor t_id="5"/>
</TIMEX3>
<TIMEX3 m_id="3" type="DATE" value="2058" TAG_DESCRIPTOR="2058"/>
</Markables></Document>"#,
        );
        let d = read_meantime(&p).unwrap();
        assert_eq!(d.text, "March 06 , 2008\nToday");
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(2008, 3, 6));
        assert_eq!(d.timexes.len(), 2);
        assert_eq!(&d.text[d.timexes[0].span.range()], "March 06 , 2008");
        assert_eq!(&d.text[d.timexes[1].span.range()], "Today");
        assert_eq!(d.annotated_until, Some(d.text.len()));
    }

    #[test]
    fn scorer_counts_like_tempeval3() {
        let doc = TimexDoc {
            id: "x".into(),
            text: "on Sunday evening and in 2015 and now".into(),
            dct: None,
            annotated_until: None,
            timexes: vec![
                Timex {
                    span: ByteSpan::new(3, 17),
                    kind: TimexType::Time,
                    value: "2024-12-01TEV".into(),
                },
                Timex {
                    span: ByteSpan::new(25, 29),
                    kind: TimexType::Date,
                    value: "2015".into(),
                },
            ],
        };
        let sys = vec![
            Timex {
                span: ByteSpan::new(3, 9),
                kind: TimexType::Date,
                value: "2024-12-01".into(),
            },
            Timex {
                span: ByteSpan::new(25, 29),
                kind: TimexType::Date,
                value: "2015".into(),
            },
            Timex {
                span: ByteSpan::new(34, 37),
                kind: TimexType::Date,
                value: "PRESENT_REF".into(),
            },
        ];
        let mut s = TimexScores::default();
        s.add(&doc, &sys);
        assert_eq!((s.relaxed_found, s.relaxed_correct), (2, 2));
        assert_eq!((s.strict_found, s.strict_correct), (1, 1));
        assert_eq!((s.type_correct, s.value_correct), (1, 1));
        assert!((s.relaxed_p() - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value_f1() - 0.5 * 0.8).abs() < 1e-9);
        assert!(s.to_string().contains("relaxed"));
    }
}
