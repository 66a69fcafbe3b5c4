//! Property-based fuzzing (proptest) of the temporal normalizer: any
//! sentence with numbers, units and relative words, against any article
//! date, is tagged without panicking or hanging, with offsets on char
//! boundaries and values inside the four-digit years.
//!
//! CI runs a small fixed number of cases; `EVENTLINE_FUZZ_CASES` raises it
//! for a long run (`cargo test -p eventline-temporal --release --test fuzz`).

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::Config;
use temporal::TimexTagger;

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

/// Counts executions and, in long runs, reports them every 20,000 cases on
/// stderr (`--nocapture`), so a run stopped by a time limit still says how far it got.
fn tick() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    let n = N.fetch_add(1, Ordering::Relaxed) + 1;
    if n.checked_rem(20_000) == Some(0) {
        eprintln!("fuzz: {n} cases in {:.0} s", start.elapsed().as_secs_f64());
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalizer_never_panics(text in sentence(), dct in dct()) {
        tick();
        let tagger = tagger();
        for t in tagger.tag(&text, &[], &[], dct) {
            let (a, b) = (t.span.start as usize, t.span.end as usize);
            prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b) && a < b);
            if dct.is_some_and(|d| (0..=9999).contains(&chrono::Datelike::year(&d))) {
                prop_assert!(!t.value.starts_with('+'), "{} -> {}", text, t.value);
            }
        }
    }
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
