//! Property-based fuzzing (proptest; no nightly toolchain needed) of the
//! readers users' bytes reach first: the header/dateline parser, the date
//! parser, the `.txt` reader (decoding included), the record readers (JSON
//! Lines, CSV), HTML extraction and the unwrapper. Each property: no panic, and what comes out keeps the
//! ingest invariants (a readable document has a non-empty trimmed body and
//! its ids are set).
//!
//! CI runs a small fixed number of cases per target (`EVENTLINE_FUZZ_CASES`
//! raises it). For a run of a given length, each target has an ignored
//! test `fuzz_<target>` that runs for `EVENTLINE_FUZZ_SECONDS` seconds from
//! fresh random seeds and prints its executions, e.g.
//!
//! ```text
//! EVENTLINE_FUZZ_SECONDS=600 cargo test -p eventline-ingest --test it -- --ignored --nocapture fuzz_records
//! ```
//!
//! A failure is shrunk by proptest to a small input, which must be
//! committed as a named regression test.

use ingest::{IngestOptions, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

use crate::budget;

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

/// Bytes a `.txt` reader may get: article-like text, or anything.
fn txt_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        article_like().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..400),
    ]
}

/// Pieces of JSON and CSV syntax mixed with article text, so that records
/// come out broken in the ways files are: quotes never closed, stray commas
/// and newlines, nested or truncated values, escapes, NULs, BOMs.
fn record_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\\".to_string()),
        Just("\\u0000".to_string()),
        Just("\\ud800".to_string()),
        Just("\u{feff}".to_string()),
        Just("null".to_string()),
        Just("1e999".to_string()),
        Just("-0".to_string()),
        Just("\"id\":".to_string()),
        Just("\"text\":".to_string()),
        Just("\"maintext\":".to_string()),
        Just("\"date\":".to_string()),
        Just("\"html\":".to_string()),
        Just("\"url\":".to_string()),
        Just("id,date,text".to_string()),
        Just("id,text,outlet,title,url".to_string()),
        Just("=HYPERLINK(".to_string()),
        article_like(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Inputs of the record readers: a well-formed record around fuzzed
/// fields, followed by fuzzed record syntax and raw bytes.
fn records() -> impl Strategy<Value = (String, String, String, Vec<u8>)> {
    (
        article_like(),
        article_like(),
        record_text(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
}

/// HTML pages from pieces of markup, metadata and text.
fn html_page() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<html>".to_string()),
            Just("<head>".to_string()),
            Just("</head>".to_string()),
            Just("<body>".to_string()),
            Just("<article>".to_string()),
            Just("</article>".to_string()),
            Just("<p>".to_string()),
            Just("</p>".to_string()),
            Just("<script>".to_string()),
            Just("<meta property=\"article:published_time\" content=\"".to_string()),
            Just("<meta property=\"og:site_name\" content=\"Example\">".to_string()),
            Just("<script type=\"application/ld+json\">{\"datePublished\": \"".to_string()),
            Just("<time datetime=\"".to_string()),
            Just("<link rel=canonical href=".to_string()),
            Just("\"".to_string()),
            Just(">".to_string()),
            Just("<".to_string()),
            Just("&amp;".to_string()),
            Just("The council approved the budget on Monday after a long debate. ".to_string()),
            Just("2024-12-02".to_string()),
            Just("9999-12-31".to_string()),
            any::<String>(),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Text with hard line breaks inside paragraphs.
fn wrapped_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("word ".to_string()),
            Just("al-".to_string()),
            Just("\n".to_string()),
            Just(". ".to_string()),
            "[a-z]{1,9} "
        ],
        0..200,
    )
    .prop_map(|v| v.concat())
}

/// The header/dateline parser: no panic; a header's body starts on a char
/// boundary and its date is plausible; a dateline's body too.
fn check_header(line: &str) -> Result<(), TestCaseError> {
    let first = line.split('\n').next().unwrap_or("");
    if let Ok(Some(h)) = header::parse_header_checked(first) {
        prop_assert!(h.body_start.is_none_or(|b| first.is_char_boundary(b)));
        prop_assert!(ingest::dates::plausible(h.date).is_ok());
    }
    if let Some(b) = header::parse_dateline(line).and_then(|d| d.body_start) {
        prop_assert!(line.is_char_boundary(b));
    }
    Ok(())
}

/// The date parser: no panic, and a date it reads is plausible.
fn check_date(s: &str) -> Result<(), TestCaseError> {
    if let Ok(d) = ingest::dates::parse_date(s) {
        prop_assert!(ingest::dates::plausible(d).is_ok());
    }
    Ok(())
}

/// What every document read must be: a non-empty trimmed text without NULs.
fn check_document(d: &model::Document) -> Result<(), TestCaseError> {
    prop_assert!(!d.text.is_empty());
    prop_assert_eq!(d.text.trim(), d.text.as_str());
    prop_assert!(!d.text.contains('\0'));
    prop_assert!(!d.id.is_empty());
    if let Some(date) = d.meta.date {
        prop_assert!(ingest::dates::plausible(date).is_ok());
    }
    Ok(())
}

/// The `.txt` reader: no panic; a document read keeps the invariants.
fn check_txt(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(d) = ingest::parse_txt("fuzz.txt", bytes) {
        check_document(&d)?;
    }
    Ok(())
}

/// The record readers (JSON Lines, CSV): no panic, every document read
/// keeps the invariants, every error names a line.
fn check_records(body: &str, date: &str, syntax: &str, raw: &[u8]) -> Result<(), TestCaseError> {
    let opts = IngestOptions::default();
    let rec = serde_json::json!({"id": "r", "text": body, "date": date}).to_string();
    let raw = String::from_utf8_lossy(raw);
    let inputs = [
        format!("{rec}\n{syntax}\n{raw}\n"),
        format!("{{\"text\": {syntax}\n{rec}\n"),
        syntax.to_string(),
    ];
    for jsonl in &inputs {
        for r in ingest::read_jsonl(jsonl.as_bytes(), "fuzz.jsonl", &opts) {
            match r {
                Ok(d) => check_document(&d)?,
                Err(e) => prop_assert!(e.line.is_some(), "{}", e),
            }
        }
    }
    let csvs = [
        format!("id,date,text\n1,{date},\"{body}\"\n{syntax}\n{raw}"),
        format!("id,date,text\n{syntax}"),
        format!("{syntax}\n{body}"),
        format!("id,text\n{raw}"),
    ];
    for csv in &csvs {
        for d in ingest::read_csv(csv.as_bytes(), "fuzz.csv", &opts)
            .into_iter()
            .flatten()
        {
            check_document(&d)?;
        }
    }
    Ok(())
}

/// HTML extraction, directly and through a record's `html` field: no
/// panic; a document read keeps the invariants and its text no markup of
/// the page's paragraphs.
fn check_html(html: &str) -> Result<(), TestCaseError> {
    let opts = IngestOptions::default();
    let rec = serde_json::json!({"id": "h", "html": html}).to_string();
    for d in ingest::read_jsonl(rec.as_bytes(), "fuzz.jsonl", &opts)
        .into_iter()
        .flatten()
    {
        check_document(&d)?;
    }
    if let Ok(p) = ingest::html::extract(html) {
        prop_assert!(!p.text.contains("<p>"));
    }
    Ok(())
}

/// Unwrapping removes line breaks only, never a word.
fn check_unwrap(text: &str) -> Result<(), TestCaseError> {
    if let Some((out, _)) = ingest::text::unwrap_hard_wrapped(text) {
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(squash(&out), squash(text));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn header_and_dateline_parsers_never_panic(line in article_like()) {
        check_header(&line)?;
    }

    #[test]
    fn date_parser_never_panics_and_stays_plausible(s in article_like()) {
        check_date(&s)?;
    }

    #[test]
    fn txt_reader_never_panics(bytes in txt_bytes()) {
        check_txt(&bytes)?;
    }

    #[test]
    fn record_readers_never_panic((body, date, syntax, raw) in records()) {
        check_records(&body, &date, &syntax, &raw)?;
    }

    #[test]
    fn html_extraction_never_panics(html in html_page()) {
        check_html(&html)?;
    }

    #[test]
    fn unwrapping_keeps_every_word(text in wrapped_text()) {
        check_unwrap(&text)?;
    }
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_header_dateline() {
    budget::fuzz_for("header_dateline", article_like(), |l| check_header(&l));
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_dates() {
    budget::fuzz_for("dates", article_like(), |s| check_date(&s));
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_txt_reader() {
    budget::fuzz_for("txt_reader", txt_bytes(), |b| check_txt(&b));
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_records() {
    budget::fuzz_for("records", records(), |(b, d, s, r)| {
        check_records(&b, &d, &s, &r)
    });
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_html() {
    budget::fuzz_for("html", html_page(), |h| check_html(&h));
}

#[test]
#[ignore = "a long fuzzing run: set EVENTLINE_FUZZ_SECONDS"]
fn fuzz_unwrap() {
    budget::fuzz_for("unwrap", wrapped_text(), |t| check_unwrap(&t));
}
