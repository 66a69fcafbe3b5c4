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

mod archives;
pub mod dates;
pub mod dedup;
pub mod header;
pub mod html;
mod records;
pub mod text;
mod walk;

pub use records::{JsonlReader, read_csv};
pub use walk::{InputFile, Listing, Notice, list_inputs_noted};

use model::{DocMeta, Document};
use sha2::{Digest, Sha256};
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
    /// Follow symbolic links inside directories (default: skip them, with a notice).
    /// Links are followed with loop detection, and a file reached twice is read once.
    pub follow_symlinks: bool,
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
            follow_symlinks: false,
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
    /// A directory entry that is no regular file (FIFO, socket, device), or a symlink loop.
    #[error("skipped: {0}")]
    NotAFile(String),
    /// Markup, archive or feed content that could not be read.
    #[error("unreadable {format}: {reason}")]
    BadFormat {
        /// The format (`HTML`, `WARC`, `feed`).
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
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
    pub(crate) fn file(origin: &str, kind: ErrorKind) -> Self {
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

/// The stage name of the diagnostics ingest writes into a document
/// (`layers.diagnostics`): notes on what was converted, unwrapped or could
/// not be read, shown as warnings by the CLI.
pub const INGEST_STAGE: &str = "ingest";

/// Builds the document from a trimmed body: unwraps hard-wrapped text,
/// checks emptiness and size, sets id and hash, and records `notes` (and
/// a note on unwrapping) as the document's ingest diagnostics.
pub(crate) fn finish_document(
    id: Option<String>,
    body: &str,
    meta: DocMeta,
    opts: &IngestOptions,
    mut notes: Vec<String>,
) -> Result<Document, ErrorKind> {
    let unwrapped = text::unwrap_hard_wrapped(body);
    let body = match &unwrapped {
        Some((t, n)) => {
            notes.push(format!(
                "hard-wrapped text: {n} line break(s) inside paragraphs joined before analysis"
            ));
            t.as_str()
        }
        None => body,
    };
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
    let layers = model::Layers {
        diagnostics: notes
            .into_iter()
            .map(|message| model::Diagnostic {
                stage: INGEST_STAGE.to_owned(),
                message,
                span: None,
            })
            .collect(),
        ..Default::default()
    };
    Ok(Document {
        id,
        text: body.to_owned(),
        meta,
        content_hash,
        duplicate_of: None,
        layers,
    })
}

/// Parses a `.txt` article with the default options; `path_label` is the
/// path as given (it becomes `meta.path`, and its stem the id).
pub fn parse_txt(path_label: &str, bytes: &[u8]) -> Result<Document, IngestError> {
    parse_txt_with(path_label, bytes, &IngestOptions::default())
}

/// Parses a `.txt` article: header line (optional), then body; the id is
/// the file stem (see [`parse_txt_as`] to choose it).
pub fn parse_txt_with(
    path_label: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Document, IngestError> {
    let stem = Path::new(path_label)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty());
    parse_txt_as(path_label, stem, bytes, opts)
}

/// Parses a `.txt` article with the given id (`None`: a content-hash id).
///
/// The date comes from the header line (` date 2024-12-02`,
/// ` date Mon, 02 Dec 2024`), else from a dateline that names month, day and
/// year. A header date that cannot be read keeps the article with an unknown
/// date and a note; so does a file with no date at all.
pub fn parse_txt_as(
    path_label: &str,
    id: Option<String>,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Document, IngestError> {
    let fail = |kind| IngestError::file(path_label, kind);
    if bytes.is_empty() {
        return Err(fail(ErrorKind::EmptyFile));
    }
    let (text, mut notes) = text::decode_noted(bytes).map_err(fail)?;
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = &text[..first_end];
    let mut meta = DocMeta {
        path: Some(path_label.to_owned()),
        ..DocMeta::default()
    };
    let mut had_header = false;
    let body: String = match header::parse_header_checked(first) {
        Err(kind) => {
            // a header whose date cannot be read: the line is dropped, the article kept
            notes.push(format!(
                "line 1: {kind}; the article is kept with an unknown date"
            ));
            had_header = true;
            text[first_end..].to_owned()
        }
        Ok(Some(h)) => {
            had_header = true;
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
            // metadata (and its date, when it names the year) but stays in the text.
            if let Some(d) = header::parse_dateline(text.trim_start()) {
                meta.date = d.date().and_then(|d| dates::plausible(d).ok());
                if meta.date.is_none()
                    && let Some((m, day)) = d.month_day
                {
                    notes.push(format!(
                        "the dateline gives month {m} day {day} but no year; the date is unknown"
                    ));
                }
                meta.dateline = d.place;
                meta.outlet = d.outlet;
                meta.distributor = d.distributor;
            }
            text.clone()
        }
    };
    let body = body.trim();
    if body.is_empty() {
        let why = if had_header {
            "the file has a header line but no body"
        } else {
            "the file holds only whitespace"
        };
        return Err(fail(ErrorKind::EmptyBody(why.into())));
    }
    if meta.date.is_none() && !notes.iter().any(|n| n.contains("date")) {
        notes.push(
            "no date (no ` date YYYY-MM-DD` header line, no dated dateline); relative time expressions stay unresolved".into(),
        );
    }
    finish_document(id, body, meta, opts, notes).map_err(fail)
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
    /// An HTML article page (main text and metadata extracted, see [`html`]).
    Html,
    /// A WARC web archive: each HTML response an article.
    Warc,
    /// A gzip-compressed WARC web archive.
    WarcGz,
    /// An RSS or Atom feed: each item an article.
    Feed,
}

impl Format {
    /// The format a file extension announces; `None` for extensions we do not read.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".warc.gz") {
            return Some(Self::WarcGz);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Self::Txt,
            "jsonl" | "ndjson" => Self::Jsonl,
            "json" => Self::Json,
            "csv" => Self::Csv,
            "html" | "htm" | "xhtml" => Self::Html,
            "warc" => Self::Warc,
            "rss" | "atom" | "xml" => Self::Feed,
            _ => return None,
        })
    }
}

/// Lists the input files under `path`: the file itself, or a directory's
/// regular files recursively, sorted (see [`list_inputs_noted`], which also
/// says what was skipped).
pub fn list_inputs(path: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let listing = list_inputs_noted(path, &IngestOptions::default());
    if let Some(e) = listing
        .errors
        .into_iter()
        .find(|e| e.origin == path.display().to_string())
    {
        return Err(e);
    }
    Ok(listing.files.into_iter().map(|f| f.path).collect())
}

/// Reads one file by its format (unknown extensions are read as `.txt`);
/// a `.txt` file's id is its stem.
pub fn read_file(path: &Path, opts: &IngestOptions) -> Vec<Result<Document, IngestError>> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty());
    read_file_as(path, stem, opts)
}

/// Reads one file by its format, lazily: a JSON Lines file one record at a
/// time as the iterator is advanced (memory holds one record, whatever the
/// file's size), any other file whole when first advanced. `id` is the id of
/// a one-article file (records carry their own ids).
pub fn read_file_lazily(
    path: &Path,
    id: Option<String>,
    opts: &IngestOptions,
) -> Box<dyn Iterator<Item = Result<Document, IngestError>>> {
    let label = path.display().to_string();
    if Format::from_path(path) == Some(Format::Jsonl) {
        return match std::fs::File::open(path) {
            Ok(f) => Box::new(JsonlReader::new(std::io::BufReader::new(f), &label, opts)),
            Err(e) => Box::new(std::iter::once(Err(IngestError::file(
                &label,
                ErrorKind::Io(e.to_string()),
            )))),
        };
    }
    let (path, opts) = (path.to_path_buf(), opts.clone());
    let mut id = Some(id);
    Box::new(
        std::iter::from_fn(move || id.take().map(|id| read_file_as(&path, id, &opts))).flatten(),
    )
}

/// Reads one file by its format; `id` is the id of a one-article file
/// (records carry their own ids).
pub fn read_file_as(
    path: &Path,
    id: Option<String>,
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
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
        Format::Txt => opts
            .max_doc_bytes
            .saturating_mul(2)
            .saturating_add(64 << 10),
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
    read_bytes_as(&label, format, id, &bytes, opts)
}

/// Reads bytes already in memory as the given format.
pub(crate) fn read_bytes_as(
    label: &str,
    format: Format,
    id: Option<String>,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Vec<Result<Document, IngestError>> {
    let fail = |kind| vec![Err(IngestError::file(label, kind))];
    if format == Format::Txt {
        return vec![parse_txt_as(label, id, bytes, opts)];
    }
    if bytes.is_empty() {
        return fail(ErrorKind::EmptyFile);
    }
    match format {
        Format::Warc | Format::WarcGz => {
            return archives::read_warc(label, id, bytes, format == Format::WarcGz, opts);
        }
        Format::Feed => return archives::read_feed(label, id, bytes, opts),
        _ => {}
    }
    let (text, notes) = match text::decode_noted(bytes) {
        Ok(t) => t,
        Err(kind) => return fail(kind),
    };
    let mut out = match format {
        Format::Json => records::read_json_text(&text, label, opts),
        Format::Csv => records::read_csv_text(&text, label, opts),
        Format::Jsonl => JsonlReader::new(text.as_bytes(), label, opts).collect(),
        Format::Html => {
            return vec![
                html::document_from_html(label, id, &text, opts, notes, None)
                    .map_err(|kind| IngestError::file(label, kind)),
            ];
        }
        Format::Txt | Format::Warc | Format::WarcGz | Format::Feed => {
            unreachable!("handled above")
        }
    };
    // a conversion of the whole file concerns every record in it
    for d in out.iter_mut().flatten() {
        for n in &notes {
            d.layers.diagnostics.push(model::Diagnostic {
                stage: INGEST_STAGE.to_owned(),
                message: n.clone(),
                span: None,
            });
        }
    }
    out
}

/// What reading a path gave: documents and per-input errors in a
/// deterministic order, plus notices of what was skipped or renamed.
#[derive(Debug, Default)]
pub struct Reading {
    /// One result per document or unreadable input, in input order.
    pub results: Vec<Result<Document, IngestError>>,
    /// Entries skipped (links, hidden entries, unknown extensions) and ids renamed.
    pub notices: Vec<Notice>,
}

/// Reads a file or a directory (recursively), in a deterministic order,
/// and makes ids unique among the documents read; what was skipped or
/// renamed is dropped (see [`read_path_noted`] to report it).
pub fn read_path(path: &Path, opts: &IngestOptions) -> Vec<Result<Document, IngestError>> {
    read_path_noted(path, opts).results
}

/// Reads a file or a directory (recursively), in a deterministic order.
///
/// Ids: a file given directly keeps its stem; a file found in a directory
/// is named by its path relative to that directory, without extension and
/// with `/` separators (`b/story` for `coll/b/story.txt` when reading
/// `coll`), so distinct files get distinct ids. Ids still colliding (a
/// record's `id` equal to a file's) are made unique (see
/// [`ensure_unique_ids`]) and each renaming is a notice.
pub fn read_path_noted(path: &Path, opts: &IngestOptions) -> Reading {
    let listing = list_inputs_noted(path, opts);
    let mut reading = Reading {
        results: listing.errors.into_iter().map(Err).collect(),
        notices: listing.notices,
    };
    for f in &listing.files {
        reading
            .results
            .extend(read_file_as(&f.path, Some(f.id.clone()), opts));
    }
    let mut docs: Vec<&mut Document> = reading
        .results
        .iter_mut()
        .filter_map(|r| r.as_mut().ok())
        .collect();
    for (old, new) in ensure_unique_ids_mut(&mut docs) {
        reading.notices.push(Notice {
            origin: path.display().to_string(),
            message: format!(
                "document id {old} is used by several inputs; a later one is stored as {new}"
            ),
        });
    }
    reading
}

/// Makes ids unique in order: a later document whose id was already used
/// gets `-2`, `-3`, ... appended, skipping any id that another document of
/// `docs` has. Returns `(old, new)` for each renamed one.
pub fn ensure_unique_ids(docs: &mut [Document]) -> Vec<(String, String)> {
    let mut refs: Vec<&mut Document> = docs.iter_mut().collect();
    ensure_unique_ids_mut(&mut refs)
}

fn ensure_unique_ids_mut(docs: &mut [&mut Document]) -> Vec<(String, String)> {
    let mut unique = UniqueIds::reserving(docs.iter().map(|d| d.id.clone()));
    docs.iter_mut().filter_map(|d| unique.admit(d)).collect()
}

/// Makes document ids unique as documents go by: the first document with an
/// id keeps it; a later one gets `-2`, `-3`, ... appended, the first suffix
/// that no admitted document has and that is not reserved. Reading a whole
/// batch reserves every id of the batch, so a renamed document never takes
/// the id a later one brings; a stream cannot know later ids, so there a
/// later document whose own id was taken by a renaming is renamed in turn.
/// Either way the ids depend only on the documents and their order.
#[derive(Debug, Default, Clone)]
pub struct UniqueIds {
    seen: std::collections::BTreeSet<String>,
    reserved: std::collections::BTreeSet<String>,
}

impl UniqueIds {
    /// Ids unique among documents admitted one by one, with `ids` reserved.
    pub fn reserving(ids: impl IntoIterator<Item = String>) -> UniqueIds {
        UniqueIds {
            seen: Default::default(),
            reserved: ids.into_iter().collect(),
        }
    }

    /// Admits `doc`, renaming it when its id is taken; returns `(old, new)` then.
    pub fn admit(&mut self, doc: &mut Document) -> Option<(String, String)> {
        if self.seen.insert(doc.id.clone()) {
            return None;
        }
        let new = (2..)
            .map(|k| format!("{}-{k}", doc.id))
            .find(|c| !self.seen.contains(c) && !self.reserved.contains(c))?;
        self.seen.insert(new.clone());
        Some((std::mem::replace(&mut doc.id, new.clone()), new))
    }
}
