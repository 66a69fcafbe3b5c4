//! "Which day does this publication date name?": the date forms users have
//! in records, headers and page metadata.
//!
//! Accepted (surrounding whitespace ignored):
//! - ISO days `2024-12-02`, also `2024/12/02`, `2024.12.02`, `2024_12_02`,
//!   optionally followed by a time and zone (`2024-12-02T10:31:00+03:00`,
//!   `2024-12-02 10:31:00`): the day as written, the zone is not applied;
//! - RFC 2822 `Mon, 02 Dec 2024 10:31:00 +0000`, also without the time
//!   (`Mon, 02 Dec 2024`) or the weekday;
//! - `December 2, 2024`, `Dec. 2, 2024`, `2 Dec 2024`, `2nd December 2024`;
//! - Unix time in seconds (9 to 11 digits) or milliseconds (12 to 13 digits).
//!
//! A date outside [`EARLIEST_YEAR`]..=[`LATEST_YEAR`] is refused as
//! implausible (`9999-12-31` would make "tomorrow" leave the calendar).

use chrono::{DateTime, Datelike, NaiveDate};

/// Earliest year accepted for an article date.
pub const EARLIEST_YEAR: i32 = 1800;
/// Latest year accepted for an article date.
pub const LATEST_YEAR: i32 = 2200;

/// Parses a publication date; the error says why it could not be read.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty date".into());
    }
    if s.len() > 64 {
        return Err("too long to be a date".into());
    }
    let day = read_any(s).ok_or_else(|| {
        "not a date form eventline reads (YYYY-MM-DD, RFC 2822, 'December 2, 2024', '2 Dec 2024', Unix seconds)".to_owned()
    })?;
    plausible(day)
}

/// `d` when its year is in the accepted range, else why not.
pub fn plausible(d: NaiveDate) -> Result<NaiveDate, String> {
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "year {} is implausible for an article (accepted {EARLIEST_YEAR}..={LATEST_YEAR})",
            d.year()
        ))
    }
}

fn read_any(s: &str) -> Option<NaiveDate> {
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return unix(s);
    }
    iso_day(s).or_else(|| words_date(s))
}

/// Unix seconds (9..=11 digits) or milliseconds (12..=13 digits).
fn unix(s: &str) -> Option<NaiveDate> {
    let n: i64 = s.parse().ok()?;
    let secs = match s.len() {
        9..=11 => n,
        12..=13 => n / 1000,
        _ => return None,
    };
    DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

/// `YYYY-MM-DD` (or `/`, `.`, `_` separated) followed by nothing or a time.
fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[4];
    if !matches!(sep, b'-' | b'/' | b'.' | b'_') {
        return None;
    }
    let rest = &s[5..];
    let m_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&m_len) || rest.as_bytes().get(m_len) != Some(&sep) {
        return None;
    }
    let rest2 = &rest[m_len + 1..];
    let d_len = rest2.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let tail = &rest2[d_len..];
    if !(tail.is_empty() || tail.starts_with(['T', 't', ' '])) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        s[..4].parse().ok()?,
        rest[..m_len].parse().ok()?,
        rest2[..d_len].parse().ok()?,
    )
}

/// The month a word names (`Dec`, `December`, `Sept.`), 1..=12.
pub(crate) fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() == 3 && n.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

/// A day number as written (`2`, `02`, `2nd`, `2,`).
pub(crate) fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.']);
    let w = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suf| w.strip_suffix(suf))
        .unwrap_or(w);
    if w.is_empty() || w.len() > 2 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(word: &str) -> Option<i32> {
    let w = word.trim_end_matches([',', '.']);
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// `December 2, 2024`, `Mon, 2 Dec 2024`, `2nd December 2024`, optionally
/// followed by a time (`10:31`, `10:31 GMT`, `at 10:31 a.m.`).
fn words_date(s: &str) -> Option<NaiveDate> {
    let mut words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    // a leading weekday
    if words.first().is_some_and(|w| {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        w.len() >= 3
            && [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ]
            .iter()
            .any(|d| d.starts_with(&w))
    }) {
        words.remove(0);
    }
    if words.len() < 3 {
        return None;
    }
    let (m, d, y) = if let Some(m) = month_of(words[0]) {
        (m, day_of(words[1])?, year_of(words[2])?)
    } else {
        (month_of(words[1])?, day_of(words[0])?, year_of(words[2])?)
    };
    // what follows must look like a time of day, not more prose
    let tail_ok = words[3..].iter().all(|w| {
        w.contains(':')
            || matches!(
                w.to_ascii_lowercase().as_str(),
                "at" | "am" | "pm" | "a.m." | "p.m." | "gmt" | "utc" | "est" | "edt" | "et" | "z"
            )
            || w.starts_with(['+', '-'])
    });
    if !tail_ok {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_forms_users_have() {
        let cases = [
            ("2024-12-02", Some("2024-12-02")),
            ("2018_05_11", Some("2018-05-11")),
            ("2024/12/2", Some("2024-12-02")),
            ("2024.12.02", Some("2024-12-02")),
            ("2024-12-02 10:31:00", Some("2024-12-02")),
            ("2024-12-02T10:31:00+03:00", Some("2024-12-02")),
            ("2024-12-02T23:31:00-05:00", Some("2024-12-02")),
            ("2024-12-02T10:31:00Z", Some("2024-12-02")),
            ("Mon, 02 Dec 2024 10:31:00 +0000", Some("2024-12-02")),
            ("Mon, 02 Dec 2024", Some("2024-12-02")),
            ("02 Dec 2024", Some("2024-12-02")),
            ("2 Dec 2024", Some("2024-12-02")),
            ("2nd December 2024", Some("2024-12-02")),
            ("December 2, 2024", Some("2024-12-02")),
            ("Dec. 2, 2024", Some("2024-12-02")),
            ("Sept 30, 2024", Some("2024-09-30")),
            ("December 2, 2024 10:31 GMT", Some("2024-12-02")),
            ("1733135460", Some("2024-12-02")),
            ("1733135460000", Some("2024-12-02")),
            ("9999-12-31", None),
            ("0001-01-01", None),
            ("2024-13-45", None),
            ("February 30, 2024", None),
            ("yesterday", None),
            ("December 2, 2024 was a Monday", None),
            ("12345", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = parse_date(input).ok().map(|d| d.to_string());
            assert_eq!(got.as_deref(), want, "{input:?}");
        }
        assert!(
            parse_date("9999-12-31")
                .unwrap_err()
                .contains("implausible")
        );
    }
}
