//! Many articles in one file: "which articles does this web archive or
//! feed hold?"
//!
//! - WARC (`.warc`, `.warc.gz`, read with the `warc` crate): each `response`
//!   record whose HTTP payload is HTML is one article; its main text and
//!   metadata come from [`crate::html`], its URL from `WARC-Target-URI` and
//!   its date, when the page names none, from `WARC-Date`.
//! - RSS/Atom feeds (`.rss`, `.atom`, `.xml`, read with `feed-rs`): each item
//!   is one article: link, title, date (published, else updated), content
//!   (else summary; HTML content is reduced to its text); the feed's title is
//!   the outlet.
//!
//! Each item's id is the file's id plus `#` and the item's position (from 1).

use crate::{ErrorKind, IngestError, IngestOptions, finish_document, html};
use model::{DocMeta, Document};

fn item_id(id: &Option<String>, label: &str, k: usize) -> Option<String> {
    Some(format!("{}#{k}", id.as_deref().unwrap_or(label)))
}

/// Reads a WARC archive (gzip-compressed when `gz`).
pub(crate) fn read_warc(
    label: &str,
    id: Option<String>,
    bytes: &[u8],
    gz: bool,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let err = |k: usize, kind| IngestError {
        origin: label.to_owned(),
        line: None,
        record: Some(k),
        kind,
    };
    let reader: Box<dyn std::io::BufRead> = if gz {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            bytes,
        )))
    } else {
        Box::new(bytes)
    };
    let mut out = Vec::new();
    let mut k = 0;
    for rec in warc::WarcReader::new(reader).iter_records() {
        k += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(err(
                    k,
                    ErrorKind::BadFormat {
                        format: "WARC",
                        reason: e.to_string(),
                    },
                )));
                break; // the stream cannot be resynchronised
            }
        };
        if *rec.warc_type() != warc::RecordType::Response {
            continue;
        }
        let body = rec.body();
        let Some(split) = body.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&body[..split]).to_ascii_lowercase();
        if !head
            .lines()
            .any(|l| l.starts_with("content-type:") && l.contains("html"))
        {
            continue;
        }
        let payload = &body[split + 4..];
        let record_date = rec
            .header(warc::WarcHeader::Date)
            .and_then(|v| crate::dates::parse_date(&v).ok());
        let result = crate::text::decode_noted(payload).and_then(|(text, notes)| {
            html::document_from_html(
                label,
                item_id(&id, label, k),
                &text,
                opts,
                notes,
                record_date,
            )
        });
        out.push(
            result
                .map(|mut d| {
                    if let Some(u) = rec.header(warc::WarcHeader::TargetURI) {
                        d.meta.url = Some(u.trim().to_owned());
                    }
                    d
                })
                .map_err(|kind| err(k, kind)),
        );
    }
    out
}

/// Reads an RSS or Atom feed.
pub(crate) fn read_feed(
    label: &str,
    id: Option<String>,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return vec![Err(IngestError::file(
                label,
                ErrorKind::BadFormat {
                    format: "feed",
                    reason: e.to_string(),
                },
            ))];
        }
    };
    let outlet = feed.title.as_ref().map(|t| t.content.trim().to_owned());
    feed.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let k = i + 1;
            let raw = e
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            // content is often HTML: keep its text only
            let text = if raw.contains('<') {
                html::extract(&format!(
                    "<html><body><article>{raw}</article></body></html>"
                ))
                .map(|p| p.text)
                .unwrap_or_else(|_| strip_tags(&raw))
            } else {
                raw
            };
            let meta = DocMeta {
                date: e.published.or(e.updated).map(|d| d.date_naive()),
                outlet: outlet.clone().filter(|o| !o.is_empty()),
                path: Some(label.to_owned()),
                title: e.title.as_ref().map(|t| t.content.trim().to_owned()),
                url: e.links.first().map(|l| l.href.clone()),
                ..DocMeta::default()
            };
            finish_document(item_id(&id, label, k), text.trim(), meta, opts, Vec::new()).map_err(
                |kind| IngestError {
                    origin: label.to_owned(),
                    line: None,
                    record: Some(k),
                    kind,
                },
            )
        })
        .collect()
}

/// Text without tags (a fallback when an item's HTML is too short for extraction).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example.org</link>
<item><title>Ferry service resumes</title><link>https://wire.example.org/ferry</link>
<pubDate>Mon, 02 Dec 2024 08:00:00 GMT</pubDate>
<description>The ferry between the two islands resumed service on Monday after the storm.</description></item>
<item><title>Empty</title><link>https://wire.example.org/empty</link><description></description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_articles() {
        let out = read_feed(
            "f.rss",
            Some("f".into()),
            RSS.as_bytes(),
            &IngestOptions::default(),
        );
        assert_eq!(out.len(), 2);
        let d = out[0].as_ref().unwrap();
        assert_eq!(d.id, "f#1");
        assert_eq!(
            d.text,
            "The ferry between the two islands resumed service on Monday after the storm."
        );
        assert_eq!(d.meta.title.as_deref(), Some("Ferry service resumes"));
        assert_eq!(d.meta.outlet.as_deref(), Some("Example Wire"));
        assert_eq!(
            d.meta.url.as_deref(),
            Some("https://wire.example.org/ferry")
        );
        assert_eq!(
            d.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2024-12-02")
        );
        assert!(out[1].is_err(), "an empty item is an error of its own");
    }

    #[test]
    fn warc_html_responses_become_articles() {
        let page = "<html><head><title>Bridge reopens</title><meta property=\"og:site_name\" content=\"Example News\"></head><body><article><p>The city council reopened the old river bridge in Lyon on Monday after eight months of repairs.</p><p>Engineers replaced the steel cables and strengthened the central pillars, the council said in a statement.</p><p>Traffic is expected to return to normal levels by the end of the week, according to the transport office.</p></article></body></html>";
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
        let mut w = warc::WarcWriter::new(std::io::BufWriter::new(Vec::new()));
        let rec = warc::RecordBuilder::default()
            .warc_type(warc::RecordType::Response)
            .header(
                warc::WarcHeader::TargetURI,
                "https://news.example.com/bridge",
            )
            .header(warc::WarcHeader::Date, "2024-12-02T10:00:00Z")
            .body(http.into_bytes())
            .build()
            .unwrap();
        w.write(&rec).unwrap();
        let bytes = w.into_inner().unwrap();
        let out = read_warc(
            "a.warc",
            Some("a".into()),
            &bytes,
            false,
            &IngestOptions::default(),
        );
        assert_eq!(out.len(), 1, "{out:?}");
        let d = out[0].as_ref().unwrap();
        assert!(
            d.text
                .starts_with("The city council reopened the old river bridge"),
            "{}",
            d.text
        );
        assert_eq!(
            d.meta.url.as_deref(),
            Some("https://news.example.com/bridge")
        );
        assert_eq!(d.meta.outlet.as_deref(), Some("Example News"));
        assert_eq!(
            d.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2024-12-02")
        );
    }
}
