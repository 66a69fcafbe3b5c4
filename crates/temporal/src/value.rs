//! "What calendar point does this value name?": TIMEX3 date values as a
//! small enum, with the calendar arithmetic the rules need (shift by a unit,
//! truncate to a granularity) and the parser that reads values back (for
//! anchoring on the last mentioned date and for [`crate::day_precision`]).

use chrono::{Datelike, Duration, IsoWeek, NaiveDate, Weekday};

/// A season, as TIMEX3 writes it (`SP`, `SU`, `FA`, `WI`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    fn from_code(s: &str) -> Option<Self> {
        Some(match s {
            "SP" => Season::Spring,
            "SU" => Season::Summer,
            "FA" => Season::Fall,
            "WI" => Season::Winter,
            _ => return None,
        })
    }

    /// The season a month falls in (meteorological, northern hemisphere).
    pub(crate) fn of_month(m: u32) -> Self {
        match m {
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            9..=11 => Season::Fall,
            _ => Season::Winter,
        }
    }
}

/// A unit of calendar time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// Duration letter(s) and multiplier: `P{n*mult}{code}`; time units go after `T`.
    pub(crate) fn duration_code(self) -> (&'static str, u32, bool) {
        match self {
            Unit::Second => ("S", 1, true),
            Unit::Minute => ("M", 1, true),
            Unit::Hour => ("H", 1, true),
            Unit::Day => ("D", 1, false),
            Unit::Week => ("W", 1, false),
            Unit::Month => ("M", 1, false),
            Unit::Quarter => ("Q", 1, false),
            Unit::Year => ("Y", 1, false),
            Unit::Decade => ("Y", 10, false),
            Unit::Century => ("Y", 100, false),
        }
    }
}

/// A calendar point at some granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    /// A day.
    Day(NaiveDate),
    /// An ISO week (year, week).
    Week(i32, u32),
    /// The weekend of an ISO week.
    Weekend(i32, u32),
    /// A month (year, 1..=12).
    Month(i32, u32),
    /// A quarter (year, 1..=4).
    Quarter(i32, u32),
    /// A half year (year, 1..=2).
    Half(i32, u32),
    /// A season of a year.
    Season(i32, Season),
    /// A year.
    Year(i32),
    /// A decade, by its first three digits (199 = the 1990s).
    Decade(i32),
    /// A century, by its first two digits (19 = the 1900s).
    Century(i32),
}

impl Point {
    /// The TIMEX3 value.
    pub(crate) fn value(self) -> String {
        match self {
            Point::Day(d) => d.format("%Y-%m-%d").to_string(),
            Point::Week(y, w) => format!("{y:04}-W{w:02}"),
            Point::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Point::Month(y, m) => format!("{y:04}-{m:02}"),
            Point::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Point::Half(y, h) => format!("{y:04}-H{h}"),
            Point::Season(y, s) => format!("{y:04}-{}", s.code()),
            Point::Year(y) => format!("{y:04}"),
            Point::Decade(d) => format!("{d:03}"),
            Point::Century(c) => format!("{c:02}"),
        }
    }

    /// Reads a TIMEX3 date value (a time suffix `T...` is ignored).
    pub(crate) fn parse(v: &str) -> Option<Point> {
        let v = v.split('T').next()?;
        let b = v.as_bytes();
        if !b.iter().take(2).all(u8::is_ascii_digit) {
            return None;
        }
        match v.len() {
            2 => return v.parse().ok().map(Point::Century),
            3 => return v.parse().ok().map(Point::Decade),
            _ => {}
        }
        let y: i32 = v.get(..4)?.parse().ok()?;
        let rest = &v[4..];
        if rest.is_empty() {
            return Some(Point::Year(y));
        }
        let rest = rest.strip_prefix('-')?;
        if let Some(w) = rest.strip_prefix('W') {
            let (w, we) = match w.strip_suffix("-WE") {
                Some(w) => (w, true),
                None => (w, false),
            };
            let w: u32 = w.parse().ok()?;
            return Some(if we {
                Point::Weekend(y, w)
            } else {
                Point::Week(y, w)
            });
        }
        if let Some(q) = rest.strip_prefix('Q') {
            return q.parse().ok().map(|q| Point::Quarter(y, q));
        }
        if let Some(h) = rest.strip_prefix('H') {
            return h.parse().ok().map(|h| Point::Half(y, h));
        }
        if let Some(s) = Season::from_code(rest) {
            return Some(Point::Season(y, s));
        }
        let mut parts = rest.split('-');
        let m: u32 = parts.next()?.parse().ok()?;
        match parts.next() {
            None => (1..=12).contains(&m).then_some(Point::Month(y, m)),
            Some(d) => NaiveDate::from_ymd_opt(y, m, d.parse().ok()?).map(Point::Day),
        }
    }

    /// A representative day (the first day of the period; Thursday for weeks).
    pub(crate) fn first_day(self) -> Option<NaiveDate> {
        match self {
            Point::Day(d) => Some(d),
            Point::Week(y, w) | Point::Weekend(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Thu)
            }
            Point::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            Point::Quarter(y, q) => NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1),
            Point::Half(y, h) => NaiveDate::from_ymd_opt(y, (h - 1) * 6 + 1, 1),
            Point::Season(y, s) => NaiveDate::from_ymd_opt(
                y,
                match s {
                    Season::Spring => 3,
                    Season::Summer => 6,
                    Season::Fall => 9,
                    Season::Winter => 12,
                },
                1,
            ),
            Point::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            Point::Decade(d) => NaiveDate::from_ymd_opt(d * 10, 1, 1),
            Point::Century(c) => NaiveDate::from_ymd_opt(c * 100, 1, 1),
        }
    }

    /// The year the point lies in.
    pub(crate) fn year(self) -> Option<i32> {
        match self {
            Point::Week(y, _) | Point::Weekend(y, _) => Some(y),
            Point::Decade(_) | Point::Century(_) => None,
            p => p.first_day().map(|d| d.year()),
        }
    }
}

/// The point of granularity `unit` containing `d`.
pub(crate) fn truncate(d: NaiveDate, unit: Unit) -> Point {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => Point::Day(d),
        Unit::Week => week_of(d),
        Unit::Month => Point::Month(d.year(), d.month()),
        Unit::Quarter => Point::Quarter(d.year(), (d.month() - 1) / 3 + 1),
        Unit::Year => Point::Year(d.year()),
        Unit::Decade => Point::Decade(d.year().div_euclid(10)),
        Unit::Century => Point::Century(d.year().div_euclid(100)),
    }
}

/// The ISO week of a day.
pub(crate) fn week_of(d: NaiveDate) -> Point {
    let w: IsoWeek = d.iso_week();
    Point::Week(w.year(), w.week())
}

/// Latest year a computed date may have: TIMEX3 values have four year digits.
const MAX_YEAR: i32 = 9999;

/// `d` when its year has four digits (0..=9999), else `None`: arithmetic that
/// leaves the range gives up on the expression instead of writing `+10000-01-01`.
pub(crate) fn in_range(d: NaiveDate) -> Option<NaiveDate> {
    (0..=MAX_YEAR).contains(&d.year()).then_some(d)
}

/// Adds `n` days to a day; `None` when the result leaves the four-digit years
/// (or `n` is too large for any calendar).
pub(crate) fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    in_range(d.checked_add_signed(Duration::try_days(n)?)?)
}

/// Adds `n` months to a day, clamping the day of month; `None` when the
/// result leaves the four-digit years.
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let total = (i64::from(d.year()) * 12 + i64::from(d.month0())).checked_add(n)?;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    if !(0..=MAX_YEAR).contains(&y) {
        return None;
    }
    let m = u32::try_from(total.rem_euclid(12)).ok()? + 1;
    // the day of month clamps to the month's length: at most 31 tries
    (1..=d.day())
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(y, m, day))
}

/// Shifts a day by `n` units (calendar-aware for months and longer); `None`
/// when the result leaves the four-digit years.
pub(crate) fn shift_day(d: NaiveDate, n: i64, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Some(d),
        Unit::Day => add_days(d, n),
        Unit::Week => add_days(d, n.checked_mul(7)?),
        Unit::Month => add_months(d, n),
        Unit::Quarter => add_months(d, n.checked_mul(3)?),
        Unit::Year => add_months(d, n.checked_mul(12)?),
        Unit::Decade => add_months(d, n.checked_mul(120)?),
        Unit::Century => add_months(d, n.checked_mul(1200)?),
    }
}

/// Shifts a point by `n` units, keeping its own granularity when it is at
/// least as coarse as `unit` (e.g. 1989-Q3 minus a year is 1988-Q3).
pub(crate) fn shift_point(p: Point, n: i64, unit: Unit) -> Option<Point> {
    let d = p.first_day()?;
    let moved = shift_day(d, n, unit)?;
    Some(match p {
        Point::Day(_) => Point::Day(moved),
        Point::Week(..) => week_of(moved),
        Point::Weekend(..) => match week_of(moved) {
            Point::Week(y, w) => Point::Weekend(y, w),
            other => other,
        },
        Point::Month(..) => Point::Month(moved.year(), moved.month()),
        Point::Quarter(..) => truncate(moved, Unit::Quarter),
        Point::Half(_, h) => Point::Half(moved.year(), h),
        Point::Season(_, s) => Point::Season(moved.year(), s),
        Point::Year(_) => Point::Year(moved.year()),
        Point::Decade(_) => truncate(moved, Unit::Decade),
        Point::Century(_) => truncate(moved, Unit::Century),
    })
}

/// The underspecified value for a granularity when there is no article date.
pub(crate) fn underspecified(unit: Unit) -> &'static str {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => "XXXX-XX-XX",
        Unit::Week => "XXXX-WXX",
        Unit::Month => "XXXX-XX",
        Unit::Quarter => "XXXX-QX",
        Unit::Year => "XXXX",
        Unit::Decade => "XXX",
        Unit::Century => "XX",
    }
}

/// The latest `wd` on or before `d` (`strict`: before).
pub(crate) fn weekday_on_or_before(d: NaiveDate, wd: Weekday, strict: bool) -> Option<NaiveDate> {
    let mut back = (7 + d.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    if strict && back == 0 {
        back = 7;
    }
    add_days(d, -i64::from(back))
}

/// The earliest `wd` on or after `d` (`strict`: after).
pub(crate) fn weekday_on_or_after(d: NaiveDate, wd: Weekday, strict: bool) -> Option<NaiveDate> {
    let mut fwd = (7 + wd.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    if strict && fwd == 0 {
        fwd = 7;
    }
    add_days(d, i64::from(fwd))
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
            "2024",
            "199",
            "19",
        ] {
            assert_eq!(Point::parse(v).unwrap().value(), v);
        }
        assert_eq!(
            Point::parse("2024-12-01TEV"),
            Some(Point::Day(d("2024-12-01")))
        );
        assert_eq!(Point::parse("PRESENT_REF"), None);
        assert_eq!(Point::parse("XXXX-12"), None);
    }

    #[test]
    fn shifts_keep_granularity() {
        assert_eq!(
            shift_point(Point::Quarter(1989, 3), -1, Unit::Year),
            Some(Point::Quarter(1988, 3))
        );
        assert_eq!(add_months(d("2024-03-31"), -1), Some(d("2024-02-29")));
        assert_eq!(
            weekday_on_or_before(d("2024-12-02"), Weekday::Sun, false),
            Some(d("2024-12-01"))
        );
        assert_eq!(
            weekday_on_or_after(d("2024-12-01"), Weekday::Sun, true),
            Some(d("2024-12-08"))
        );
    }

    /// "300,000 years ago" looped forever in `add_months` (year out of
    /// chrono's range, so no day of the month was ever valid), and
    /// "100,000,000 days ago" panicked in chrono: both now give up.
    #[test]
    fn huge_shifts_give_up_instead_of_looping_or_panicking() {
        let dct = d("2024-12-02");
        assert_eq!(add_months(dct, -300_000 * 12), None);
        assert_eq!(shift_day(dct, -300_000, Unit::Year), None);
        assert_eq!(shift_day(dct, -100_000_000, Unit::Day), None);
        assert_eq!(shift_day(dct, -20_000_000, Unit::Week), None);
        assert_eq!(shift_day(dct, -1_000_000_000_000, Unit::Day), None);
        assert_eq!(shift_day(dct, i64::MIN, Unit::Century), None);
        assert_eq!(shift_day(dct, i64::MAX, Unit::Week), None);
        assert_eq!(add_days(d("9999-12-31"), 1), None);
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2023-01-31"), 1), Some(d("2023-02-28")));
    }
}
