//! "Here are analysed documents one at a time: write them as Parquet files an
//! existing engine (DuckDB, DataFusion, Spark) reads."
//!
//! The per-document analysis is the *map* of a corpus too big for one machine;
//! this crate writes its output as Hive-style partitions by the document's
//! month, so the *reduce* (cross-document resolution, keyed by time window and
//! story) can read only the months it needs:
//!
//! ```text
//! DIR/<table>/month=YYYY-MM/part-NNNNN.parquet      (month=unknown: undated documents)
//! ```
//!
//! Tables and columns mirror the SQLite store (`docs/schema.md`); every layer
//! row carries `doc_id`, and its span's words in `text` (or `trigger`,
//! `quote`), so `documents.text[start_byte..end_byte]` is that column. See
//! `docs/parquet.md` for the columns and example queries.
//!
//! [`PartitionWriter`] streams: it buffers at most [`WriterOptions`]' documents,
//! rows or bytes before writing them as one row group, and keeps one month's
//! files open at a time (one file per table). The same documents in the same
//! order give byte-identical files.

mod tables;

pub use tables::Table;

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use tables::TableBuffer;

/// The `created_by` written into every file's footer: fixed, so files do not
/// change with the parquet crate's patch version.
pub const CREATED_BY: &str = concat!("eventline-parquet ", env!("CARGO_PKG_VERSION"));

/// What can go wrong while writing partitions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The output directory already holds something; the writer never overwrites.
    #[error("{}: output directory is not empty (the Parquet writer never overwrites)", dir.display())]
    NotEmpty {
        /// The directory.
        dir: PathBuf,
    },
    /// A file or directory could not be created, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The Parquet encoder failed on a file.
    #[error("{}: {source}", path.display())]
    Parquet {
        /// The file being written.
        path: PathBuf,
        /// The cause.
        source: ParquetError,
    },
    /// Buffered rows did not form a valid Arrow batch (a bug in this crate).
    #[error("table {table}: {source}")]
    Arrow {
        /// The table.
        table: &'static str,
        /// The cause.
        source: arrow_schema::ArrowError,
    },
    /// A document whose spans do not fit its text; nothing of it was written.
    #[error("document {id:?}: {message}")]
    InvalidDocument {
        /// The document's id.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// When buffered rows are written out as a row group. Whichever limit is
/// reached first flushes; a month change always does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterOptions {
    /// Documents per row group (default 1,000).
    pub max_documents: usize,
    /// Rows buffered over all tables (default 500,000; tokens are most of them).
    pub max_rows: usize,
    /// Approximate bytes buffered over all tables (default 64 MiB).
    pub max_bytes: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            max_documents: 1_000,
            max_rows: 500_000,
            max_bytes: 64 << 20,
        }
    }
}

/// What a finished writer wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents written.
    pub documents: u64,
    /// Rows written per table.
    pub rows: BTreeMap<Table, u64>,
    /// Row groups written per table (a table with no rows in a flush gets none).
    pub row_groups: BTreeMap<Table, u64>,
    /// Every file written, relative to the output directory, in creation order.
    pub files: Vec<PathBuf>,
}

impl Summary {
    /// Rows written to one table.
    pub fn rows(&self, table: Table) -> u64 {
        self.rows.get(&table).copied().unwrap_or(0)
    }
}

/// One table's open file in the current partition.
struct TableFile {
    table: Table,
    path: PathBuf,
    /// Buffers its own writes (the parquet crate wraps the file in a `BufWriter`).
    writer: ArrowWriter<File>,
}

/// The month whose files are open, and its rows not yet written.
struct Partition {
    month: String,
    /// One per table, in [`Table::ALL`] order.
    files: Vec<TableFile>,
    /// One per table, in [`Table::ALL`] order.
    buffers: Vec<TableBuffer>,
    buffered_documents: usize,
}

/// Writes documents as Hive-partitioned Parquet files, one month's files open
/// at a time. Call [`PartitionWriter::finish`]: a writer dropped without it, or
/// after an error, leaves its open files without a footer (unreadable).
pub struct PartitionWriter {
    dir: PathBuf,
    options: WriterOptions,
    properties: WriterProperties,
    open: Option<Partition>,
    /// Next part number per month: a month seen again gets a new part.
    next_part: BTreeMap<String, u32>,
    summary: Summary,
}

impl PartitionWriter {
    /// A writer into `dir` with the default [`WriterOptions`]. Creates `dir`
    /// if needed; fails with [`Error::NotEmpty`] if it exists and holds anything.
    pub fn create(dir: &Path) -> Result<Self, Error> {
        Self::with_options(dir, WriterOptions::default())
    }

    /// A writer into `dir` flushing row groups by `options`.
    pub fn with_options(dir: &Path, options: WriterOptions) -> Result<Self, Error> {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(Error::NotEmpty {
                        dir: dir.to_path_buf(),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
        }
        let properties = WriterProperties::builder()
            .set_created_by(CREATED_BY.to_string())
            .set_compression(Compression::SNAPPY)
            // Row groups are cut by `options` only, so their bounds depend on
            // the documents alone.
            .set_max_row_group_row_count(None)
            .set_max_row_group_bytes(None)
            .build();
        Ok(Self {
            dir: dir.to_path_buf(),
            options: WriterOptions {
                max_documents: options.max_documents.max(1),
                max_rows: options.max_rows.max(1),
                max_bytes: options.max_bytes.max(1),
            },
            properties,
            open: None,
            next_part: BTreeMap::new(),
            summary: Summary::default(),
        })
    }

    /// Adds one document to its month's partition. An invalid document
    /// ([`Error::InvalidDocument`]) is rejected before anything of it is buffered.
    pub fn write(&mut self, doc: &model::Document) -> Result<(), Error> {
        tables::validate(doc)?;
        let month = tables::month_of(doc);
        if self.open.as_ref().is_some_and(|p| p.month != month) {
            self.close_partition()?;
        }
        let partition = match &mut self.open {
            Some(p) => p,
            None => {
                let p = self.open_partition(month)?;
                self.open.insert(p)
            }
        };
        tables::push_document(doc, &mut partition.buffers);
        partition.buffered_documents += 1;
        self.summary.documents += 1;
        let (rows, bytes) = partition
            .buffers
            .iter()
            .fold((0, 0), |(r, b), t| (r + t.rows(), b + t.bytes()));
        if partition.buffered_documents >= self.options.max_documents
            || rows >= self.options.max_rows
            || bytes >= self.options.max_bytes
        {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the open partition's footers and returns what was written.
    pub fn finish(mut self) -> Result<Summary, Error> {
        self.close_partition()?;
        Ok(std::mem::take(&mut self.summary))
    }

    /// Creates the files of a new part of `month`, one per table.
    fn open_partition(&mut self, month: String) -> Result<Partition, Error> {
        let part = self.next_part.entry(month.clone()).or_insert(0);
        let name = format!("part-{:05}.parquet", *part);
        *part += 1;
        let mut files = Vec::with_capacity(Table::ALL.len());
        let mut buffers = Vec::with_capacity(Table::ALL.len());
        for table in Table::ALL {
            let rel = Path::new(table.name())
                .join(format!("month={month}"))
                .join(&name);
            let path = self.dir.join(&rel);
            let io = |source| Error::Io {
                path: path.clone(),
                source,
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            // `create_new`: an existing file is an error, never overwritten.
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(io)?;
            let buffer = TableBuffer::new(table);
            let writer = ArrowWriter::try_new(file, buffer.schema(), Some(self.properties.clone()))
                .map_err(|source| Error::Parquet {
                    path: path.clone(),
                    source,
                })?;
            self.summary.files.push(rel);
            files.push(TableFile {
                table,
                path,
                writer,
            });
            buffers.push(buffer);
        }
        Ok(Partition {
            month,
            files,
            buffers,
            buffered_documents: 0,
        })
    }

    /// Writes the buffered rows of the open partition as one row group per table.
    fn flush(&mut self) -> Result<(), Error> {
        let Some(p) = &mut self.open else {
            return Ok(());
        };
        for (f, buffer) in p.files.iter_mut().zip(&mut p.buffers) {
            let rows = buffer.rows();
            if rows == 0 {
                continue;
            }
            let batch = buffer.take_batch()?;
            let perr = |source| Error::Parquet {
                path: f.path.clone(),
                source,
            };
            f.writer.write(&batch).map_err(perr)?;
            f.writer.flush().map_err(perr)?;
            *self.summary.rows.entry(f.table).or_default() += rows as u64;
            *self.summary.row_groups.entry(f.table).or_default() += 1;
        }
        p.buffered_documents = 0;
        Ok(())
    }

    /// Flushes and closes the open partition's files.
    fn close_partition(&mut self) -> Result<(), Error> {
        self.flush()?;
        let Some(p) = self.open.take() else {
            return Ok(());
        };
        for f in p.files {
            let path = f.path;
            // Writes the footer and flushes the parquet crate's buffer.
            f.writer
                .into_inner()
                .map_err(|source| Error::Parquet { path, source })?;
        }
        Ok(())
    }
}
