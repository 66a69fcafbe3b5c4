//! Property-based fuzzing (proptest) of the temporal normalizer: any
//! sentence with numbers, units and relative words, against any article
//! date, is tagged without panicking or hanging, with offsets on char
//! boundaries and values inside the four-digit years.
//!
//! CI runs a small fixed number of cases; `EVENTLINE_FUZZ_CASES` raises it.
//! For a run of a given length, the ignored test `fuzz_normalizer` runs for
//! `EVENTLINE_FUZZ_SECONDS` seconds from fresh random seeds and prints its
//! executions:
//!
//! ```text
//! EVENTLINE_FUZZ_SECONDS=600 cargo test -p eventline-temporal --test it -- --ignored --nocapture fuzz_normalizer
//! ```

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use temporal::TimexTagger;

use crate::budget;

fn config() -> Config {
    Config {
        cases: std::env::var("EVENTLINE_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(128),
        failure_persistence: None,
        ..Config::default()
    }
}

fn sentence() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("300,000".to_string()),
        Just("100,000,000".to_string()),
        Just("1,000,000,000,000".to_string()),
        Just("9223372036854775807".to_string()),
        Just("1e308".to_string()),
        Just("0".to_string()),
        "[0-9]{1,20}",
        "[0-9]{1,3}(,[0-9]{3}){0,6}",
        prop::sample::select(vec![
            "days",
            "weeks",
            "months",
            "years",
            "decades",
            "centuries",
            "quarters",
            "hours",
            "day",
            "year",
            "ago",
            "earlier",
            "later",
            "from now",
            "before",
            "after",
            "last",
            "next",
            "this",
            "the",
            "previous",
            "following",
            "tomorrow",
            "yesterday",
            "today",
            "Monday",
            "Friday",
            "December",
            "Dec",
            "2",
            "2024",
            "weekend",
            "spring",
            "Q3",
            "in",
            "on",
            "of",
            "a",
            "fiscal",
            "first",
            "half",
            "tonight",
            "morning",
            ".",
            ",",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ];
    prop::collection::vec(word, 0..16).prop_map(|w| w.join(" "))
}

fn dct() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        Just(None),
        Just(NaiveDate::from_ymd_opt(9999, 12, 31)),
        Just(NaiveDate::from_ymd_opt(0, 1, 1)),
        Just(NaiveDate::from_ymd_opt(2024, 12, 2)),
        (-5000i32..15000, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
    ]
}

/// The normalizer: no panic; spans on char boundaries and not empty; no
/// value leaves the four-digit years (whatever the article date); every
/// dropped expression is a span of the text no value was given for.
fn check_normalizer(text: &str, dct: Option<NaiveDate>) -> Result<(), TestCaseError> {
    let tagged = tagger().tag_noted(text, &[], &[], dct);
    for t in &tagged.timexes {
        let (a, b) = (t.span.start as usize, t.span.end as usize);
        prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b) && a < b);
        // four year digits at most, without a sign, whatever the article date
        let year_digits = t.value.bytes().take_while(u8::is_ascii_digit).count();
        prop_assert!(
            !t.value.starts_with(['+', '-']) && year_digits <= 4,
            "{} -> {}",
            text,
            t.value
        );
    }
    for d in &tagged.dropped {
        let (a, b) = (d.span.start as usize, d.span.end as usize);
        prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b) && a < b);
        prop_assert!(!tagged.timexes.iter().any(|t| t.span == d.span));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalizer_never_panics(text in sentence(), dct in dct()) {
        check_normalizer(&text, dct)?;
    }
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_normalizer() {
    budget::fuzz_for("normalizer", (sentence(), dct()), |(text, dct)| {
        check_normalizer(&text, dct)
    });
}

fn tagger() -> &'static TimexTagger {
    static T: std::sync::OnceLock<TimexTagger> = std::sync::OnceLock::new();
    T.get_or_init(TimexTagger::new)
}

/// Found by `normalizer_never_panics` (proptest, during the long run for issue 12):
/// a word before a period that starts after a multi-byte character which
/// is neither a letter nor a period sliced the text inside that character.
#[test]
fn period_after_a_multibyte_symbol_does_not_slice_inside_it() {
    let t = tagger();
    t.tag("🛜. 300,000", &[], &[], None);
    t.tag(
        "🛥. The talks ended 300,000 years ago.",
        &[],
        &[],
        NaiveDate::from_ymd_opt(2024, 12, 2),
    );
}

/// Found by `fuzz_normalizer` (issue 12's long run): a weekday with a day
/// and month picks the year that fits, which after an article of
/// 9999-12-02 was 10000, written `+10000-12-01`; a month mentioned late in
/// year 9999 was `10000-01`. Such expressions are now dropped, and said so.
#[test]
fn a_weekday_and_day_late_in_year_9999_is_dropped_not_written_as_year_10000() {
    let dct = NaiveDate::from_ymd_opt(9999, 12, 2);
    for text in [
        "Friday December 1,000,000,000,000",
        "The talks resume on Friday December 1.",
        "The talks resume in January.",
    ] {
        let t = tagger().tag_noted(text, &[], &[], dct);
        assert!(
            t.timexes
                .iter()
                .all(|x| !x.value.starts_with('+') && !x.value.starts_with("10000")),
            "{text}: {t:?}"
        );
        assert_eq!(t.dropped.len(), 1, "{text}: {t:?}");
        check_normalizer(text, dct).unwrap();
    }
}
