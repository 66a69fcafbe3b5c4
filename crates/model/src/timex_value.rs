//! "Which stretch of the calendar does this TIMEX3 value name?": the
//! calendar part of a TIMEX3 value (`2024-12-01`, `2024-W48`, `2024-Q3`,
//! `199`) as a small enum, the one parser that reads values back, and the
//! days each value covers. The temporal tagger writes values with it and
//! does its calendar arithmetic on it; event dating reads values through it.
//! Durations, sets, `*_REF` and underspecified values (`XXXX-XX-XX`) are not
//! calendar points: [`TimexDate::parse`] gives `None` for them.

use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt;

/// A season, as TIMEX3 writes it (`SP`, `SU`, `FA`, `WI`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Season {
    /// March to May (`SP`).
    Spring,
    /// June to August (`SU`).
    Summer,
    /// September to November (`FA`).
    Fall,
    /// December to February (`WI`); a winter belongs to the year it starts in.
    Winter,
}

impl Season {
    /// The TIMEX3 code (`SP`, `SU`, `FA`, `WI`).
    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    /// The season of a TIMEX3 code.
    pub fn from_code(s: &str) -> Option<Self> {
        Some(match s {
            "SP" => Season::Spring,
            "SU" => Season::Summer,
            "FA" => Season::Fall,
            "WI" => Season::Winter,
            _ => return None,
        })
    }

    /// The season a month (1..=12) falls in (meteorological, northern hemisphere).
    pub fn of_month(m: u32) -> Self {
        match m {
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            9..=11 => Season::Fall,
            _ => Season::Winter,
        }
    }

    /// The season's first month (1..=12).
    pub fn first_month(self) -> u32 {
        match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Fall => 9,
            Season::Winter => 12,
        }
    }
}

/// A calendar point at some granularity: the calendar part of a TIMEX3
/// value. Years have four digits (`0000`..=`9999`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexDate {
    /// A day (`2024-12-01`; a time of day `T...` after it is not kept).
    Day(NaiveDate),
    /// An ISO week, by ISO year and week (`2024-W48`).
    Week(i32, u32),
    /// The weekend of an ISO week (`2024-W48-WE`).
    Weekend(i32, u32),
    /// A month, by year and 1..=12 (`2024-12`).
    Month(i32, u32),
    /// A quarter, by year and 1..=4 (`2024-Q3`).
    Quarter(i32, u32),
    /// A half year, by year and 1..=2 (`2024-H1`).
    Half(i32, u32),
    /// A season of a year (`2024-SU`).
    Season(i32, Season),
    /// A year (`2024`).
    Year(i32),
    /// A decade, by its first three digits (`199` = the 1990s).
    Decade(i32),
    /// A century, by its first two digits (`19` = the 1900s).
    Century(i32),
}

/// `s` as a number when it is exactly `len` ASCII digits.
fn digits(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn year(s: &str) -> Option<i32> {
    digits(s, 4).and_then(|y| i32::try_from(y).ok())
}

impl TimexDate {
    /// Reads the calendar part of a TIMEX3 value; a time suffix (`T15:00`,
    /// `TEV`) is ignored. `None` for anything that names no calendar
    /// point, and for points that do not exist (`2024-02-30`, `2024-W60`,
    /// `2024-Q5`).
    pub fn parse(value: &str) -> Option<Self> {
        let v = value.split('T').next()?;
        match v.len() {
            2 => return digits(v, 2).map(|c| TimexDate::Century(c as i32)),
            3 => return digits(v, 3).map(|d| TimexDate::Decade(d as i32)),
            _ => {}
        }
        let y = year(v.get(..4)?)?;
        let rest = &v[4..];
        if rest.is_empty() {
            return Some(TimexDate::Year(y));
        }
        let rest = rest.strip_prefix('-')?;
        // seasons first: `WI` is winter, not a week
        let p = if let Some(s) = Season::from_code(rest) {
            TimexDate::Season(y, s)
        } else if let Some(w) = rest.strip_prefix('W') {
            match w.strip_suffix("-WE") {
                Some(w) => TimexDate::Weekend(y, digits(w, 2)?),
                None => TimexDate::Week(y, digits(w, 2)?),
            }
        } else if let Some(q) = rest.strip_prefix('Q') {
            TimexDate::Quarter(y, digits(q, 1).filter(|q| (1..=4).contains(q))?)
        } else if let Some(h) = rest.strip_prefix('H') {
            TimexDate::Half(y, digits(h, 1).filter(|h| (1..=2).contains(h))?)
        } else {
            match rest.split_once('-') {
                None => TimexDate::Month(y, digits(rest, 2).filter(|m| (1..=12).contains(m))?),
                Some((m, d)) => {
                    TimexDate::Day(NaiveDate::from_ymd_opt(y, digits(m, 2)?, digits(d, 2)?)?)
                }
            }
        };
        // weeks past the year's last ISO week do not exist
        p.first_day().map(|_| p)
    }

    /// The first day the point covers (Monday for a week, Saturday for a
    /// weekend); `None` when it lies outside the calendar chrono knows.
    pub fn first_day(self) -> Option<NaiveDate> {
        match self {
            TimexDate::Day(d) => Some(d),
            TimexDate::Week(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Mon),
            TimexDate::Weekend(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Sat),
            TimexDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            TimexDate::Quarter(y, q) => NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1),
            TimexDate::Half(y, h) => NaiveDate::from_ymd_opt(y, (h - 1) * 6 + 1, 1),
            TimexDate::Season(y, s) => NaiveDate::from_ymd_opt(y, s.first_month(), 1),
            TimexDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            TimexDate::Decade(d) => NaiveDate::from_ymd_opt(d * 10, 1, 1),
            TimexDate::Century(c) => NaiveDate::from_ymd_opt(c * 100, 1, 1),
        }
    }

    /// The last day the point covers (Sunday for a week or weekend; the end
    /// of February for a winter).
    pub fn last_day(self) -> Option<NaiveDate> {
        // the day before the first day of the next month after the period
        let before = |y: i32, m: u32| -> Option<NaiveDate> {
            let (y, m) = if m > 12 { (y + 1, m - 12) } else { (y, m) };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
        };
        match self {
            TimexDate::Day(d) => Some(d),
            TimexDate::Week(y, w) | TimexDate::Weekend(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Sun)
            }
            TimexDate::Month(y, m) => before(y, m + 1),
            TimexDate::Quarter(y, q) => before(y, q * 3 + 1),
            TimexDate::Half(y, h) => before(y, h * 6 + 1),
            TimexDate::Season(y, s) => before(y, s.first_month() + 3),
            TimexDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            TimexDate::Decade(d) => NaiveDate::from_ymd_opt(d * 10 + 9, 12, 31),
            TimexDate::Century(c) => NaiveDate::from_ymd_opt(c * 100 + 99, 12, 31),
        }
    }

    /// The year the point lies in (the ISO year for weeks); `None` for
    /// decades and centuries.
    pub fn year(self) -> Option<i32> {
        match self {
            TimexDate::Week(y, _) | TimexDate::Weekend(y, _) => Some(y),
            TimexDate::Decade(_) | TimexDate::Century(_) => None,
            p => p.first_day().map(|d| d.year()),
        }
    }
}

/// Writes the TIMEX3 value (`2024-12-01`, `2024-W48-WE`, `2024-Q3`, `199`).
impl fmt::Display for TimexDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimexDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            TimexDate::Week(y, w) => write!(f, "{y:04}-W{w:02}"),
            TimexDate::Weekend(y, w) => write!(f, "{y:04}-W{w:02}-WE"),
            TimexDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            TimexDate::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            TimexDate::Half(y, h) => write!(f, "{y:04}-H{h}"),
            TimexDate::Season(y, s) => write!(f, "{y:04}-{}", s.code()),
            TimexDate::Year(y) => write!(f, "{y:04}"),
            TimexDate::Decade(d) => write!(f, "{d:03}"),
            TimexDate::Century(c) => write!(f, "{c:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn values_round_trip() {
        for v in [
            "2024-12-01",
            "2024-W48",
            "2024-W48-WE",
            "2024-12",
            "2024-Q3",
            "2024-H1",
            "2024-SU",
            "2023-WI",
            "2024",
            "199",
            "19",
            "0000-01-01",
            "9999",
        ] {
            assert_eq!(TimexDate::parse(v).unwrap().to_string(), v);
        }
    }

    #[test]
    fn time_suffixes_are_ignored() {
        for v in ["2024-12-01TEV", "2024-12-01T15:00", "2024-12-01T24:00Z"] {
            assert_eq!(TimexDate::parse(v), Some(TimexDate::Day(d("2024-12-01"))));
        }
    }

    #[test]
    fn non_calendar_values_give_none() {
        for v in [
            "PRESENT_REF",
            "PAST_REF",
            "P3D",
            "PXY",
            "XXXX-12",
            "XXXX-XX-XX",
            "XXXX-WXX-5",
            "2024-02-30",
            "2024-13",
            "2024-W54",
            "2024-Q5",
            "2024-H3",
            "2024-1",
            "2024-12-1",
            "+10000-01-01",
            "-0001",
            "",
        ] {
            assert_eq!(TimexDate::parse(v), None, "{v}");
        }
    }

    #[test]
    fn points_cover_their_days() {
        let cases = [
            ("2024-12-01", "2024-12-01", "2024-12-01"),
            ("2024-W48", "2024-11-25", "2024-12-01"),
            ("2024-W48-WE", "2024-11-30", "2024-12-01"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2024-12", "2024-12-01", "2024-12-31"),
            ("2024-Q4", "2024-10-01", "2024-12-31"),
            ("2024-H1", "2024-01-01", "2024-06-30"),
            ("2023-WI", "2023-12-01", "2024-02-29"),
            ("2024", "2024-01-01", "2024-12-31"),
            ("199", "1990-01-01", "1999-12-31"),
            ("19", "1900-01-01", "1999-12-31"),
        ];
        for (v, lo, hi) in cases {
            let p = TimexDate::parse(v).unwrap();
            assert_eq!(
                (p.first_day(), p.last_day()),
                (Some(d(lo)), Some(d(hi))),
                "{v}"
            );
        }
    }

    #[test]
    fn iso_weeks_belong_to_their_iso_year() {
        // 2024-12-30 is in ISO week 1 of 2025
        assert_eq!(TimexDate::parse("2025-W01").unwrap().year(), Some(2025));
        assert_eq!(
            TimexDate::parse("2025-W01").unwrap().first_day(),
            Some(d("2024-12-30"))
        );
        assert_eq!(TimexDate::parse("199").unwrap().year(), None);
    }
}
