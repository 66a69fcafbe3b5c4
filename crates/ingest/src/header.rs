//! The `.txt` header line: "what is this article's date, who published it,
//! where was it filed, and does the body already start on this line?"
//!
//! A header is ` date YYYY-MM-DD` (leading space optional, `date:` and a time
//! of day after the date tolerated), followed on the same line by one of:
//!
//! - nothing;
//! - a parenthesised agency: `(MENAFN- Khaama Press)`, `(Reuters)`;
//! - a dateline: `Tehran, (APP - UrduPoint / Pakistan Point News - 2nd Dec, 2024)`,
//!   `DAMASCUS, Syria (AP) —`, `WASHINGTON, Dec 2 (Reuters) -`, `KYIV, Ukraine —`,
//!   `Tehran, IRNA --`;
//! - a bare outlet name: `Khaama Press` (short, capitalized, no final punctuation);
//! - body text (anything else: a sentence-like line).
//!
//! After a parenthesised agency or a dateline, the rest of the line is body.
//!
//! How an agency parenthesis is read: it is split on dashes that stand
//! between words (`MENAFN- Khaama Press`, `APP - UrduPoint / … - 2nd Dec, 2024`),
//! parts that are dates are dropped, and of the remaining parts the
//! **outlet is the one that wrote the story and the distributor is the one
//! that carried it**. A known aggregator (MENAFN, AllAfrica, NewsNow, …)
//! written first is the distributor (`MENAFN- Khaama Press`: outlet
//! `Khaama Press`, distributor `MENAFN`); otherwise the first part is the
//! originating agency and the rest is the carrier (`APP - UrduPoint /
//! Pakistan Point News`: outlet `APP`, distributor `UrduPoint / Pakistan
//! Point News`). The dateline place is the first comma-separated part of the
//! dateline (`DAMASCUS, Syria` gives `Damascus`), title-cased when written
//! in capitals.

use crate::ErrorKind;
use chrono::NaiveDate;

/// What a header line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The article date.
    pub date: NaiveDate,
    /// The outlet or agency that wrote the story, when named.
    pub outlet: Option<String>,
    /// The aggregator or site that carried it, when named.
    pub distributor: Option<String>,
    /// The dateline place ("Tehran"), when the line has a dateline.
    pub dateline: Option<String>,
    /// Byte offset in the line where body text begins, when the body starts on the header line.
    pub body_start: Option<usize>,
}

/// What the start of a line says about where and by whom it was filed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dateline {
    /// Dateline place, title-cased if it was written in capitals.
    pub place: Option<String>,
    /// The outlet or agency that wrote the story.
    pub outlet: Option<String>,
    /// The aggregator that carried it.
    pub distributor: Option<String>,
    /// Byte offset where the text after the dateline begins, if any text follows.
    pub body_start: Option<usize>,
    /// Month and day the dateline gives (`ANKARA, Dec 2 (Reuters) -`), when it gives one.
    pub month_day: Option<(u32, u32)>,
    /// Year the dateline gives, when it gives one.
    pub year: Option<i32>,
}

impl Dateline {
    /// The dateline's own date, when it names month, day and year.
    pub fn date(&self) -> Option<NaiveDate> {
        let (m, d) = self.month_day?;
        NaiveDate::from_ymd_opt(self.year?, m, d)
    }
}

/// Month, day and year named by the date-like parts of a dateline
/// (`Dec 2`, `2 December`, `Dec. 2, 2024`).
fn date_in(segs: &[&str]) -> (Option<(u32, u32)>, Option<i32>) {
    let words: Vec<&str> = segs
        .iter()
        .flat_map(|g| g.split_whitespace())
        .map(|w| w.trim_end_matches(','))
        .collect();
    let mut md = None;
    let mut year = None;
    for (k, w) in words.iter().enumerate() {
        if let Some(m) = crate::dates::month_of(w) {
            let day = words
                .get(k + 1)
                .and_then(|x| crate::dates::day_of(x))
                .or_else(|| {
                    k.checked_sub(1)
                        .and_then(|j| crate::dates::day_of(words[j]))
                });
            if let Some(d) = day {
                md.get_or_insert((m, d));
            }
        } else if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
            year = year.or(w.parse().ok());
        }
    }
    (md, year)
}

/// Parses a header line; `None` when the line is not a header or its date is malformed.
pub fn parse_header(line: &str) -> Option<Header> {
    parse_header_checked(line).ok().flatten()
}

/// Parses a header line: `Ok(None)` when the line is not a header at all,
/// an error when it is a header whose date is malformed (`date 2024-13-45`).
pub fn parse_header_checked(line: &str) -> Result<Option<Header>, ErrorKind> {
    let lead = line.len() - line.trim_start().len();
    let s = &line[lead..];
    if s.len() < 4 || !s.is_char_boundary(4) || !s[..4].eq_ignore_ascii_case("date") {
        return Ok(None);
    }
    let mut i = lead + 4;
    if line[i..].starts_with(':') {
        i += 1;
    }
    let after = &line[i..];
    let ws = after.len() - after.trim_start().len();
    if ws == 0 && !line[..i].ends_with(':') {
        return Ok(None); // "dated", "dates"
    }
    i += ws;
    let token_len = line[i..]
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '_')))
        .unwrap_or(line.len() - i);
    let token = &line[i..i + token_len];
    let date = if token.starts_with(|c: char| c.is_ascii_digit()) {
        let date = parse_ymd(token)
            .and_then(crate::dates::plausible)
            .map_err(|reason| ErrorKind::MalformedDate {
                value: token.to_owned(),
                reason,
            })?;
        i += token_len;
        i += time_of_day_len(&line[i..]);
        date
    } else {
        // ` date Mon, 02 Dec 2024`, ` date December 2, 2024`: the longest
        // run of words that reads as a date; else "Date palms grow ..." is body
        let Some((date, len)) = words_date_prefix(&line[i..]) else {
            return Ok(None);
        };
        i += len;
        date
    };
    let rest_lead = line[i..].len() - line[i..].trim_start().len();
    let rest_start = i + rest_lead;
    let rest = line[rest_start..].trim_end();
    let mut header = Header {
        date,
        outlet: None,
        distributor: None,
        dateline: None,
        body_start: None,
    };
    if rest.is_empty() {
        return Ok(Some(header));
    }
    if let Some(d) = parse_dateline(rest) {
        header.outlet = d.outlet;
        header.distributor = d.distributor;
        header.dateline = d.place;
        header.body_start = d.body_start.map(|b| rest_start + b);
    } else if is_bare_outlet(rest) {
        header.outlet = Some(rest.to_owned());
    } else {
        header.body_start = Some(rest_start);
    }
    Ok(Some(header))
}

/// The longest prefix of up to seven words of `s` that reads as a date, and its length in bytes.
fn words_date_prefix(s: &str) -> Option<(NaiveDate, usize)> {
    let mut ends = Vec::new();
    let mut in_word = false;
    for (k, c) in s.char_indices() {
        if c.is_whitespace() {
            if in_word {
                ends.push(k);
            }
            in_word = false;
        } else {
            in_word = true;
        }
        if ends.len() >= 7 {
            break;
        }
    }
    if in_word && ends.len() < 7 {
        ends.push(s.len());
    }
    ends.iter().rev().find_map(|&end| {
        let cand = s[..end].trim_end_matches(|c: char| c == ',' || c.is_whitespace());
        crate::dates::parse_date(cand).ok().map(|d| (d, end))
    })
}

/// Parses `YYYY-MM-DD` (also `/` or `.` separated, one-digit month or day tolerated).
fn parse_ymd(token: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = token.split(['-', '/', '.', '_']).collect();
    let [y, m, d] = parts[..] else {
        return Err("expected YYYY-MM-DD".into());
    };
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return Err("expected YYYY-MM-DD".into());
    }
    let num = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| "expected YYYY-MM-DD".to_owned())
    };
    let (y, m, d) = (num(y)? as i32, num(m)?, num(d)?);
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} is out of range"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("day {d} does not exist in {y}-{m:02}"))
}

/// Length of a time of day right after a date: `T10:31:00Z`, ` 10:31`, ` 10:31:00+02:00`, ` 10:31 UTC`.
fn time_of_day_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0] == b'T' || b[0] == b' ') {
        return 0;
    }
    let mut i = 1;
    let digits =
        |i: usize, n: usize| b.len() >= i + n && b[i..i + n].iter().all(u8::is_ascii_digit);
    let h = if digits(i, 2) {
        2
    } else if digits(i, 1) {
        1
    } else {
        return 0;
    };
    i += h;
    if b.get(i) != Some(&b':') || !digits(i + 1, 2) {
        return 0;
    }
    i += 3;
    if b.get(i) == Some(&b':') && digits(i + 1, 2) {
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    if b.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(b.get(i), Some(b'+' | b'-')) && digits(i + 1, 2) {
        i += 3;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
        if digits(i, 2) {
            i += 2;
        }
    } else {
        for zone in [" UTC", " GMT"] {
            if s[i..].starts_with(zone) {
                i += zone.len();
                break;
            }
        }
    }
    i
}

/// Aggregators that republish other outlets' stories; written first in an
/// agency parenthesis they are the distributor, not the outlet.
const AGGREGATORS: &[&str] = &[
    "MENAFN",
    "AllAfrica",
    "NewsNow",
    "Newstex",
    "NewsBank",
    "Yahoo",
    "Yahoo News",
    "MSN",
    "Google News",
    "PR Newswire",
    "PRNewswire",
    "Business Wire",
    "GlobeNewswire",
    "Mena Report",
    "Asia News Monitor",
];

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Lowercase words allowed inside place names and outlet names.
const CONNECTORS: &[&str] = &[
    "of", "de", "del", "della", "di", "da", "du", "la", "le", "el", "al", "the", "and", "upon",
    "on", "am", "an", "der", "von", "y", "&",
];

/// Reads a dateline or agency at the start of `s`: `(Agency)`,
/// `Place, (Agency)`, `PLACE (Agency) -`, `PLACE, Region, Month D (Agency) —`,
/// `PLACE, Region —`, `Place, IRNA --`. `None` when `s` does not start so.
pub fn parse_dateline(s: &str) -> Option<Dateline> {
    let window = floor_boundary(s, 120);
    // Form with an agency parenthesis.
    if let Some(open) = s[..window].find('(') {
        let close = matching_paren(s, open)?;
        let prefix = s[..open].trim_end().trim_end_matches(',').trim_end();
        let (outlet, distributor) = read_agency(&s[open + 1..close])?;
        let place = if prefix.is_empty() {
            None
        } else {
            let segs: Vec<&str> = prefix.split(',').map(str::trim).collect();
            if !is_place(segs[0])
                || !segs[1..]
                    .iter()
                    .all(|g| is_place(g) || is_date_like(g) || is_acronym(g))
            {
                return None;
            }
            Some(place_name(segs[0]))
        };
        let segs: Vec<&str> = prefix.split(',').map(str::trim).collect();
        let (month_day, year) = date_in(segs.get(1..).unwrap_or_default());
        return Some(Dateline {
            place,
            outlet,
            distributor,
            body_start: body_after(s, close + 1),
            month_day,
            year,
        });
    }
    // Form with a dash and no parenthesis.
    let (dash_at, dash_len) = find_dash(&s[..window])?;
    let prefix = s[..dash_at].trim_end().trim_end_matches(',').trim_end();
    let segs: Vec<&str> = prefix.split(',').map(str::trim).collect();
    if segs.is_empty() || !is_place(segs[0]) {
        return None;
    }
    let last = segs.len() - 1;
    let agency = (last > 0 && is_acronym(segs[last])).then(|| segs[last].to_owned());
    let caps = is_all_caps(segs[0]);
    if !caps && agency.is_none() {
        return None;
    }
    let middle_end = if agency.is_some() { last } else { last + 1 };
    if !segs[1..middle_end]
        .iter()
        .all(|g| is_place(g) || is_date_like(g))
    {
        return None;
    }
    let (month_day, year) = date_in(&segs[1..middle_end]);
    Some(Dateline {
        place: Some(place_name(segs[0])),
        outlet: agency,
        distributor: None,
        body_start: body_after(s, dash_at + dash_len),
        month_day,
        year,
    })
}

/// Largest char boundary at or below `n`.
fn floor_boundary(s: &str, n: usize) -> usize {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A dash standing between words: ` - `, ` -- `, ` — `, `—`, ` – `.
fn find_dash(s: &str) -> Option<(usize, usize)> {
    for (i, c) in s.char_indices() {
        match c {
            '—' | '–' => return Some((i, c.len_utf8())),
            '-' if s[..i].ends_with(' ') => {
                let n = if s[i..].starts_with("--") { 2 } else { 1 };
                if s[i + n..].starts_with(' ') || i + n == s.len() {
                    return Some((i, n));
                }
            }
            _ => {}
        }
    }
    None
}

/// Where text resumes after a dateline ending at `at`: separators and spaces skipped.
fn body_after(s: &str, at: usize) -> Option<usize> {
    let rest = &s[at..];
    let trimmed = rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '—' | '–' | ':' | '|' | '·')
    });
    (!trimmed.trim().is_empty()).then(|| at + rest.len() - trimmed.len())
}

/// Splits an agency parenthesis into (outlet, distributor). `None` when it does not read as one.
fn read_agency(inner: &str) -> Option<(Option<String>, Option<String>)> {
    let inner = inner.trim();
    if inner.is_empty()
        || !inner.starts_with(|c: char| c.is_uppercase())
        || inner.split_whitespace().count() > 12
        || inner.ends_with('.')
    {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = inner.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let is_dash = matches!(c, '-' | '—' | '–');
        let spaced = k + 1 == chars.len()
            || chars[k + 1].is_whitespace()
            || k == 0
            || chars[k - 1].is_whitespace();
        if is_dash && spaced {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty() && !is_date_like(p))
        .collect();
    // Each part must read as a name, not as prose.
    if parts.is_empty() || !parts.iter().all(|p| is_name_like(p, 8)) {
        return None;
    }
    let (outlet, distributor) = if parts.len() == 1 {
        (parts[0].clone(), None)
    } else if AGGREGATORS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&parts[0]))
    {
        (parts[1..].join(" - "), Some(parts[0].clone()))
    } else {
        (parts[0].clone(), Some(parts[1..].join(" - ")))
    };
    Some((Some(outlet), distributor))
}

/// A short run of capitalized words (connectors, `/`, `&` allowed), as names are written.
fn is_name_like(s: &str, max_words: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= max_words
        && words.iter().enumerate().all(|(k, w)| {
            let first = w.chars().next().unwrap_or(' ');
            first.is_uppercase()
                || first.is_ascii_digit()
                || matches!(*w, "/" | "&" | "-" | "+")
                || (k > 0 && CONNECTORS.contains(&w.to_lowercase().as_str()))
                || w.starts_with("al-")
                || w.starts_with("el-")
        })
}

/// A place as datelines write it: one to five capitalized words, no final period.
fn is_place(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 50
        && is_name_like(s, 5)
        && !s.ends_with(['.', '!', '?', ':'])
        && s.chars().next().is_some_and(char::is_alphabetic)
        && !is_date_like(s)
}

/// A date fragment: a month name, a year, or an ordinal day.
fn is_date_like(s: &str) -> bool {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    words.iter().any(|w| {
        MONTHS.contains(&w.as_str())
            || (w.len() == 4
                && w.chars().all(|c| c.is_ascii_digit())
                && (w.starts_with("19") || w.starts_with("20")))
            || ["st", "nd", "rd", "th"].iter().any(|suf| {
                w.strip_suffix(suf).is_some_and(|n| {
                    !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
                })
            })
    }) && words.iter().all(|w| {
        MONTHS.contains(&w.as_str())
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || CONNECTORS.contains(&w.as_str())
    })
}

/// An agency acronym: 2 to 6 capital letters (`IRNA`, `AFP`, `SANA`).
fn is_acronym(s: &str) -> bool {
    (2..=6).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase())
}

fn is_all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// The place as it should be shown: capitals become title case ("NEW YORK" -> "New York").
fn place_name(s: &str) -> String {
    if !is_all_caps(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = c == ' ' || c == '-';
        }
    }
    out
}

/// A header remainder that is only an outlet name: short, capitalized, no final punctuation.
fn is_bare_outlet(s: &str) -> bool {
    is_name_like(s, 6)
        && !s.ends_with(['.', '!', '?', '"', '”', ':', ','])
        && s.split_whitespace().count() <= 6
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case = (
        &'static str,
        Option<&'static str>, // date
        Option<&'static str>, // outlet
        Option<&'static str>, // distributor
        Option<&'static str>, // dateline
        Option<&'static str>, // body on the header line
    );

    const CASES: &[Case] = &[
        (
            " date 2024-12-02 (MENAFN- Khaama Press)",
            Some("2024-12-02"),
            Some("Khaama Press"),
            Some("MENAFN"),
            None,
            None,
        ),
        (
            " date 2024-12-02 Tehran, (APP - UrduPoint / Pakistan Point News - 2nd Dec, 2024) Iran's top diplomat met Assad.",
            Some("2024-12-02"),
            Some("APP"),
            Some("UrduPoint / Pakistan Point News"),
            Some("Tehran"),
            Some("Iran's top diplomat met Assad."),
        ),
        (
            " date 2024-12-01 President Bashar al-Assad emphasized that Syria remains committed to defending its stability.",
            Some("2024-12-01"),
            None,
            None,
            None,
            Some(
                "President Bashar al-Assad emphasized that Syria remains committed to defending its stability.",
            ),
        ),
        (
            " date 2024-12-02 (MENAFN- Trend News Agency)",
            Some("2024-12-02"),
            Some("Trend News Agency"),
            Some("MENAFN"),
            None,
            None,
        ),
        (
            " date 2024-12-02 WASHINGTON, Dec 2 (Reuters) - The U.S. said on Monday it was watching closely.",
            Some("2024-12-02"),
            Some("Reuters"),
            None,
            Some("Washington"),
            Some("The U.S. said on Monday it was watching closely."),
        ),
        (
            " date 2024-12-02 DAMASCUS, Syria (AP) — Syrian troops pulled back from the city.",
            Some("2024-12-02"),
            Some("AP"),
            None,
            Some("Damascus"),
            Some("Syrian troops pulled back from the city."),
        ),
        (
            " date 2024-12-02 PARIS (AFP) - France called for calm.",
            Some("2024-12-02"),
            Some("AFP"),
            None,
            Some("Paris"),
            Some("France called for calm."),
        ),
        (
            " date 2024-12-02 BEIJING, Dec. 2 (Xinhua) -- China on Monday urged restraint.",
            Some("2024-12-02"),
            Some("Xinhua"),
            None,
            Some("Beijing"),
            Some("China on Monday urged restraint."),
        ),
        (
            " date 2024-12-02 NEW YORK, Dec 2 (Reuters) -",
            Some("2024-12-02"),
            Some("Reuters"),
            None,
            Some("New York"),
            None,
        ),
        (
            " date 2024-12-02 KYIV, Ukraine — Russian drones struck the capital overnight.",
            Some("2024-12-02"),
            None,
            None,
            Some("Kyiv"),
            Some("Russian drones struck the capital overnight."),
        ),
        (
            " date 2024-12-02 Tehran, IRNA -- Iran's foreign minister arrived in Damascus.",
            Some("2024-12-02"),
            Some("IRNA"),
            None,
            Some("Tehran"),
            Some("Iran's foreign minister arrived in Damascus."),
        ),
        (
            "date 2024-12-02T10:31:00Z (Reuters)",
            Some("2024-12-02"),
            Some("Reuters"),
            None,
            None,
            None,
        ),
        (
            " date 2024-12-02 10:31:00 Khaama Press",
            Some("2024-12-02"),
            Some("Khaama Press"),
            None,
            None,
            None,
        ),
        (
            " date 2024-12-02",
            Some("2024-12-02"),
            None,
            None,
            None,
            None,
        ),
        (
            " date: 2024-12-02   ",
            Some("2024-12-02"),
            None,
            None,
            None,
            None,
        ),
        (
            " DATE 2024/12/2 (Anadolu Agency) Turkey said it was in contact with all sides.",
            Some("2024-12-02"),
            Some("Anadolu Agency"),
            None,
            None,
            Some("Turkey said it was in contact with all sides."),
        ),
        (
            " date 2024-12-02 UNITED NATIONS (AP) — The Security Council met.",
            Some("2024-12-02"),
            Some("AP"),
            None,
            Some("United Nations"),
            Some("The Security Council met."),
        ),
        (
            " date 2024-12-02 Syria's army said it had retaken two towns (state media reported) on Monday.",
            Some("2024-12-02"),
            None,
            None,
            None,
            Some("Syria's army said it had retaken two towns (state media reported) on Monday."),
        ),
        (
            " date 2024-12-02 Fighting continued — rebels said — near Hama.",
            Some("2024-12-02"),
            None,
            None,
            None,
            Some("Fighting continued — rebels said — near Hama."),
        ),
        // Not headers at all.
        (
            "Date palms grow in the oasis.",
            None,
            None,
            None,
            None,
            None,
        ),
        ("dated 2024-12-02 memo", None, None, None, None, None),
        (
            "The date 2024-12-02 was chosen.",
            None,
            None,
            None,
            None,
            None,
        ),
    ];

    #[test]
    fn header_case_table() {
        for &(line, date, outlet, distributor, dateline, body) in CASES {
            let h = parse_header(line);
            assert_eq!(
                h.as_ref().map(|h| h.date.to_string()).as_deref(),
                date,
                "date of {line:?}"
            );
            let Some(h) = h else { continue };
            assert_eq!(h.outlet.as_deref(), outlet, "outlet of {line:?}");
            assert_eq!(
                h.distributor.as_deref(),
                distributor,
                "distributor of {line:?}"
            );
            assert_eq!(h.dateline.as_deref(), dateline, "dateline of {line:?}");
            assert_eq!(h.body_start.map(|b| &line[b..]), body, "body of {line:?}");
        }
    }

    #[test]
    fn malformed_date_is_an_error_with_reason() {
        for (line, reason) in [
            (" date 2024-13-45", "month 13 is out of range"),
            (
                " date 2023-02-29 (Reuters)",
                "day 29 does not exist in 2023-02",
            ),
            (" date 2024-12", "expected YYYY-MM-DD"),
        ] {
            match parse_header_checked(line) {
                Err(ErrorKind::MalformedDate { reason: r, .. }) => assert_eq!(r, reason, "{line}"),
                other => panic!("{line:?}: expected a malformed-date error, got {other:?}"),
            }
        }
    }

    #[test]
    fn dateline_at_body_start_is_read_without_a_header() {
        let d = parse_dateline("BEIRUT, Lebanon (AP) — Israeli strikes hit the south.").unwrap();
        assert_eq!(d.place.as_deref(), Some("Beirut"));
        assert_eq!(d.outlet.as_deref(), Some("AP"));
        assert!(parse_dateline("The minister (right) met his counterpart.").is_none());
    }
}
