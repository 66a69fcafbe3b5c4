//! eventline's temporal stage: finds time expressions in a document and
//! normalizes them to TIMEX3 values (`DATE`, `TIME`, `DURATION`, `SET`)
//! against the article date.
//!
//! How it works:
//! - The rules are data: `rules::RULES` is a table of patterns written with
//!   word-class macros (`lexicon::MACROS`) and a normalization function per
//!   rule; `rules::PHRASES` is a table of fixed phrases with constant values.
//!   [`TimexTagger::new`] compiles the patterns once into a `RegexSet` (which
//!   rules can match a sentence at all) plus one `Regex` per rule, and the
//!   phrases into one Aho-Corasick automaton.
//! - Per sentence, every rule's matches are collected; overlapping matches are
//!   resolved longest-first (a fixed phrase wins over a pattern on the same
//!   span). Each kept match is normalized in text order with the article
//!   date, the tense of the clause it attaches to and the last date mentioned
//!   so far (for "the next day", "a year earlier"). Tense comes from the
//!   dependency parse when the tokens carry one (`context`: the verb the
//!   expression hangs on, its auxiliaries, the planning verb above an
//!   infinitive: "planned to leave on Thursday" looks ahead, "the decision,
//!   announced Wednesday" looks back), else from the nearest Penn tag or
//!   word cue.
//! - Without an article date, relative expressions get underspecified values
//!   (`XXXX-XX-XX`, `XXXX-WXX-5`).
//!
//! Entry points: [`TimexTagger::tag`] and the pipeline stage [`TemporalStage`];
//! [`day_precision`] turns a value into a timeline date for event dating.

mod context;
mod lexicon;
mod rules;
mod value;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::{Datelike, NaiveDate};
use model::{
    ByteSpan, DatePrecision, Diagnostic, Document, Layer, Stage, StageError, Timex, TimexType,
    Token,
};
use regex::{Regex, RegexSet};
use rules::{Caps, Ctx, Guard, PHRASES, RULES, Rule};
use value::TimexDate;

/// The compiled rule set. Build once with [`TimexTagger::new`]; `Send + Sync`.
pub struct TimexTagger {
    set: RegexSet,
    regexes: Vec<Regex>,
    phrases: AhoCorasick,
}

impl std::fmt::Debug for TimexTagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimexTagger")
            .field("rules", &RULES.iter().map(|r| r.name).collect::<Vec<_>>())
            .field("phrases", &PHRASES.len())
            .finish()
    }
}

impl Default for TimexTagger {
    fn default() -> Self {
        Self::new()
    }
}

/// Expands `{MACRO}`s in a rule pattern.
fn expand(pattern: &str) -> String {
    let mut out = pattern.to_string();
    // macros may refer to other macros; two passes suffice for this table
    for _ in 0..2 {
        for (name, body) in lexicon::MACROS {
            out = out.replace(&format!("{{{name}}}"), body);
        }
    }
    format!("(?i){out}")
}

/// What [`TimexTagger::tag_noted`] found: the time expressions, and those
/// it recognised but could not give a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    /// Time expressions with their values, in text order.
    pub timexes: Vec<Timex>,
    /// Expressions dropped, in text order.
    pub dropped: Vec<Dropped>,
}

/// A time expression recognised but left without a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    /// Where it is, in bytes of the tagged text.
    pub span: ByteSpan,
    /// Why it was dropped.
    pub reason: DropReason,
}

/// Why a time expression was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// Its date falls outside the years 0–9999 that TIMEX3 values can write
    /// ("300,000 years ago", "100,000,000 days ago").
    OutOfRange,
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DropReason::OutOfRange => f.write_str("its date falls outside the years 0-9999"),
        }
    }
}

/// Where a candidate came from.
enum Source<'s> {
    Rule(usize, Caps<'s>),
    Phrase(usize),
}

struct Candidate<'s> {
    start: usize,
    end: usize,
    priority: usize,
    source: Source<'s>,
}

/// What the document has mentioned so far (for anaphoric expressions).
#[derive(Default)]
struct DocState {
    last: Option<TimexDate>,
    last_day: Option<NaiveDate>,
    last_quarter: Option<TimexDate>,
}

impl TimexTagger {
    /// Compiles the rule table. Panics only if a built-in pattern is invalid
    /// (a bug caught by the unit tests).
    pub fn new() -> Self {
        let patterns: Vec<String> = RULES.iter().map(|r| expand(r.pattern)).collect();
        let set = RegexSet::new(&patterns).expect("built-in timex patterns compile");
        let regexes = patterns
            .iter()
            .map(|p| Regex::new(p).expect("built-in timex pattern compiles"))
            .collect();
        let phrases = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(PHRASES.iter().map(|p| p.text))
            .expect("phrase automaton builds");
        Self {
            set,
            regexes,
            phrases,
        }
    }

    /// Finds and normalizes the time expressions of `text`.
    ///
    /// `sentences` and `tokens` are byte spans into `text` (either may be
    /// empty: sentences are then split on sentence punctuation, and tense is
    /// read from word cues). `dct` is the article date; without it, relative
    /// expressions get underspecified values. Output is in text order, with
    /// byte offsets into `text`. Expressions recognised but given no value
    /// are left out; [`TimexTagger::tag_noted`] also says which.
    pub fn tag(
        &self,
        text: &str,
        sentences: &[ByteSpan],
        tokens: &[Token],
        dct: Option<NaiveDate>,
    ) -> Vec<Timex> {
        self.tag_noted(text, sentences, tokens, dct).timexes
    }

    /// Like [`TimexTagger::tag`], and also lists the expressions recognised
    /// but dropped because their date leaves the years 0–9999 ("300,000
    /// years ago"), so that callers can report them.
    pub fn tag_noted(
        &self,
        text: &str,
        sentences: &[ByteSpan],
        tokens: &[Token],
        dct: Option<NaiveDate>,
    ) -> Tagged {
        let owned;
        let sentences = if sentences.is_empty() {
            owned = context::split_sentences(text);
            &owned[..]
        } else {
            sentences
        };
        let mut state = DocState::default();
        let mut out: Vec<Timex> = Vec::new();
        let mut dropped = Vec::new();
        for &sent in sentences {
            let first = out.len();
            let s = &text[sent.range()];
            let base = sent.start as usize;
            let lo = tokens.partition_point(|t| t.span.end <= sent.start);
            let hi = tokens.partition_point(|t| t.span.start < sent.end);
            let toks = &tokens[lo..hi.max(lo)];
            let mut prev_in_sentence: Option<String> = None;
            for cand in self.candidates(s) {
                let span = ByteSpan::new(base + cand.start, base + cand.end);
                let tense = if is_deadline(s, cand.start) {
                    context::Tense::Future
                } else {
                    context::head_tense(text, span, tokens, lo, hi.max(lo))
                        .unwrap_or_else(|| context::tense_near(text, sent, span, toks))
                };
                let ctx = Ctx {
                    dct,
                    tense,
                    last: state.last,
                    last_day: state.last_day,
                    last_quarter: state.last_quarter,
                    next: next_word(s, cand.end),
                    prev_in_sentence: prev_in_sentence.take(),
                };
                let (kind, value) = match &cand.source {
                    Source::Rule(i, caps) => {
                        let r: &Rule = &RULES[*i];
                        value::take_gave_up();
                        let v = (r.norm)(caps, &ctx);
                        // a rule rejected the match, or its date left the
                        // four-digit years (in the arithmetic or after it:
                        // "Friday December 1" in an article of 9999-12-02)
                        let gave_up = value::take_gave_up();
                        let v = match v {
                            Some(v) if value::writable(&v) => v,
                            Some(_) => {
                                dropped.push(Dropped {
                                    span,
                                    reason: DropReason::OutOfRange,
                                });
                                continue;
                            }
                            None => {
                                if gave_up {
                                    dropped.push(Dropped {
                                        span,
                                        reason: DropReason::OutOfRange,
                                    });
                                }
                                continue;
                            }
                        };
                        let kind = fix_kind(r.kind, &v);
                        // "will one day be": some time ahead, not a day's length
                        if v == "P1D"
                            && s[cand.start..cand.end].eq_ignore_ascii_case("one day")
                            && matches!(
                                prev_word(s, cand.start).as_str(),
                                "will" | "would" | "may" | "might" | "could" | "can" | "'ll"
                            )
                        {
                            out.push(Timex {
                                span,
                                kind: TimexType::Date,
                                value: "FUTURE_REF".into(),
                            });
                            prev_in_sentence = Some("FUTURE_REF".into());
                            continue;
                        }
                        // "$5 million a year", "four flights a week": a rate
                        if kind == TimexType::Duration && is_rate(s, cand.start, cand.end) {
                            (TimexType::Set, v)
                        } else {
                            (kind, v)
                        }
                    }
                    Source::Phrase(i) => {
                        let p = &PHRASES[*i];
                        let v = rules::phrase_value(p, dct);
                        if !value::writable(&v) {
                            dropped.push(Dropped {
                                span,
                                reason: DropReason::OutOfRange,
                            });
                            continue;
                        }
                        (p.kind, v)
                    }
                };
                // comparisons ("a year earlier") do not become the new anchor
                let comparative = matches!(&cand.source, Source::Rule(i, _) if matches!(RULES[*i].name, "ago" | "rel-adj" | "ago-bare" | "year-period" | "same-period-year-ago"));
                if !comparative
                    && matches!(kind, TimexType::Date | TimexType::Time)
                    && let Some(p) = TimexDate::parse(&value)
                {
                    state.last = Some(p);
                    if let TimexDate::Day(d) = p {
                        state.last_day = Some(d);
                    }
                    // the quarter under discussion: a recent one, not a comparison base;
                    // once the article names the latest completed quarter (the one
                    // results are reported for), other quarters are asides
                    let reported = dct.and_then(|d| {
                        value::shift_point(
                            value::truncate(d, value::Unit::Quarter),
                            -1,
                            value::Unit::Quarter,
                        )
                    });
                    if let TimexDate::Quarter(qy, _) = p
                        && dct
                            .is_none_or(|d| qy == d.year() || qy + 1 == d.year() && d.month() <= 3)
                        && (state.last_quarter.is_none() || state.last_quarter != reported)
                    {
                        state.last_quarter = Some(p);
                    }
                }
                prev_in_sentence = Some(value.clone());
                out.push(Timex { span, kind, value });
            }
            date_clock_times(text, &mut out[first..]);
        }
        Tagged {
            timexes: out,
            dropped,
        }
    }

    /// All accepted, non-overlapping candidates of one sentence, in text order.
    fn candidates<'s>(&self, s: &'s str) -> Vec<Candidate<'s>> {
        let mut all: Vec<Candidate<'s>> = Vec::new();
        for i in self.set.matches(s).iter() {
            for caps in self.regexes[i].captures_iter(s) {
                // a rule may report only part of its match (group `x`)
                let m = caps.name("x").or_else(|| caps.get(0)).expect("group 0");
                let (start, end) = trim_span(s, m.start(), m.end());
                let start = start
                    + modifier_determiner(s, RULES[i].name, &caps, start)
                    + focus_word(s, start);
                if start >= end || !guard_ok(RULES[i].guard, s, start, end, &caps) {
                    continue;
                }
                if is_title(s, start, end) || is_idiom(s, start, end) {
                    continue;
                }
                // a word cut off by a hyphen ("the quarter-to-quarter comparison")
                let mut rest = s[end..].chars();
                if s[..end].ends_with(|c: char| c.is_alphabetic())
                    && rest.next() == Some('-')
                    && rest.next().is_some_and(char::is_alphabetic)
                {
                    continue;
                }
                all.push(Candidate {
                    start,
                    end,
                    // on identical spans a fixed phrase is more specific than a pattern
                    priority: PHRASES.len() + i,
                    source: Source::Rule(i, Caps(caps)),
                });
            }
        }
        for m in self.phrases.find_iter(s) {
            let (start, end) = (m.start(), m.end());
            let before_ok = s[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '-');
            let after_ok = s[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != '-');
            let p = &PHRASES[m.pattern().as_usize()];
            if before_ok && after_ok && rules::phrase_context_ok(p.text, &s[..start], &s[end..]) {
                all.push(Candidate {
                    start,
                    end,
                    priority: m.pattern().as_usize(),
                    source: Source::Phrase(m.pattern().as_usize()),
                });
            }
        }
        all.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
                .then(a.priority.cmp(&b.priority))
        });
        let mut kept: Vec<Candidate<'s>> = Vec::new();
        for c in all {
            if kept.iter().all(|k| c.end <= k.start || k.end <= c.start) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|c| c.start);
        kept
    }
}

/// "at 16:15 UTC, June 1": a clock time followed by the date it falls on,
/// as a separate expression, is on that date.
fn date_clock_times(text: &str, timexes: &mut [Timex]) {
    for i in 1..timexes.len() {
        let (a, b) = (&timexes[i - 1], &timexes[i]);
        let between = &text[a.span.end as usize..b.span.start as usize];
        if a.kind != TimexType::Time
            || !matches!(TimexDate::parse(&b.value), Some(TimexDate::Day(_)))
            || b.value.contains('T')
            || !between.trim().trim_start_matches(',').trim().is_empty()
            || !between.contains(',')
        {
            continue;
        }
        if let Some((_, clock)) = a.value.split_once('T') {
            timexes[i - 1].value = format!("{}T{clock}", b.value);
        }
    }
}

/// "postponed until Tuesday", "closed until Friday", "has until 9 a.m.
/// Tuesday": the end of a state or a deadline still ahead, whatever the
/// tense of the verb. Not "not until Tuesday" or "up until Thursday", nor a
/// sentence-initial "Until Thursday, they had ...", which look back.
fn is_deadline(s: &str, start: usize) -> bool {
    let before: Vec<&str> = s[..start].split_whitespace().rev().take(3).collect();
    let word = |i: usize| {
        before.get(i).map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
    };
    matches!(word(0).as_deref(), Some("until" | "till"))
        && before.len() > 1
        && !matches!(word(1).as_deref(), Some("not" | "up" | "only" | "even"))
}

/// "about two weeks", "only five hours", "just one year": an approximating
/// or focusing adverb before an amount of time qualifies it but is not part
/// of the expression. Returns the bytes to skip at `start`.
fn focus_word(s: &str, start: usize) -> usize {
    ["about ", "just ", "only "]
        .iter()
        .find(|w| {
            s.get(start..start + w.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(w))
        })
        .map_or(0, |w| w.len())
}

/// A determiner or possessive before a time word that modifies a noun
/// belongs to the noun phrase, not to the time expression: "the 1987 crash"
/// is `1987`, "its third-quarter earnings" is `third-quarter`, "its fourth
/// quarter" is `fourth quarter`. Returns the bytes to skip at `start`.
fn modifier_determiner(s: &str, rule: &str, caps: &regex::Captures<'_>, start: usize) -> usize {
    // `word` when the match starts at `start` with it
    let lead = |word: &str| {
        s.get(start..start + word.len())
            .filter(|w| w.eq_ignore_ascii_case(word))
            .map(|_| word.len())
    };
    match rule {
        // "the 1987 crash": nothing between "the" and the year
        "year" if caps.name("fy").is_none() && caps.name("s").is_none() => {
            let y = caps.name("y").map_or(0, |y| y.start());
            lead("the ").filter(|n| start + n == y).unwrap_or(0)
        }
        "quarter" => {
            let rel = caps
                .name("rel")
                .map_or("", |r| r.as_str())
                .to_ascii_lowercase();
            // "third-quarter earnings": the ordinal and "quarter" modify a noun
            let hyphenated = caps
                .name("o")
                .is_some_and(|o| s[o.end()..].starts_with('-'));
            match rel.as_str() {
                "its" | "their" | "his" | "her" | "our" => lead(&format!("{rel} ")).unwrap_or(0),
                "the company's" => lead("the company's ").unwrap_or(0),
                r if hyphenated && (r == "the" || r.starts_with("the fiscal")) => {
                    lead("the ").unwrap_or(0)
                }
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// "a year" after an amount ("$5 million a year", "four flights a week",
/// "twice a day"): a frequency, i.e. a SET.
fn is_rate(s: &str, start: usize, end: usize) -> bool {
    let m = s[start..end].to_ascii_lowercase();
    if !(m.starts_with("a ") || m.starts_with("an ")) || m.split_whitespace().count() != 2 {
        return false;
    }
    let before: Vec<&str> = s[..start].split_whitespace().rev().take(3).collect();
    let Some(prev) = before.first().map(|w| w.to_ascii_lowercase()) else {
        return false;
    };
    let number = |w: &str| {
        w.starts_with(['$', '£', '€'])
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || matches!(
                w,
                "million" | "billion" | "thousand" | "hundred" | "cents" | "dollars" | "percent"
            )
    };
    matches!(prev.as_str(), "once" | "twice" | "thrice" | "times")
        || number(&prev)
        // "four flights a week": a counted plural noun before
        || prev.ends_with('s')
            && before
                .iter()
                .skip(1)
                .any(|w| number(&w.to_ascii_lowercase()) || lexicon_number(w))
}

/// A number word ("four", "fifty").
fn lexicon_number(w: &str) -> bool {
    matches!(
        lexicon::quantity(&w.to_ascii_lowercase()),
        Some(lexicon::Quantity::Exact(_))
    ) && !matches!(w.to_ascii_lowercase().as_str(), "a" | "an")
}

/// Fixed phrases that only look like times: "high noon", "the day"
/// directly before a weekday ("during the day Friday" names Friday).
fn is_idiom(s: &str, start: usize, end: usize) -> bool {
    let m = s[start..end].to_ascii_lowercase();
    let prev = prev_word(s, start);
    let prev = prev.trim_matches(|c: char| !c.is_alphanumeric());
    let next = next_word(s, end);
    m == "noon" && prev == "high"
        || m == "the day" && lexicon::weekday(&next).is_some() && next.ends_with("day")
}

/// A programme or work title in title case inside a sentence: "This Week",
/// "60 Minutes" (a unit word capitalised mid-sentence).
fn is_title(s: &str, start: usize, end: usize) -> bool {
    if s[..start].trim().is_empty() {
        return false;
    }
    let last = s[start..end].split_whitespace().next_back().unwrap_or("");
    let unit = last.trim_end_matches(|c: char| !c.is_alphabetic());
    matches!(
        unit,
        "Week" | "Weeks" | "Minutes" | "Hours" | "Months" | "Years"
    ) && !s[start..end].chars().all(|c| !c.is_lowercase())
}

/// Drops trailing punctuation and a leading/trailing space from a match.
fn trim_span(s: &str, start: usize, mut end: usize) -> (usize, usize) {
    let t = &s[start..end];
    let trimmed = t.trim_end_matches([',', ' ', ';']);
    end = start + trimmed.len();
    let lead = trimmed.len() - trimmed.trim_start().len();
    (start + lead, end)
}

/// A value with a time part is a TIME; a `P...` value of a DATE rule is a DURATION.
fn fix_kind(kind: TimexType, value: &str) -> TimexType {
    match kind {
        TimexType::Date | TimexType::Time if value.starts_with('P') && !value.ends_with("_REF") => {
            TimexType::Duration
        }
        TimexType::Date if value.contains('T') && !value.ends_with("_REF") => TimexType::Time,
        TimexType::Time if !value.contains('T') => TimexType::Date,
        k => k,
    }
}

/// Words after a bare number that make it a count, not a year.
const COUNTED: &[&str] = &[
    "percent",
    "shares",
    "people",
    "troops",
    "votes",
    "points",
    "feet",
    "meters",
    "miles",
    "tons",
    "barrels",
    "acres",
    "jobs",
    "workers",
    "employees",
    "members",
    "units",
    "cars",
    "vehicles",
    "dollars",
    "yen",
    "marks",
    "francs",
    "pounds",
    "kilometers",
    "students",
    "soldiers",
    "copies",
    "million",
    "billion",
];

/// Words before a bare number that make it a count or a label, not a year.
const NOT_YEAR_BEFORE: &[&str] = &[
    "no.",
    "number",
    "flight",
    "route",
    "room",
    "about",
    "some",
    "nearly",
    "than",
    "over",
    "almost",
    "around",
    "approximately",
    "top",
];

/// A bare four-digit number is a year unless it is money, a decimal, a count
/// or a label.
fn year_ok(s: &str, start: usize, end: usize, y_only: bool) -> bool {
    let before = s[..start].chars().next_back();
    let rest = &s[end..];
    let mut after = rest.chars();
    let (a1, a2) = (after.next(), after.next());
    if before.is_some_and(|c| matches!(c, '$' | '#' | '£' | '€' | '.' | ',' | '/'))
        || a1.is_some_and(|c| matches!(c, '%' | '/' | ':'))
        || matches!(a1, Some('.' | ',')) && a2.is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    if !y_only {
        return true;
    }
    let next = next_word(s, end);
    let prev = prev_word(s, start);
    // "Kopp's 1987 Chevrolet": a model year naming a product
    let next_raw = s[end..].split_whitespace().next().unwrap_or("");
    let product = prev.ends_with("'s")
        && next_raw.chars().next().is_some_and(char::is_uppercase)
        && lexicon::month_num(next_raw).is_none();
    !product && !COUNTED.contains(&next.as_str()) && !NOT_YEAR_BEFORE.contains(&prev.as_str())
}

fn prev_word(s: &str, start: usize) -> String {
    s[..start]
        .split(|c: char| c.is_whitespace())
        .rfind(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn next_word(s: &str, end: usize) -> String {
    s[end..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase()
}

fn guard_ok(g: Guard, s: &str, start: usize, end: usize, caps: &regex::Captures<'_>) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    match g {
        Guard::None => true,
        Guard::Year => {
            let y_only = caps.get(0).map(|m| m.as_str()) == caps.name("y").map(|m| m.as_str());
            year_ok(s, start, end, y_only)
        }
        // "the year-ago results" is a compound, not "the year"
        Guard::TheUnit if after == Some('-') => false,
        Guard::TheUnit => {
            let prev = prev_word(s, start);
            let next = next_word(s, end);
            matches!(
                prev.as_str(),
                "for" | "of" | "during" | "through" | "throughout" | "over" | "in" | "all"
            ) || matches!(
                prev.as_str(),
                "end"
                    | "ended"
                    | "ending"
                    | "ends"
                    | "finish"
                    | "finished"
                    | "finishing"
                    | "close"
                    | "closed"
                    | "closing"
                    | "start"
                    | "started"
                    | "began"
                    | "begin"
            ) || matches!(
                next.as_str(),
                "ended" | "ending" | "earlier" | "before" | "ago" | "after" | "that" | "since"
            ) || s[end..].starts_with("'s")
        }
        Guard::TwoThousand => {
            let prev = prev_word(s, start);
            caps.get(0)
                .is_some_and(|m| m.as_str().starts_with("the year"))
                || matches!(
                    prev.as_str(),
                    "in" | "by" | "since" | "until" | "till" | "of" | "before" | "after"
                )
        }
        Guard::AmbiguousMonth => {
            let m = caps.name("m").map_or("", |m| m.as_str());
            let has_rel = caps.name("rel").is_some()
                || caps.get(0).map(|x| x.start()) != caps.name("m").map(|x| x.start());
            if has_rel {
                return true;
            }
            let prev = prev_word(s, start);
            if matches!(m, "May" | "March" | "MAY" | "MARCH") {
                matches!(
                    prev.as_str(),
                    "in" | "since"
                        | "until"
                        | "till"
                        | "by"
                        | "of"
                        | "through"
                        | "from"
                        | "during"
                        | "before"
                        | "after"
                        | "last"
                        | "next"
                        | "this"
                        | "early"
                        | "late"
                        | "mid"
                        | "to"
                        | "between"
                        | "and"
                        | "or"
                        | "on"
                )
            } else {
                // a capitalised month word in a name ("April Smith") is rare; keep
                !after.is_some_and(|c| c.is_alphabetic())
            }
        }
        Guard::BarePlural => {
            if caps.name("q").is_some() {
                return true;
            }
            let prev = prev_word(s, start);
            matches!(
                prev.as_str(),
                "for"
                    | "over"
                    | "in"
                    | "within"
                    | "took"
                    | "take"
                    | "takes"
                    | "taking"
                    | "lasted"
                    | "lasting"
                    | "spent"
                    | "spend"
                    | "after"
                    | "waited"
                    | "wait"
            )
        }
        Guard::NotAge => {
            let rest = s[end..].trim_start_matches(['-', ' ']);
            !(rest.starts_with("old") || rest.starts_with("-old"))
        }
        Guard::Clock => {
            !before.is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '.')
                && !after.is_some_and(|c| c == ':' || c.is_ascii_digit())
        }
    }
}

/// Turns a TIMEX3 value into a timeline date and its precision: days (with
/// or without a time of day) give `Day`; months give `Month`; years give
/// `Year`. Coarser or finer periods are mapped to the tightest calendar unit
/// that contains them: an ISO week (`2024-W48`) or weekend gives the `Month`
/// of the week's Thursday (the ISO rule for which month/year a week belongs
/// to); a quarter, half or season gives its `Year`. Decades, centuries,
/// durations, sets, `*_REF` and underspecified values give `None`.
pub fn day_precision(value: &str) -> Option<(String, DatePrecision)> {
    let p = TimexDate::parse(value)?;
    Some(match p {
        TimexDate::Day(d) => (d.format("%Y-%m-%d").to_string(), DatePrecision::Day),
        TimexDate::Month(y, m) => (format!("{y:04}-{m:02}"), DatePrecision::Month),
        TimexDate::Week(..) | TimexDate::Weekend(..) => {
            let d = value::anchor_day(p)?;
            (d.format("%Y-%m").to_string(), DatePrecision::Month)
        }
        TimexDate::Quarter(y, _)
        | TimexDate::Half(y, _)
        | TimexDate::Season(y, _)
        | TimexDate::Year(y) => (format!("{y:04}"), DatePrecision::Year),
        TimexDate::Decade(_) | TimexDate::Century(_) => return None,
    })
}

/// The pipeline stage: requires sentences, provides timexes; reads
/// `doc.meta.date` as the article date and the token layer (tags) when present.
#[derive(Debug, Default)]
pub struct TemporalStage {
    tagger: TimexTagger,
}

impl TemporalStage {
    /// A stage with a freshly compiled tagger.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Stage for TemporalStage {
    fn name(&self) -> &'static str {
        "temporal"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Sentences]
    }

    fn provides(&self) -> &[Layer] {
        &[Layer::Timexes]
    }

    /// Tags the document; each expression dropped becomes a diagnostic of
    /// stage `temporal` quoting it (those of an earlier run are replaced).
    fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        let sentences: Vec<ByteSpan> = doc.layers.sentences.iter().map(|s| s.span).collect();
        let tagged =
            self.tagger
                .tag_noted(&doc.text, &sentences, &doc.layers.tokens, doc.meta.date);
        doc.layers.timexes = tagged.timexes;
        let name = self.name();
        doc.layers.diagnostics.retain(|d| d.stage != name);
        for d in tagged.dropped {
            doc.layers.diagnostics.push(Diagnostic {
                stage: name.to_owned(),
                message: format!(
                    "time expression {:?} dropped: {}",
                    doc.span_text(d.span),
                    d.reason
                ),
                span: Some(d.span),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: "300,000 years ago" and "100,000,000 days ago" were dropped
    /// without a word; the stage now says which expression it dropped.
    #[test]
    fn expressions_dropped_for_their_size_become_diagnostics() {
        let text = "The city was founded 300,000 years ago. It rained 100,000,000 days ago. \
                    The vote was two days ago.";
        let mut doc = Document::new("d", text);
        doc.meta.date = NaiveDate::from_ymd_opt(2024, 12, 2);
        doc.layers.sentences = context::split_sentences(text)
            .into_iter()
            .map(|span| model::Sentence { span })
            .collect();
        let stage = TemporalStage::new();
        stage.run(&mut doc).unwrap();
        let values: Vec<&str> = doc
            .layers
            .timexes
            .iter()
            .map(|t| t.value.as_str())
            .collect();
        assert_eq!(values, ["2024-11-30"]);
        let quoted: Vec<(&str, &str)> = doc
            .layers
            .diagnostics
            .iter()
            .map(|d| (d.stage.as_str(), doc.span_text(d.span.unwrap())))
            .collect();
        assert_eq!(
            quoted,
            [
                ("temporal", "300,000 years ago"),
                ("temporal", "100,000,000 days ago")
            ]
        );
        assert!(
            doc.layers.diagnostics[0].message
                == "time expression \"300,000 years ago\" dropped: its date falls outside the years 0-9999",
            "{:?}",
            doc.layers.diagnostics
        );
        // a second run replaces its diagnostics instead of adding to them
        stage.run(&mut doc).unwrap();
        assert_eq!(doc.layers.diagnostics.len(), 2);
        // a rule that rejects a match ("the final quarter" of a game) is no drop
        let t = TimexTagger::new().tag_noted("He scored in the final quarter.", &[], &[], None);
        assert!(t.dropped.is_empty(), "{t:?}");
    }

    #[test]
    fn all_patterns_compile() {
        let t = TimexTagger::new();
        assert_eq!(t.regexes.len(), RULES.len());
    }

    #[test]
    fn tagger_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<TimexTagger>();
        check::<TemporalStage>();
    }

    #[test]
    fn day_precision_maps_values() {
        assert_eq!(
            day_precision("2024-12-01TEV"),
            Some(("2024-12-01".into(), DatePrecision::Day))
        );
        assert_eq!(
            day_precision("2024-W48"),
            Some(("2024-11".into(), DatePrecision::Month))
        );
        assert_eq!(
            day_precision("2024-12"),
            Some(("2024-12".into(), DatePrecision::Month))
        );
        assert_eq!(
            day_precision("2024-Q3"),
            Some(("2024".into(), DatePrecision::Year))
        );
        assert_eq!(day_precision("P3D"), None);
        assert_eq!(day_precision("PAST_REF"), None);
        assert_eq!(day_precision("XXXX-WXX-5"), None);
    }

    #[test]
    fn stage_fills_timexes() {
        let mut doc = Document::new("d", "The ministers met on Sunday evening.");
        doc.meta.date = NaiveDate::from_ymd_opt(2024, 12, 2);
        doc.layers.sentences = vec![model::Sentence {
            span: ByteSpan::new(0, doc.text.len()),
        }];
        TemporalStage::new().run(&mut doc).unwrap();
        assert_eq!(doc.layers.timexes.len(), 1);
        let t = &doc.layers.timexes[0];
        assert_eq!(doc.span_text(t.span), "Sunday evening");
        assert_eq!(t.value, "2024-12-01TEV");
        assert_eq!(t.kind, TimexType::Time);
        assert!(doc.check_spans().is_ok());
    }
}
