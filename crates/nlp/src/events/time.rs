//! Calendar readings of TIMEX3 values: which days a value can denote.

use chrono::{Datelike, Duration, NaiveDate};
use model::{DatePrecision, TimexDate};

/// A calendar interval a time value denotes, inclusive at both ends, with the
/// ISO date string and precision it is written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeValue {
    /// First day.
    pub lo: NaiveDate,
    /// Last day.
    pub hi: NaiveDate,
    /// ISO form (`2024-12-01`, `2024-12`, `2024`); `None` for weeks and seasons.
    pub iso: Option<String>,
    /// Precision of `iso` (`Unknown` for weeks).
    pub precision: DatePrecision,
}

impl TimeValue {
    /// One day.
    pub fn day(d: NaiveDate) -> Self {
        Self {
            lo: d,
            hi: d,
            iso: Some(d.format("%Y-%m-%d").to_string()),
            precision: DatePrecision::Day,
        }
    }

    /// The days from `before` days before `d` to `after` days after it: a soft
    /// window around an article date (no ISO form, precision `Unknown`).
    pub fn around(d: NaiveDate, before: i64, after: i64) -> Self {
        Self {
            lo: d - Duration::days(before),
            hi: d + Duration::days(after),
            iso: None,
            precision: DatePrecision::Unknown,
        }
    }

    /// Reads a TIMEX3 value that names calendar time: `2024-12-01`, `2024-12-01TEV`,
    /// `2024-12-01T15:00`, `2024-W48`, `2024-12`, `2024` (through
    /// [`TimexDate::parse`], the one TIMEX3 value parser). Returns `None` for
    /// durations, sets, `PAST_REF`-style references and underspecified
    /// values, and for the coarser or other periods (quarters, halves,
    /// seasons, weekends, decades, centuries), which date no event.
    pub fn parse(value: &str) -> Option<Self> {
        let p = TimexDate::parse(value.trim())?;
        let (iso, precision) = match p {
            TimexDate::Day(d) => return Some(Self::day(d)),
            TimexDate::Week(..) => (None, DatePrecision::Unknown),
            TimexDate::Month(..) => (Some(p.to_string()), DatePrecision::Month),
            TimexDate::Year(_) => (Some(p.to_string()), DatePrecision::Year),
            _ => return None,
        };
        Some(Self {
            lo: p.first_day()?,
            hi: p.last_day()?,
            iso,
            precision,
        })
    }

    /// Reads an ISO date as written in an event (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`).
    pub fn from_iso(iso: &str) -> Option<Self> {
        Self::parse(iso).filter(|t| t.iso.is_some())
    }

    /// True when the two intervals share a day.
    pub fn overlaps(&self, other: &TimeValue) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// The shared days, if any, keeping the finer precision's label.
    pub fn intersect(&self, other: &TimeValue) -> Option<TimeValue> {
        if !self.overlaps(other) {
            return None;
        }
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        if lo == hi {
            return Some(Self::day(lo));
        }
        let finer = if self.hi - self.lo <= other.hi - other.lo {
            self
        } else {
            other
        };
        Some(Self {
            lo,
            hi,
            iso: finer.iso.clone(),
            precision: finer.precision,
        })
    }

    /// True for a single day.
    pub fn is_day(&self) -> bool {
        self.lo == self.hi
    }

    /// Year of the first day (for display).
    pub fn year(&self) -> i32 {
        self.lo.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timex_values_read_as_intervals() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cases = [
            (
                "2024-12-01",
                Some(("2024-12-01", "2024-12-01", DatePrecision::Day)),
            ),
            (
                "2024-12-01TEV",
                Some(("2024-12-01", "2024-12-01", DatePrecision::Day)),
            ),
            (
                "2024-12-01T15:00",
                Some(("2024-12-01", "2024-12-01", DatePrecision::Day)),
            ),
            (
                "2024-W48",
                Some(("2024-11-25", "2024-12-01", DatePrecision::Unknown)),
            ),
            (
                "2024-12",
                Some(("2024-12-01", "2024-12-31", DatePrecision::Month)),
            ),
            (
                "2024",
                Some(("2024-01-01", "2024-12-31", DatePrecision::Year)),
            ),
            ("PAST_REF", None),
            ("P3D", None),
            ("XXXX-XX-XX", None),
        ];
        for (value, want) in cases {
            let got = TimeValue::parse(value).map(|t| (t.lo, t.hi, t.precision));
            let want = want.map(|(lo, hi, p)| (d(lo), d(hi), p));
            assert_eq!(got, want, "{value}");
        }
    }

    #[test]
    fn day_inside_month_intersects_to_the_day() {
        let m = TimeValue::parse("2024-12").unwrap();
        let d = TimeValue::parse("2024-12-01").unwrap();
        assert_eq!(m.intersect(&d).unwrap().iso.as_deref(), Some("2024-12-01"));
        let other = TimeValue::parse("2024-11-29").unwrap();
        assert!(d.intersect(&other).is_none());
    }
}
