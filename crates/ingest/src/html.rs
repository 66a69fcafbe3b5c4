//! HTML article pages: "what is the article's text, title, date, outlet and
//! address, without the markup around it?"
//!
//! The main text is extracted with `dom_smoothie` (a port of Mozilla's
//! Readability over `html5ever`), paragraphs separated by newlines. Metadata:
//! the title; the date from `article:published_time`, JSON-LD
//! `datePublished` (both read by `dom_smoothie`) or the first
//! `<time datetime>`; the outlet from `og:site_name`; the URL from the
//! page's own metadata (`og:url`, canonical link). Markup is never analysed as
//! text.

use crate::{ErrorKind, IngestOptions, dates, finish_document, text};
use model::{DocMeta, Document};

/// What an HTML page gives: body text and metadata, before it becomes a document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Page {
    /// The main text, one paragraph per line.
    pub text: String,
    /// Title.
    pub title: Option<String>,
    /// Publication date as written in the page.
    pub date: Option<String>,
    /// Site name.
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
}

/// Extracts the main text and metadata of an HTML page.
pub fn extract(html: &str) -> Result<Page, ErrorKind> {
    let bad = |reason: String| ErrorKind::BadFormat {
        format: "HTML",
        reason,
    };
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r =
        dom_smoothie::Readability::new(html, None, Some(cfg)).map_err(|e| bad(e.to_string()))?;
    let article = r
        .parse()
        .map_err(|e| bad(format!("no article text found ({e})")))?;
    let text = tidy(&article.text_content);
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Page {
        text,
        title: nonempty(Some(article.title.clone())),
        date: nonempty(article.published_time.clone()).or_else(|| time_datetime(html)),
        outlet: nonempty(article.site_name.clone()),
        url: nonempty(article.url.clone()).or_else(|| canonical(html)),
    })
}

/// Paragraphs one per line: whitespace runs inside a line become one space,
/// blank lines are dropped.
fn tidy(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The value of attribute `name` in the first tag that starts with `tag`
/// and contains `marker` (a plain scan; only used for two fallbacks).
fn attr_of(html: &str, tag: &str, marker: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(tag) {
        let start = from + at;
        let end = start + lower[start..].find('>')?;
        let inside = &lower[start..end];
        if inside.contains(marker) {
            let key = format!("{name}=");
            let k = inside.find(&key)? + key.len();
            let quote = inside[k..].chars().next()?;
            let (v0, stop) = if quote == '"' || quote == '\'' {
                (k + 1, quote)
            } else {
                (k, ' ')
            };
            let v1 = v0 + inside[v0..].find(stop).unwrap_or(inside.len() - v0);
            return Some(html[start + v0..start + v1].trim().to_owned()).filter(|s| !s.is_empty());
        }
        from = end;
    }
    None
}

fn time_datetime(html: &str) -> Option<String> {
    attr_of(html, "<time", "datetime=", "datetime")
}

fn canonical(html: &str) -> Option<String> {
    attr_of(html, "<link", "canonical", "href")
}

/// Reads an HTML page as one document; `fallback_date` (a web archive's
/// record date) dates it when the page names no readable date.
pub(crate) fn document_from_html(
    label: &str,
    id: Option<String>,
    html: &str,
    opts: &IngestOptions,
    mut notes: Vec<String>,
    fallback_date: Option<chrono::NaiveDate>,
) -> Result<Document, ErrorKind> {
    let page = extract(html)?;
    let date = match page.date.as_deref().map(dates::parse_date).transpose() {
        Ok(d) => d.or(fallback_date),
        Err(reason) => {
            notes.push(format!(
                "unreadable page date {:?}: {reason}; {}",
                page.date.as_deref().unwrap_or_default(),
                if fallback_date.is_some() {
                    "the archive record's date is used"
                } else {
                    "the article is kept with an unknown date"
                }
            ));
            fallback_date
        }
    };
    if date.is_none() && page.date.is_none() {
        notes.push("the page names no publication date".into());
    }
    let meta = DocMeta {
        date,
        outlet: page.outlet,
        path: Some(label.to_owned()),
        title: page.title,
        url: page.url,
        ..DocMeta::default()
    };
    text::check_controls(&page.text)?;
    finish_document(id, page.text.trim(), meta, opts, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<title>Bridge reopens after repairs | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Bridge reopens after repairs">
<meta property="article:published_time" content="2024-12-02T09:15:00+01:00">
<link rel="canonical" href="https://news.example.com/2024/12/02/bridge">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Bridge reopens after repairs</h1>
<p>The city council reopened the old river bridge in Lyon on Monday after eight months of repairs.</p>
<p>Engineers replaced the steel cables and strengthened the central pillars, the council said in a statement.</p>
<p>Traffic is expected to return to normal levels by the end of the week, according to the transport office.</p>
</article>
<footer>Copyright Example News</footer>
</body></html>"#;

    #[test]
    fn page_gives_text_and_metadata_not_markup() {
        let p = extract(PAGE).unwrap();
        assert!(
            p.text
                .contains("The city council reopened the old river bridge in Lyon on Monday"),
            "{p:?}"
        );
        assert!(
            !p.text.contains('<') && !p.text.contains("DOCTYPE") && !p.text.contains("Copyright"),
            "{p:?}"
        );
        assert_eq!(p.title.as_deref(), Some("Bridge reopens after repairs"));
        assert_eq!(p.outlet.as_deref(), Some("Example News"));
        assert_eq!(p.date.as_deref(), Some("2024-12-02T09:15:00+01:00"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://news.example.com/2024/12/02/bridge")
        );
    }

    #[test]
    fn time_element_and_canonical_fallbacks() {
        let html = r#"<html><head><link rel="canonical" href="https://x.example/a"></head><body><article><time datetime="2024-12-02">Dec 2</time><p>The harbour authority reopened the northern dock on Monday after a storm damaged the cranes and the fuel pipes.</p><p>Ships that had waited offshore for three days began unloading grain and timber in the afternoon.</p></article></body></html>"#;
        assert_eq!(time_datetime(html).as_deref(), Some("2024-12-02"));
        assert_eq!(canonical(html).as_deref(), Some("https://x.example/a"));
    }
}
