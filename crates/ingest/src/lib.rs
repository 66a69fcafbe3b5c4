//! eventline ingest: files and records in, [`model::Document`]s out.
//!
//! "Here is a path (or stdin); give me documents, and tell me clearly which
//! inputs could not be read and why."
//!
//! # Inputs
//! - `.txt` (and any explicitly named file with another extension): an
//!   optional header line ` date YYYY-MM-DD`, optionally followed on the same
//!   line by an agency, a dateline, an outlet name, or the start of the body
//!   (see [`header`]). Without a header the whole file is the body and the
//!   date is unknown.
//! - `.jsonl` / `.ndjson`: JSON Lines, read streaming (see [`JsonlReader`]).
//! - `.json`: an array of records, a single record, or JSON Lines.
//! - `.csv`: a header row naming the fields, then one record per row
//!   (quoted fields may hold newlines).
//! - directories: walked recursively in byte order of names, skipping hidden
//!   entries (names starting with `.`) and files of other extensions.
//!
//! Record fields: `text` or `maintext`; optional `id`, `date` or
//! `date_publish` (a day, a datetime such as `2024-12-02 10:31:00`, or an
//! RFC 2822 date), `outlet` or `source` or `source_domain`, `title`, `url`.
//!
//! # Text and offsets
//! Input must be UTF-8 (a BOM is dropped). CRLF and lone CR are normalized
//! to LF, and the body is trimmed of surrounding whitespace. The result is
//! stored as [`model::Document::text`] (exported as `documents[].text`), and
//! **every byte offset any stage produces refers to this normalized text**,
//! not to the raw file.
//!
//! # Identity
//! The document id is the file stem for files, the record's `id` for JSON
//! and CSV records, and otherwise `doc-` plus 16 hex digits of the content
//! hash. [`Document::content_hash`](model::Document) is the SHA-256 (hex) of
//! the normalized text, date and outlet; the store compares it for
//! idempotent ingest. Near-duplicates (wire reprints) are marked by
//! [`dedup::mark_duplicates`].
//!
//! # Errors
//! Every unreadable file or record yields one [`IngestError`] naming the
//! input, the line (for JSON Lines and CSV) and the reason, e.g.
//! `data/x.jsonl:17: broken JSON: expected value at line 1 column 1`;
//! reading continues with the rest.

pub mod dedup;
pub mod header;
mod records;
pub mod text;

pub use records::JsonlReader;

use model::{DocMeta, Document};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Limits and choices for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// Largest body, in bytes of normalized text, accepted for one document (default 8 MiB).
    pub max_doc_bytes: usize,
    /// Longest JSON Lines line accepted, in bytes (default 2 × `max_doc_bytes` + 64 KiB,
    /// room for escapes and metadata).
    pub max_line_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self::with_max_doc_bytes(8 << 20)
    }
}

impl IngestOptions {
    /// Options with the given per-document limit and a line limit derived from it.
    pub fn with_max_doc_bytes(max_doc_bytes: usize) -> Self {
        Self {
            max_doc_bytes,
            max_line_bytes: max_doc_bytes.saturating_mul(2).saturating_add(64 << 10),
        }
    }
}

/// Why one input (file, line or record) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The bytes are not UTF-8.
    #[error(
        "not valid UTF-8 (first bad byte at offset {offset}, line {line}); convert it to UTF-8"
    )]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Line of the first invalid byte (1-based).
        line: usize,
    },
    /// The content is binary, not text.
    #[error("binary content, not text: {0}")]
    Binary(String),
    /// The file has no bytes at all.
    #[error("empty file")]
    EmptyFile,
    /// There is no body text.
    #[error("empty body: {0}")]
    EmptyBody(String),
    /// A date that is present but cannot be read.
    #[error("malformed date {value:?}: {reason}")]
    MalformedDate {
        /// The date as written.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The body exceeds [`IngestOptions::max_doc_bytes`].
    #[error("document too large: {size} bytes, limit {limit} (raise the per-document limit)")]
    TooLarge {
        /// Size found, in bytes.
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// A JSON Lines line exceeds [`IngestOptions::max_line_bytes`].
    #[error("line too long: {size} bytes, limit {limit}")]
    LineTooLong {
        /// Bytes in the line.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// JSON syntax error.
    #[error("broken JSON: {0}")]
    BrokenJson(String),
    /// CSV syntax error or unusable header row.
    #[error("broken CSV: {0}")]
    BrokenCsv(String),
    /// Well-formed JSON that is not a usable record.
    #[error("invalid record: {0}")]
    InvalidRecord(String),
}

/// One input that could not be read: where, and why.
///
/// Displays as `origin:line: reason`, `origin (record N): reason` or `origin: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}{}: {kind}", line.map(|l| format!(":{l}")).unwrap_or_default(), record.map(|r| format!(" (record {r})")).unwrap_or_default())]
pub struct IngestError {
    /// The path as given, or the stream's name (`-` for stdin).
    pub origin: String,
    /// 1-based line, for line-oriented inputs.
    pub line: Option<usize>,
    /// 1-based record number inside a JSON array.
    pub record: Option<usize>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl IngestError {
    fn file(origin: &str, kind: ErrorKind) -> Self {
        Self {
            origin: origin.to_owned(),
            line: None,
            record: None,
            kind,
        }
    }
}

/// Hex SHA-256 of the normalized text, date and outlet: a document's identity for idempotent ingest.
pub fn content_hash(text: &str, meta: &DocMeta) -> String {
    let mut h = Sha256::new();
    h.update(text.as_bytes());
    h.update([0]);
    if let Some(d) = meta.date {
        h.update(d.to_string().as_bytes());
    }
    h.update([0]);
    if let Some(o) = &meta.outlet {
        h.update(o.as_bytes());
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Builds the document from a trimmed body: checks emptiness and size, sets id and hash.
pub(crate) fn finish_document(
    id: Option<String>,
    body: &str,
    meta: DocMeta,
    opts: &IngestOptions,
) -> Result<Document, ErrorKind> {
    if body.is_empty() {
        return Err(ErrorKind::EmptyBody("no text after the header".into()));
    }
    if body.len() > opts.max_doc_bytes {
        return Err(ErrorKind::TooLarge {
            size: body.len() as u64,
            limit: opts.max_doc_bytes,
        });
    }
    let content_hash = content_hash(body, &meta);
    let id = id.unwrap_or_else(|| format!("doc-{}", &content_hash[..16]));
    Ok(Document {
        id,
        text: body.to_owned(),
        meta,
        content_hash,
        duplicate_of: None,
        layers: Default::default(),
    })
}

/// Parses a `.txt` article with the default options; `path_label` is the
/// path as given (it becomes `meta.path`, and its stem the id).
pub fn parse_txt(path_label: &str, bytes: &[u8]) -> Result<Document, IngestError> {
    parse_txt_with(path_label, bytes, &IngestOptions::default())
}

/// Parses a `.txt` article: header line (optional), then body.
pub fn parse_txt_with(
    path_label: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Document, IngestError> {
    let fail = |kind| IngestError::file(path_label, kind);
    if bytes.is_empty() {
        return Err(fail(ErrorKind::EmptyFile));
    }
    let text = text::decode(bytes).map_err(fail)?;
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = &text[..first_end];
    let mut meta = DocMeta {
        path: Some(path_label.to_owned()),
        ..DocMeta::default()
    };
    let body: String = match header::parse_header_checked(first) {
        Err(kind) => {
            return Err(IngestError {
                line: Some(1),
                ..fail(kind)
            });
        }
        Ok(Some(h)) => {
            meta.date = Some(h.date);
            meta.outlet = h.outlet;
            meta.distributor = h.distributor;
            meta.dateline = h.dateline;
            let rest = &text[first_end..];
            match h.body_start {
                Some(b) => format!("{}{}", &first[b..], rest),
                None => rest.to_owned(),
            }
        }
        Ok(None) => {
            // No header: a dateline at the start of the body is read for
            // metadata but stays in the text.
            if let Some(d) = header::parse_dateline(text.trim_start()) {
                meta.dateline = d.place;
                meta.outlet = d.outlet;
                meta.distributor = d.distributor;
            }
            text.clone()
        }
    };
    let body = body.trim();
    if body.is_empty() {
        let why = if meta.date.is_some() {
            "the file has a header line but no body"
        } else {
            "the file holds only whitespace"
        };
        return Err(fail(ErrorKind::EmptyBody(why.into())));
    }
    let stem = Path::new(path_label)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty());
    finish_document(stem, body, meta, opts).map_err(fail)
}

/// Reads JSON Lines from a reader (e.g. stdin), collecting every document and error in order.
pub fn read_jsonl<R: std::io::BufRead>(
    reader: R,
    origin: &str,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    JsonlReader::new(reader, origin, opts).collect()
}

/// The kind of input a file name announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain-text article with an optional header line.
    Txt,
    /// JSON Lines.
    Jsonl,
    /// A JSON array, object, or JSON Lines.
    Json,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// The format a file extension announces; `None` for extensions we do not read.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Self::Txt,
            "jsonl" | "ndjson" => Self::Jsonl,
            "json" => Self::Json,
            "csv" => Self::Csv,
            _ => return None,
        })
    }
}

/// Lists the input files under `path`: the file itself, or a directory's
/// readable files recursively, sorted, hidden entries skipped.
pub fn list_inputs(path: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| IngestError::file(&label, ErrorKind::Io(e.to_string())))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(path, 0, &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    const MAX_DEPTH: usize = 64;
    let io = |e: std::io::Error| {
        IngestError::file(&dir.display().to_string(), ErrorKind::Io(e.to_string()))
    };
    if depth > MAX_DEPTH {
        return Err(io(std::io::Error::other(
            "directories nested too deep (symlink loop?)",
        )));
    }
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    entries.sort();
    for (_, p) in entries {
        if p.is_dir() {
            walk(&p, depth + 1, out)?;
        } else if Format::from_path(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads one file by its format (unknown extensions are read as `.txt`).
pub fn read_file(path: &Path, opts: &IngestOptions) -> Vec<Result<Document, IngestError>> {
    let label = path.display().to_string();
    let fail = |kind| vec![Err(IngestError::file(&label, kind))];
    let format = Format::from_path(path).unwrap_or(Format::Txt);
    if format == Format::Jsonl {
        return match std::fs::File::open(path) {
            Ok(f) => read_jsonl(std::io::BufReader::new(f), &label, opts),
            Err(e) => fail(ErrorKind::Io(e.to_string())),
        };
    }
    // Whole-file formats: refuse what cannot fit the limit before reading it.
    let allowance = match format {
        Format::Txt => opts.max_doc_bytes.saturating_add(64 << 10),
        _ => usize::MAX,
    };
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| {
        let size = f.metadata()?.len();
        if size > allowance as u64 {
            return Ok(Some(size));
        }
        f.take((allowance as u64).saturating_add(1))
            .read_to_end(&mut bytes)?;
        Ok(None)
    });
    match read {
        Err(e) => return fail(ErrorKind::Io(e.to_string())),
        Ok(Some(size)) => {
            return fail(ErrorKind::TooLarge {
                size,
                limit: opts.max_doc_bytes,
            });
        }
        Ok(None) => {}
    }
    if format == Format::Txt {
        return vec![parse_txt_with(&label, &bytes, opts)];
    }
    if bytes.is_empty() {
        return fail(ErrorKind::EmptyFile);
    }
    let text = match text::decode(&bytes) {
        Ok(t) => t,
        Err(kind) => return fail(kind),
    };
    match format {
        Format::Json => records::read_json_text(&text, &label, opts),
        Format::Csv => records::read_csv_text(&text, &label, opts),
        Format::Txt | Format::Jsonl => unreachable!("handled above"),
    }
}

/// Reads a file or a directory (recursively), in a deterministic order,
/// and makes ids unique among the documents read (see [`ensure_unique_ids`]).
pub fn read_path(path: &Path, opts: &IngestOptions) -> Vec<Result<Document, IngestError>> {
    let files = match list_inputs(path) {
        Ok(f) => f,
        Err(e) => return vec![Err(e)],
    };
    let mut out: Vec<Result<Document, IngestError>> =
        files.iter().flat_map(|f| read_file(f, opts)).collect();
    let mut docs: Vec<&mut Document> = out.iter_mut().filter_map(|r| r.as_mut().ok()).collect();
    ensure_unique_ids_mut(&mut docs);
    out
}

/// Makes ids unique in order: a later document whose id was already used
/// gets `-2`, `-3`, ... appended. Returns `(old, new)` for each renamed one.
pub fn ensure_unique_ids(docs: &mut [Document]) -> Vec<(String, String)> {
    let mut refs: Vec<&mut Document> = docs.iter_mut().collect();
    ensure_unique_ids_mut(&mut refs)
}

fn ensure_unique_ids_mut(docs: &mut [&mut Document]) -> Vec<(String, String)> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs.iter() {
        *used.entry(d.id.clone()).or_default() += 0;
    }
    let mut seen: std::collections::BTreeSet<String> = Default::default();
    let mut renamed = Vec::new();
    for d in docs.iter_mut() {
        if seen.insert(d.id.clone()) {
            continue;
        }
        let mut k = 2;
        let new = loop {
            let cand = format!("{}-{k}", d.id);
            if !used.contains_key(&cand) && !seen.contains(&cand) {
                break cand;
            }
            k += 1;
        };
        seen.insert(new.clone());
        renamed.push((std::mem::replace(&mut d.id, new.clone()), new));
    }
    renamed
}
