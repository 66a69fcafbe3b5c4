//! The window rule: "which documents are resolved together?"
//!
//! Story clustering, event merging, reprint detection and framing run on one
//! **window** of documents at a time, never on the whole archive. A document's
//! window follows from its own date and the number of stored documents near
//! that date:
//!
//! - the calendar month of its date (`2024-12`), when the month holds at most
//!   [`WINDOW_MAX`] documents;
//! - else the month's third it falls in (`2024-12/1` for days 1-10, `/2` for
//!   11-20, `/3` for 21 to the end), when that third holds at most
//!   [`WINDOW_MAX`];
//! - else its day (`2024-12-05`);
//! - undated documents form one window (`undated`).
//!
//! So a window holds at most [`WINDOW_MAX`] documents unless one day holds
//! more, and the work of one ingest is the windows its documents fall in.
//! The rule is a function of the stored dates only, so an incremental ingest
//! and a from-scratch run cut the archive into the same windows. The cost in
//! quality: two documents in different windows never share a story, so a
//! story told across a month's (or, in dense months, a third's or a day's)
//! boundary is resolved in two parts.

use chrono::{Datelike, NaiveDate};

/// A window holds at most this many documents unless a single day holds more.
pub const WINDOW_MAX: usize = 1000;

/// The window of undated documents.
pub const UNDATED: &str = "undated";

/// The month key (`YYYY-MM`) of a date, or [`UNDATED`].
pub fn month(date: Option<NaiveDate>) -> String {
    match date {
        Some(d) => format!("{:04}-{:02}", d.year(), d.month()),
        None => UNDATED.to_string(),
    }
}

/// Which third of its month a date falls in: 1 (days 1-10), 2 (11-20) or 3.
pub fn third(date: NaiveDate) -> u32 {
    match date.day() {
        1..=10 => 1,
        11..=20 => 2,
        _ => 3,
    }
}

/// Document counts the window rule reads for one date.
#[derive(Debug, Clone, Copy, Default)]
pub struct Density {
    /// Documents dated in the date's month.
    pub month: usize,
    /// Documents dated in the date's third of the month.
    pub third: usize,
}

/// The window of a document dated `date`, given the stored counts around it.
pub fn window(date: Option<NaiveDate>, density: Density) -> String {
    let Some(d) = date else {
        return UNDATED.to_string();
    };
    let m = month(Some(d));
    if density.month <= WINDOW_MAX {
        m
    } else if density.third <= WINDOW_MAX {
        format!("{m}/{}", third(d))
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// The month a window belongs to (the window's first seven characters), or
/// [`UNDATED`].
pub fn month_of_window(w: &str) -> &str {
    if w == UNDATED {
        w
    } else {
        &w[..7.min(w.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        s.parse().ok()
    }

    #[test]
    fn sparse_months_are_one_window() {
        let w = window(
            d("2024-12-02"),
            Density {
                month: 10,
                third: 5,
            },
        );
        assert_eq!(w, "2024-12");
        assert_eq!(window(None, Density::default()), UNDATED);
    }

    #[test]
    fn dense_months_split_into_thirds_then_days() {
        let dense = Density {
            month: WINDOW_MAX + 1,
            third: 10,
        };
        assert_eq!(window(d("2024-12-02"), dense), "2024-12/1");
        assert_eq!(window(d("2024-12-20"), dense), "2024-12/2");
        assert_eq!(window(d("2024-12-31"), dense), "2024-12/3");
        let denser = Density {
            month: 5000,
            third: WINDOW_MAX + 1,
        };
        assert_eq!(window(d("2024-12-05"), denser), "2024-12-05");
        assert_eq!(month_of_window("2024-12-05"), "2024-12");
        assert_eq!(month_of_window("2024-12/2"), "2024-12");
    }
}
