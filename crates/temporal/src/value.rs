//! "Where does this point move by so many units?": the calendar arithmetic
//! the rules need on TIMEX3 date values (`model::TimexDate`, which also
//! parses and writes them): shift by a unit, truncate to a granularity,
//! weekdays before and after a day, all checked so that no result leaves
//! the four-digit years.

use chrono::{Datelike, Duration, IsoWeek, Months, NaiveDate, Weekday};
pub(crate) use model::TimexDate;

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

/// The day the rules anchor a point on: its first day, except for weeks
/// and weekends, where it is the Thursday (the ISO rule for which month and
/// year a week belongs to).
pub(crate) fn anchor_day(p: TimexDate) -> Option<NaiveDate> {
    match p {
        TimexDate::Week(y, w) | TimexDate::Weekend(y, w) => {
            NaiveDate::from_isoywd_opt(y, w, Weekday::Thu)
        }
        p => p.first_day(),
    }
}

/// The point of granularity `unit` containing `d`.
pub(crate) fn truncate(d: NaiveDate, unit: Unit) -> TimexDate {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => TimexDate::Day(d),
        Unit::Week => week_of(d),
        Unit::Month => TimexDate::Month(d.year(), d.month()),
        Unit::Quarter => TimexDate::Quarter(d.year(), (d.month() - 1) / 3 + 1),
        Unit::Year => TimexDate::Year(d.year()),
        Unit::Decade => TimexDate::Decade(d.year().div_euclid(10)),
        Unit::Century => TimexDate::Century(d.year().div_euclid(100)),
    }
}

/// The ISO week of a day.
pub(crate) fn week_of(d: NaiveDate) -> TimexDate {
    let w: IsoWeek = d.iso_week();
    TimexDate::Week(w.year(), w.week())
}

/// Latest year a computed date may have: TIMEX3 values have four year digits.
const MAX_YEAR: i32 = 9999;

std::thread_local! {
    /// Set when calendar arithmetic gave up because its result left the
    /// four-digit years; read and cleared around each normalization
    /// ([`take_gave_up`]), so that the tagger can tell an expression it
    /// dropped for its size from one a rule rejected.
    static GAVE_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Gives up on an expression whose date leaves the four-digit years: `None`,
/// remembered for [`take_gave_up`].
pub(crate) fn give_up<T>() -> Option<T> {
    GAVE_UP.with(|g| g.set(true));
    None
}

/// Whether arithmetic gave up since the last call (and clears the flag).
pub(crate) fn take_gave_up() -> bool {
    GAVE_UP.with(|g| g.replace(false))
}

/// `d` when its year has four digits (0..=9999), else `None`: arithmetic that
/// leaves the range gives up on the expression instead of writing `+10000-01-01`.
pub(crate) fn in_range(d: NaiveDate) -> Option<NaiveDate> {
    if (0..=MAX_YEAR).contains(&d.year()) {
        Some(d)
    } else {
        give_up()
    }
}

/// Whether a TIMEX3 value can be written: a date or time value names a
/// year of at most four digits, without a sign (`2024-12-01`, `199`,
/// `XXXX-12`, `P3Y`, `PRESENT_REF`); `+10000-12-01`, `10000-01` or
/// `-001-12` cannot.
pub(crate) fn writable(v: &str) -> bool {
    if v.starts_with(['+', '-']) {
        return false;
    }
    v.bytes().take_while(u8::is_ascii_digit).count() <= 4
}

/// Adds `n` days to a day; `None` when the result leaves the four-digit years
/// (or `n` is too large for any calendar).
pub(crate) fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    match Duration::try_days(n).and_then(|n| d.checked_add_signed(n)) {
        Some(moved) => in_range(moved),
        None => give_up(),
    }
}

/// Adds `n` months to a day, clamping the day of month to the month's
/// length (chrono's month arithmetic); `None` when the result leaves the
/// four-digit years.
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let Some(months) = u32::try_from(n.unsigned_abs()).ok().map(Months::new) else {
        return give_up();
    };
    let moved = if n < 0 {
        d.checked_sub_months(months)
    } else {
        d.checked_add_months(months)
    };
    match moved {
        Some(moved) => in_range(moved),
        None => give_up(),
    }
}

/// Shifts a day by `n` units (calendar-aware for months and longer); `None`
/// when the result leaves the four-digit years.
pub(crate) fn shift_day(d: NaiveDate, n: i64, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Some(d),
        Unit::Day => add_days(d, n),
        Unit::Week => add_days(d, n.checked_mul(7).or_else(give_up)?),
        Unit::Month => add_months(d, n),
        Unit::Quarter => add_months(d, n.checked_mul(3).or_else(give_up)?),
        Unit::Year => add_months(d, n.checked_mul(12).or_else(give_up)?),
        Unit::Decade => add_months(d, n.checked_mul(120).or_else(give_up)?),
        Unit::Century => add_months(d, n.checked_mul(1200).or_else(give_up)?),
    }
}

/// Shifts a point by `n` units, keeping its own granularity when it is at
/// least as coarse as `unit` (e.g. 1989-Q3 minus a year is 1988-Q3).
pub(crate) fn shift_point(p: TimexDate, n: i64, unit: Unit) -> Option<TimexDate> {
    let d = anchor_day(p)?;
    let moved = shift_day(d, n, unit)?;
    Some(match p {
        TimexDate::Day(_) => TimexDate::Day(moved),
        TimexDate::Week(..) => week_of(moved),
        TimexDate::Weekend(..) => match week_of(moved) {
            TimexDate::Week(y, w) => TimexDate::Weekend(y, w),
            other => other,
        },
        TimexDate::Month(..) => TimexDate::Month(moved.year(), moved.month()),
        TimexDate::Quarter(..) => truncate(moved, Unit::Quarter),
        TimexDate::Half(_, h) => TimexDate::Half(moved.year(), h),
        TimexDate::Season(_, s) => TimexDate::Season(moved.year(), s),
        TimexDate::Year(_) => TimexDate::Year(moved.year()),
        TimexDate::Decade(_) => truncate(moved, Unit::Decade),
        TimexDate::Century(_) => truncate(moved, Unit::Century),
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
    fn writable_values_have_four_year_digits_at_most() {
        for (v, ok) in [
            ("2024-12-01", true),
            ("0000-12-01", true),
            ("199", true),
            ("19", true),
            ("XXXX-12", true),
            ("P300000Y", true),
            ("PRESENT_REF", true),
            ("2024-12-01T10:00", true),
            ("+10000-12-01", false),
            ("10000-01", false),
            ("10000", false),
            ("-001-12", false),
        ] {
            assert_eq!(writable(v), ok, "{v}");
        }
    }

    #[test]
    fn shifts_keep_granularity() {
        assert_eq!(
            shift_point(TimexDate::Quarter(1989, 3), -1, Unit::Year),
            Some(TimexDate::Quarter(1988, 3))
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
