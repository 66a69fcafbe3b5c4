//! Structured inputs: "which field holds the text, the date, the outlet?"
//! JSON Lines (streamed), JSON arrays, CSV with a header row. Field names
//! follow the timeline contract and news-please: `text`/`maintext`, `id`,
//! `date`/`date_publish`, `outlet`/`source`/`source_domain`, `title`, `url`.

use crate::{ErrorKind, IngestError, IngestOptions, finish_document, text};
use chrono::NaiveDate;
use model::{DocMeta, Document};
use serde_json::Value;
use std::io::BufRead;

/// One record's fields before they become a [`Document`].
#[derive(Debug, Default)]
struct Raw {
    text: Option<String>,
    id: Option<String>,
    date: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
    url: Option<String>,
    html: Option<String>,
}

impl Raw {
    /// Sets a field by its (lowercase) input name; unknown names are ignored.
    /// The first name in each group wins over later synonyms.
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "text" => &mut self.text,
            "maintext" => {
                if self.text.is_some() {
                    return;
                }
                &mut self.text
            }
            "id" => &mut self.id,
            "date" => &mut self.date,
            "date_publish" => {
                if self.date.is_some() {
                    return;
                }
                &mut self.date
            }
            "outlet" => &mut self.outlet,
            "source" | "source_domain" => {
                if self.outlet.is_some() {
                    return;
                }
                &mut self.outlet
            }
            "title" => &mut self.title,
            "url" => &mut self.url,
            "html" => &mut self.html,
            "raw_html" => {
                if self.html.is_some() {
                    return;
                }
                &mut self.html
            }
            _ => return,
        };
        let value = value.trim();
        if !value.is_empty() {
            *slot = Some(value.to_owned());
        }
    }
}

/// Field precedence: `text` over `maintext`, `date` over `date_publish`,
/// `outlet` over `source` over `source_domain`.
const FIELD_ORDER: &[&str] = &[
    "text",
    "maintext",
    "id",
    "date",
    "date_publish",
    "outlet",
    "source",
    "source_domain",
    "title",
    "url",
    "html",
    "raw_html",
];

fn raw_from_json(v: &Value) -> Result<Raw, ErrorKind> {
    let Value::Object(map) = v else {
        return Err(ErrorKind::InvalidRecord(format!(
            "expected a JSON object, found {}",
            json_kind(v)
        )));
    };
    let mut raw = Raw::default();
    for &name in FIELD_ORDER {
        let Some(value) = map.get(name) else { continue };
        let value = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) if name == "id" => n.to_string(),
            other => {
                return Err(ErrorKind::InvalidRecord(format!(
                    "field `{name}` should be a string, found {}",
                    json_kind(other)
                )));
            }
        };
        raw.set(name, value);
    }
    Ok(raw)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a record date (the forms of [`crate::dates::parse_date`]).
pub(crate) fn parse_record_date(s: &str) -> Result<NaiveDate, ErrorKind> {
    crate::dates::parse_date(s).map_err(|reason| ErrorKind::MalformedDate {
        value: s.trim().chars().take(80).collect(),
        reason,
    })
}

fn document_from_raw(raw: Raw, path: &str, opts: &IngestOptions) -> Result<Document, ErrorKind> {
    let mut raw = raw;
    let mut notes = Vec::new();
    for (name, field) in [
        ("text", &mut raw.text),
        ("id", &mut raw.id),
        ("date", &mut raw.date),
        ("outlet", &mut raw.outlet),
        ("title", &mut raw.title),
        ("url", &mut raw.url),
    ] {
        if let Some(v) = field {
            text::strip_nuls(name, v, &mut notes);
        }
    }
    // a record with only a page's HTML: text and missing metadata from the page
    if raw.text.is_none()
        && let Some(html) = raw.html.as_deref()
    {
        let page = crate::html::extract(html)?;
        raw.text = Some(page.text);
        raw.title = raw.title.or(page.title);
        raw.date = raw.date.or(page.date);
        raw.outlet = raw.outlet.or(page.outlet);
        raw.url = raw.url.or(page.url);
    }
    let body = raw.text.ok_or_else(|| {
        ErrorKind::EmptyBody("no `text`, `maintext`, `html` or `raw_html` field".into())
    })?;
    // an unreadable date loses the date, not the article
    let date = match raw.date.as_deref().map(parse_record_date).transpose() {
        Ok(d) => d,
        Err(kind) => {
            notes.push(format!("{kind}; the article is kept with an unknown date"));
            None
        }
    };
    text::check_controls(&body)?;
    let body = text::normalize_newlines(&body);
    let meta = DocMeta {
        date,
        outlet: raw.outlet,
        path: Some(path.to_owned()),
        title: raw.title,
        url: raw.url,
        ..DocMeta::default()
    };
    finish_document(raw.id, body.trim(), meta, opts, notes)
}

/// Streams JSON Lines: one document (or error) per non-blank line.
///
/// A line longer than [`IngestOptions::max_line_bytes`] is skipped without
/// being held in memory and reported as an error; reading goes on.
pub struct JsonlReader<R> {
    reader: R,
    origin: String,
    opts: IngestOptions,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads from `reader`; `origin` names it in errors and in `meta.path`.
    pub fn new(reader: R, origin: &str, opts: &IngestOptions) -> Self {
        Self {
            reader,
            origin: origin.to_owned(),
            opts: opts.clone(),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn error(&self, kind: ErrorKind) -> IngestError {
        IngestError {
            origin: self.origin.clone(),
            line: Some(self.line),
            record: None,
            kind,
        }
    }

    /// Reads one line into `buf`, up to the limit. Returns (bytes seen, too long).
    fn read_line(&mut self) -> std::io::Result<(usize, bool)> {
        self.buf.clear();
        let limit = self.opts.max_line_bytes;
        let mut seen = 0usize;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok((seen, seen > limit));
            }
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(p) => (p + 1, true),
                None => (chunk.len(), false),
            };
            if seen + take <= limit.saturating_add(1) {
                self.buf.extend_from_slice(&chunk[..take]);
            }
            seen += take;
            self.reader.consume(take);
            if end {
                return Ok((seen, seen > limit.saturating_add(1)));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let (seen, too_long) = match self.read_line() {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.error(ErrorKind::Io(e.to_string()))));
                }
            };
            if seen == 0 {
                self.done = true;
                return None;
            }
            self.line += 1;
            if too_long {
                return Some(Err(self.error(ErrorKind::LineTooLong {
                    size: seen,
                    limit: self.opts.max_line_bytes,
                })));
            }
            let mut bytes = &self.buf[..];
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let line = match std::str::from_utf8(bytes) {
                Ok(l) => l,
                Err(e) => {
                    let kind = ErrorKind::InvalidUtf8 {
                        offset: e.valid_up_to(),
                        line: self.line,
                    };
                    return Some(Err(self.error(kind)));
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let result = serde_json::from_str::<Value>(line)
                .map_err(|e| ErrorKind::BrokenJson(e.to_string()))
                .and_then(|v| raw_from_json(&v))
                .and_then(|raw| document_from_raw(raw, &self.origin, &self.opts));
            return Some(result.map_err(|k| self.error(k)));
        }
    }
}

/// Reads a `.json` file's text: an array of records, one object, or (if it
/// is neither) JSON Lines.
pub(crate) fn read_json_text(
    text: &str,
    origin: &str,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let trimmed = text.trim_start();
    let err = |line: Option<usize>, record: Option<usize>, kind| IngestError {
        origin: origin.to_owned(),
        line,
        record,
        kind,
    };
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<Value>>(text) {
            Ok(values) => values
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    raw_from_json(v)
                        .and_then(|raw| document_from_raw(raw, origin, opts))
                        .map_err(|kind| err(None, Some(k + 1), kind))
                })
                .collect(),
            Err(e) => vec![Err(err(
                Some(e.line()),
                None,
                ErrorKind::BrokenJson(e.to_string()),
            ))],
        };
    }
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
        return vec![
            raw_from_json(&v)
                .and_then(|raw| document_from_raw(raw, origin, opts))
                .map_err(|kind| err(None, None, kind)),
        ];
    }
    JsonlReader::new(text.as_bytes(), origin, opts).collect()
}

/// Reads CSV with a header row from a reader (e.g. stdin), whole, then by record.
pub fn read_csv<R: std::io::Read>(
    mut reader: R,
    origin: &str,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return vec![Err(IngestError::file(origin, ErrorKind::Io(e.to_string())))];
    }
    crate::read_bytes_as(origin, crate::Format::Csv, None, &bytes, opts)
}

/// Reads CSV text with a header row naming the fields.
pub(crate) fn read_csv_text(
    text: &str,
    origin: &str,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let err = |line: Option<u64>, kind| IngestError {
        origin: origin.to_owned(),
        line: line.map(|l| l as usize),
        record: None,
        kind,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => return vec![Err(err(Some(1), ErrorKind::BrokenCsv(e.to_string())))],
    };
    if !headers.iter().any(|h| h == "text" || h == "maintext") {
        return vec![Err(err(
            Some(1),
            ErrorKind::BrokenCsv("the header row has no `text` or `maintext` column".into()),
        ))];
    }
    let mut out = Vec::new();
    let records: Vec<_> = reader.records().collect();
    // byte where each record starts, to find a quote left open
    let starts: Vec<Option<usize>> = records
        .iter()
        .map(|r| match r {
            Ok(rec) => rec.position().map(|p| p.byte() as usize),
            Err(e) => e.position().map(|p| p.byte() as usize),
        })
        .collect();
    for (k, record) in records.into_iter().enumerate() {
        match record {
            Ok(rec) => {
                let line = rec.position().map(|p| p.line());
                if rec.len() != headers.len() {
                    out.push(Err(err(
                        line,
                        ErrorKind::BrokenCsv(format!(
                            "the record has {} field(s), the header row {} (a quote left open or a stray delimiter?)",
                            rec.len(),
                            headers.len()
                        )),
                    )));
                    continue;
                }
                let end = starts.get(k + 1).copied().flatten().unwrap_or(text.len());
                if let Some(start) = starts[k]
                    && text
                        .get(start..end)
                        .is_some_and(|raw| raw.matches('"').count() % 2 == 1)
                {
                    out.push(Err(err(
                        line,
                        ErrorKind::BrokenCsv(
                            "a quoted field is never closed (the rest of the file would be one field)"
                                .into(),
                        ),
                    )));
                    continue;
                }
                let mut raw = Raw::default();
                for &name in FIELD_ORDER {
                    if let Some(i) = headers.iter().position(|h| h == name)
                        && let Some(v) = rec.get(i)
                    {
                        raw.set(name, v.to_owned());
                    }
                }
                out.push(document_from_raw(raw, origin, opts).map_err(|k| err(line, k)));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line());
                out.push(Err(err(line, ErrorKind::BrokenCsv(e.to_string()))));
            }
        }
    }
    out
}
