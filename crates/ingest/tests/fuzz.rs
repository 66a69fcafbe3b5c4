//! Property-based fuzzing (proptest; no nightly toolchain needed) of the
//! readers users' bytes reach first: the header/dateline parser, the date
//! parser, the record readers (JSON Lines, JSON, CSV), whole-file decoding
//! and the unwrapper. Each property: no panic, and what comes out keeps the
//! ingest invariants (a readable document has a non-empty trimmed body and
//! its ids are set).
//!
//! CI runs a small fixed number of cases. For a long run set
//! `EVENTLINE_FUZZ_CASES` (cases per target), e.g.
//! `EVENTLINE_FUZZ_CASES=2000000 cargo test -p eventline-ingest --release --test fuzz`;
//! a crash is shrunk by proptest and must be committed as a named
//! regression test (see `tests/bad_inputs.rs`).

use ingest::{IngestOptions, header};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn cases() -> u32 {
    std::env::var("EVENTLINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> Config {
    Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text that looks like the start of an article: header and dateline
/// pieces, dates, punctuation and arbitrary characters mixed.
fn article_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" date ".to_string()),
        Just("date: ".to_string()),
        Just("Date ".to_string()),
        Just("2024-12-02".to_string()),
        Just("2018_05_11".to_string()),
        Just("9999-12-31".to_string()),
        Just("Mon, 02 Dec 2024".to_string()),
        Just("December 2, 2024".to_string()),
        Just("2 Dec 2024".to_string()),
        Just("T10:31:00Z".to_string()),
        Just(" 10:31 UTC".to_string()),
        Just("ANKARA, Dec 2 (Reuters) - ".to_string()),
        Just("(MENAFN- Khaama Press) ".to_string()),
        Just("DAMASCUS, Syria (AP) \u{2014} ".to_string()),
        Just("Tehran, IRNA -- ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(" - ".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\0".to_string()),
        Just("The council voted on Monday.".to_string()),
        "[A-Za-z0-9 ,.()\\-:]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
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
    fn header_and_dateline_parsers_never_panic(line in article_like()) {
        tick();
        let first = line.split('\n').next().unwrap_or("");
        if let Ok(Some(h)) = header::parse_header_checked(first) {
            prop_assert!(h.body_start.is_none_or(|b| first.is_char_boundary(b)));
            prop_assert!(ingest::dates::plausible(h.date).is_ok());
        }
        if let Some(b) = header::parse_dateline(&line).and_then(|d| d.body_start) {
            prop_assert!(line.is_char_boundary(b));
        }
    }

    #[test]
    fn date_parser_never_panics_and_stays_plausible(s in article_like()) {
        tick();
        if let Ok(d) = ingest::dates::parse_date(&s) {
            prop_assert!(ingest::dates::plausible(d).is_ok());
        }
    }

    #[test]
    fn txt_reader_never_panics(bytes in prop_oneof![
        article_like().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..400),
    ]) {
        tick();
        if let Ok(d) = ingest::parse_txt("fuzz.txt", &bytes) {
            prop_assert!(!d.text.is_empty());
            prop_assert_eq!(d.text.trim(), d.text.as_str());
            prop_assert!(!d.text.contains('\0'));
        }
    }

    #[test]
    fn record_readers_never_panic(body in article_like(), date in article_like(),
                                  raw in prop::collection::vec(any::<u8>(), 0..300)) {
        tick();
        let opts = IngestOptions::default();
        let rec = serde_json::json!({"id": "r", "text": body, "date": date}).to_string();
        let jsonl = format!("{rec}\n{}\n", String::from_utf8_lossy(&raw));
        for r in ingest::read_jsonl(jsonl.as_bytes(), "fuzz.jsonl", &opts).into_iter().flatten() {
            prop_assert!(!r.text.is_empty());
            prop_assert!(!r.text.contains('\0'));
        }
        let csv = format!("id,date,text\n1,{date},\"{body}\"\n{}", String::from_utf8_lossy(&raw));
        for r in ingest::read_csv(csv.as_bytes(), "fuzz.csv", &opts).into_iter().flatten() {
            prop_assert!(!r.text.is_empty());
            prop_assert!(!r.text.contains('\0'));
        }
        let mut raw_csv = b"id,text\n".to_vec();
        raw_csv.extend_from_slice(&raw);
        let _ = ingest::read_csv(&raw_csv[..], "fuzz.csv", &opts);
    }

    #[test]
    fn html_extraction_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("<html>".to_string()), Just("<head>".to_string()), Just("</head>".to_string()),
        Just("<body>".to_string()), Just("<article>".to_string()), Just("</article>".to_string()),
        Just("<p>".to_string()), Just("</p>".to_string()), Just("<script>".to_string()),
        Just("<meta property=\"article:published_time\" content=\"".to_string()),
        Just("<meta property=\"og:site_name\" content=\"Example\">".to_string()),
        Just("<script type=\"application/ld+json\">{\"datePublished\": \"".to_string()),
        Just("<time datetime=\"".to_string()), Just("<link rel=canonical href=".to_string()),
        Just("\"".to_string()), Just(">".to_string()), Just("<".to_string()), Just("&amp;".to_string()),
        Just("The council approved the budget on Monday after a long debate. ".to_string()),
        Just("2024-12-02".to_string()), Just("9999-12-31".to_string()),
        any::<String>(),
    ], 0..40)) {
        tick();
        let html = parts.concat();
        let opts = IngestOptions::default();
        let rec = serde_json::json!({"id": "h", "html": html}).to_string();
        for d in ingest::read_jsonl(rec.as_bytes(), "fuzz.jsonl", &opts).into_iter().flatten() {
            prop_assert!(!d.text.is_empty());
            prop_assert!(!d.text.contains('<') || html.matches('<').count() > 0);
        }
        if let Ok(p) = ingest::html::extract(&html) {
            prop_assert!(!p.text.contains("<p>"));
        }
    }

    #[test]
    fn unwrapping_keeps_every_word(text in prop::collection::vec(
        prop_oneof![Just("word ".to_string()), Just("al-".to_string()), Just("\n".to_string()),
                    Just(". ".to_string()), "[a-z]{1,9} "], 0..200).prop_map(|v| v.concat())) {
        tick();
        if let Some((out, _)) = ingest::text::unwrap_hard_wrapped(&text) {
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(squash(&out), squash(&text));
        }
    }
}
