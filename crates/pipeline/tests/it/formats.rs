//! Issue 12: input formats against their clean counterpart.
//!
//! One plain article written for this test (a `.txt` with a date header and
//! an outlet) is turned into the forms users have: an HTML page with
//! navigation and footer around it, a WARC archive of that page (plain and
//! gzip-compressed), an RSS feed item, the article hard-wrapped at 70
//! columns, and the article in Windows-1252. Each is read by `ingest` and
//! analysed by the one library pipeline; each must give the expected date,
//! outlet, title and URL, the clean article's text, and the same events
//! (type, trigger, date, status, participants, place) as the clean article,
//! both as event mentions and as timeline events.

use model::{Document, EventMention};
use pipeline::Analyzer;
use std::io::Write as _;
use std::path::Path;

/// The clean article's body: general news text, paragraphs separated by a
/// blank line, with a few characters outside ASCII (curly quotes, an
/// apostrophe, a euro sign, an accented name) for the encoding case.
const BODY: &str = "\
Dock workers in Rotterdam returned to work on Tuesday after their union reached a pay agreement with the port authority, ending a strike that had lasted nine days.

The union\u{2019}s chairman, Pieter de Vries, told reporters that members had accepted a raise of 6 percent over two years and a one-off bonus of \u{20ac}500 for every worker.

\u{201c}Nobody wanted this strike to go on for another week,\u{201d} de Vries said outside the union\u{2019}s offices near the harbour.

The port authority said about 40 container ships had waited off the coast during the strike and that it expected the backlog to clear by the end of next week.

Economy minister Sofia Jansen welcomed the deal and said the government would review safety rules at the port in January.

Police arrested three people on Monday after a scuffle near the main gate of the container terminal, a police spokesman said.

Ren\u{e9} Smit, who runs a caf\u{e9} for truck drivers near the terminal, said business had fallen by half while the ships waited at sea.";

const TITLE: &str = "Rotterdam dock strike ends after pay deal";
const OUTLET: &str = "Example Wire";
const URL: &str = "https://wire.example.org/2024/12/03/rotterdam-dock-strike";
const DATE: &str = "2024-12-03";

fn analyzer() -> &'static Analyzer {
    static A: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    A.get_or_init(|| Analyzer::load(None).expect("the bundled model loads"))
}

/// The clean counterpart: a `.txt` article with a date header and an outlet.
fn clean_txt() -> String {
    format!(" date {DATE} ({OUTLET})\n\n{BODY}\n")
}

/// The article as a page: boilerplate around it, metadata in the head.
fn html_page(with_date: bool) -> String {
    let paragraphs: String = BODY
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;")))
        .collect();
    let date = if with_date {
        format!("<meta property=\"article:published_time\" content=\"{DATE}T07:45:00+01:00\">")
    } else {
        String::new()
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <title>{TITLE} | {OUTLET}</title>\n\
         <meta property=\"og:title\" content=\"{TITLE}\">\n\
         <meta property=\"og:site_name\" content=\"{OUTLET}\">\n{date}\n\
         <link rel=\"canonical\" href=\"{URL}\">\n</head><body>\n\
         <header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> \
         <a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>\n\
         <main><article>\n<h1>{TITLE}</h1>\n{paragraphs}</article>\n\
         <aside><h2>Most read</h2><ul><li><a href=\"/a\">Weather warning for the coast</a></li>\
         <li><a href=\"/b\">Cup final tickets sold out</a></li></ul></aside></main>\n\
         <footer><p>Copyright 2024 {OUTLET}. All rights reserved.</p>\
         <p><a href=\"/privacy\">Privacy</a> <a href=\"/contact\">Contact</a></p></footer>\n\
         </body></html>\n"
    )
}

/// One WARC record (version 1.0) with the given headers and block.
fn warc_record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\n\
         WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len() ^ kind.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A crawl of the page: a request and its response (the page names no
/// date, so the date comes from `WARC-Date`; the URL from `WARC-Target-URI`).
fn warc() -> Vec<u8> {
    let when = format!("{DATE}T09:30:00Z");
    let request =
        "GET /2024/12/03/rotterdam-dock-strike HTTP/1.1\r\nHost: wire.example.org\r\n\r\n";
    let page = html_page(false);
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    let mut out = warc_record(
        "request",
        URL,
        &when,
        "application/http; msgtype=request",
        request.as_bytes(),
    );
    out.extend(warc_record(
        "response",
        URL,
        &when,
        "application/http; msgtype=response",
        response.as_bytes(),
    ));
    out
}

/// The same archive, gzip-compressed record by record (as crawlers write it).
fn warc_gz() -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = warc();
    let second = bytes
        .windows(9)
        .rposition(|w| w == b"WARC/1.0\r")
        .expect("two records");
    for part in [&bytes[..second], &bytes[second..]] {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(part).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

/// An RSS 2.0 feed whose one item carries the article as HTML content.
fn rss() -> String {
    let paragraphs: String = BODY.split("\n\n").map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n\
         <channel><title>{OUTLET}</title><link>https://wire.example.org/</link>\
         <description>News from the wire</description>\n\
         <item><title>{TITLE}</title><link>{URL}</link>\
         <pubDate>Tue, 03 Dec 2024 07:45:00 +0100</pubDate>\
         <description>Dock workers returned to work after nine days.</description>\
         <content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>\n\
         </channel></rss>\n"
    )
}

/// Each paragraph wrapped at `width` columns, at spaces.
fn hard_wrapped(width: usize) -> String {
    let wrapped: Vec<String> = BODY
        .split("\n\n")
        .map(|p| {
            let mut lines: Vec<String> = vec![String::new()];
            for word in p.split(' ') {
                let line = lines.last_mut().unwrap();
                if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                    lines.push(word.to_string());
                } else {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                }
            }
            lines.join("\n")
        })
        .collect();
    format!(" date {DATE} ({OUTLET})\n\n{}\n", wrapped.join("\n\n"))
}

/// The clean article in Windows-1252 (every character of it has a byte there).
fn windows_1252() -> Vec<u8> {
    clean_txt()
        .chars()
        .map(|c| match c {
            '\u{20ac}' => 0x80,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{e9}' => 0xe9,
            c if c.is_ascii() => c as u8,
            c => panic!("{c:?} has no Windows-1252 byte in this table"),
        })
        .collect()
}

/// Reads one file and analyses the one document it holds.
fn read_one(dir: &Path, name: &str, bytes: &[u8]) -> Document {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut docs: Vec<Document> = ingest::read_path(&path, &ingest::IngestOptions::default())
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    assert_eq!(docs.len(), 1, "{name}: one article expected");
    let mut d = docs.pop().unwrap();
    analyzer()
        .analyze(&mut d)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    d
}

/// An event mention by what it says, not where: type, trigger, date,
/// status, participants' and place's words.
fn mention_key(d: &Document, e: &EventMention) -> String {
    let words = |args: &[model::Argument]| {
        args.iter()
            .map(|a| d.span_text(a.span))
            .collect::<Vec<_>>()
            .join("+")
    };
    format!(
        "{:?} {:?} date={:?} {:?} actors=[{}] recipients=[{}] place={:?}",
        e.kind,
        d.span_text(e.trigger),
        e.date,
        e.status,
        words(&e.actors),
        words(&e.recipients),
        e.place.as_ref().map(|p| d.span_text(p.span))
    )
}

/// The timeline events of the document alone: type, date, headline and
/// actors' names, sorted (the timeline orders events of one day by their
/// ids, which hash the document id and the trigger's offset).
fn timeline_keys(d: &Document) -> Vec<String> {
    let mut docs = vec![d.clone()];
    let t = pipeline::build_timeline(&mut docs);
    let name = |id: &String| {
        t.entities
            .iter()
            .find(|e| &e.id == id)
            .map_or("?", |e| e.name.as_str())
    };
    let mut keys: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            format!(
                "{:?} {:?} {:?} actors={:?} recipients={:?}",
                e.kind,
                e.date,
                e.headline,
                e.actors.iter().map(name).collect::<Vec<_>>(),
                e.recipients.iter().map(name).collect::<Vec<_>>()
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Text with every run of whitespace as one space: paragraph breaks may be
/// one newline (extracted pages) or a blank line (the `.txt`).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_format_gives_the_metadata_and_events_of_its_clean_counterpart() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = read_one(tmp.path(), "clean.txt", clean_txt().as_bytes());
    assert_eq!(clean.text, BODY);
    let clean_mentions: Vec<String> = clean
        .layers
        .events
        .iter()
        .map(|e| mention_key(&clean, e))
        .collect();
    let clean_timeline = timeline_keys(&clean);
    // the article is worth comparing: several events, with participants and dates
    assert!(clean_mentions.len() >= 4, "{clean_mentions:#?}");
    assert!(
        clean_mentions
            .iter()
            .any(|m| m.contains("date=Some(\"2024-12-03\")")),
        "{clean_mentions:#?}"
    );
    assert!(
        clean_mentions.iter().any(|m| m.contains("Police")),
        "{clean_mentions:#?}"
    );
    assert!(!clean_timeline.is_empty());

    struct Case {
        file: &'static str,
        bytes: Vec<u8>,
        title: Option<&'static str>,
        url: Option<&'static str>,
        /// A word of ingest's note on what it did, if it must say something.
        note: Option<&'static str>,
    }
    let cases = [
        Case {
            file: "page.html",
            bytes: html_page(true).into_bytes(),
            title: Some(TITLE),
            url: Some(URL),
            note: None,
        },
        Case {
            file: "crawl.warc",
            bytes: warc(),
            title: Some(TITLE),
            url: Some(URL),
            note: None,
        },
        Case {
            file: "crawl.warc.gz",
            bytes: warc_gz(),
            title: Some(TITLE),
            url: Some(URL),
            note: None,
        },
        Case {
            file: "feed.rss",
            bytes: rss().into_bytes(),
            title: Some(TITLE),
            url: Some(URL),
            note: None,
        },
        Case {
            file: "wrapped.txt",
            bytes: hard_wrapped(70).into_bytes(),
            title: None,
            url: None,
            note: Some("hard-wrapped"),
        },
        Case {
            file: "cp1252.txt",
            bytes: windows_1252(),
            title: None,
            url: None,
            note: Some("windows-1252"),
        },
    ];
    for c in cases {
        let d = read_one(tmp.path(), c.file, &c.bytes);
        let f = c.file;
        assert_eq!(
            d.meta.date.map(|x| x.to_string()).as_deref(),
            Some(DATE),
            "{f}"
        );
        assert_eq!(d.meta.outlet.as_deref(), Some(OUTLET), "{f}");
        assert_eq!(d.meta.title.as_deref(), c.title, "{f}");
        assert_eq!(d.meta.url.as_deref(), c.url, "{f}");
        assert_eq!(squash(&d.text), squash(BODY), "{f}: text");
        d.check_spans().unwrap();
        let notes: Vec<&str> = d
            .layers
            .diagnostics
            .iter()
            .filter(|n| n.stage == ingest::INGEST_STAGE)
            .map(|n| n.message.as_str())
            .collect();
        match c.note {
            Some(word) => assert!(notes.iter().any(|n| n.contains(word)), "{f}: {notes:?}"),
            None => assert!(notes.is_empty(), "{f}: {notes:?}"),
        }
        let mentions: Vec<String> = d.layers.events.iter().map(|e| mention_key(&d, e)).collect();
        assert_eq!(mentions, clean_mentions, "{f}: event mentions");
        assert_eq!(timeline_keys(&d), clean_timeline, "{f}: timeline events");
    }
}
