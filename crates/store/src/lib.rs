//! eventline's embedded store: SQLite through rusqlite (bundled).
//!
//! "Here are my documents and my timeline; keep them, and give them back byte for byte."
//!
//! The store persists [`model`] types and knows nothing of NLP. The schema is
//! versioned (`PRAGMA user_version` plus the ordered list [`MIGRATIONS`]); the
//! database runs in WAL mode with foreign keys on, and every write call is one
//! transaction, so an error rolls back that call only. The tables are meant to
//! be queried directly with `sqlite3` or Datasette: see `docs/schema.md`.
//!
//! Identity: a document is keyed by its `id`. [`Write::upsert_document`]
//! compares a SHA-256 fingerprint of the whole document (text, metadata,
//! content hash, duplicate link and every layer): equal means unchanged and
//! nothing is written; different means the row is updated in place and its
//! layers replaced. A document's whole analysis is one compact blob
//! (`documents.analysis`); the layer tables users query are written beside it.

mod codec;
mod documents;
mod schema;
mod staging;
mod timeline;
mod write;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use documents::Upserted;
pub use schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
pub use timeline::timeline_order;
pub use write::{LocalEntityRow, LoneRow, Write};

/// Errors of the store. Each names the database path and the operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed during an operation.
    #[error("{op} failed on {path}: {source}")]
    Sqlite {
        /// Database path (`:memory:` for an in-memory store).
        path: PathBuf,
        /// What the store was doing.
        op: String,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer eventline with a schema this build does not know.
    #[error(
        "{path} has schema version {found}, newer than the version {supported} this eventline \
         supports; upgrade eventline or use another --db file"
    )]
    NewerSchema {
        /// Database path.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// [`Store::open_existing`] was given a path where no file exists.
    #[error("{path} does not exist: no eventline database there yet")]
    Missing {
        /// Database path.
        path: PathBuf,
    },
    /// The file is an SQLite database that belongs to another application.
    #[error("{path} is not an eventline database (application_id {found:#x})")]
    NotEventline {
        /// Database path.
        path: PathBuf,
        /// The application id found in the file.
        found: i32,
    },
    /// A document cannot be stored as it is (an empty id, a span outside its text).
    #[error("cannot store document {id:?} in {path}: {message}")]
    InvalidDocument {
        /// Database path.
        path: PathBuf,
        /// Document id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A timeline cannot be stored as it is (a dangling entity or document id).
    #[error("cannot store the timeline in {path}: {message}")]
    InvalidTimeline {
        /// Database path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A stored value cannot be read back into a model type.
    #[error("{op} on {path}: unreadable stored value: {message}")]
    Corrupt {
        /// Database path.
        path: PathBuf,
        /// What the store was doing.
        op: String,
        /// What is wrong.
        message: String,
    },
}

/// What [`Store::upsert_documents`] did with each document id, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpsertReport {
    /// New ids, written.
    pub inserted: Vec<String>,
    /// Known ids whose text, metadata or layers changed, rewritten in place.
    pub updated: Vec<String>,
    /// Known ids identical to what is stored; nothing written.
    pub unchanged: Vec<String>,
}

/// Row counts and the schema version, for `eventline stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Schema version of the database file.
    pub schema_version: u32,
    /// Documents stored.
    pub documents: u64,
    /// Documents marked as a duplicate of another.
    pub duplicates: u64,
    /// Sentences over all documents.
    pub sentences: u64,
    /// Entity mentions over all documents.
    pub entity_mentions: u64,
    /// Time expressions over all documents.
    pub timexes: u64,
    /// Event mentions over all documents.
    pub event_mentions: u64,
    /// Timeline entities.
    pub entities: u64,
    /// Timeline events.
    pub events: u64,
    /// Timeline event sources.
    pub event_sources: u64,
}

/// An open eventline database. One writer at a time; other processes wait up to
/// [`Store::BUSY_TIMEOUT`] for a lock.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// How long a call waits for another connection's lock before failing.
    pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

    /// Opens (creating if needed) the database at `path` and migrates it to
    /// [`SCHEMA_VERSION`]. Refuses a database with a newer schema version, or
    /// one that belongs to another application.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::Sqlite {
            path: path.to_path_buf(),
            op: "open".into(),
            source: e,
        })?;
        Self::setup(conn, path.to_path_buf(), true)
    }

    /// Like [`Store::open`], but fails with [`StoreError::Missing`] instead of
    /// creating a new file: for commands that only read (export, serve).
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        Self::open(path)
    }

    /// Opens a fresh in-memory database (for tests and one-shot runs).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Sqlite {
            path: path.clone(),
            op: "open".into(),
            source: e,
        })?;
        Self::setup(conn, path, false)
    }

    fn setup(mut conn: Connection, path: PathBuf, wal: bool) -> Result<Store, StoreError> {
        let err = |op: &'static str| sql_err(&path, op);
        conn.busy_timeout(Self::BUSY_TIMEOUT)
            .map_err(err("set busy_timeout"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err("enable foreign keys"))?;
        if wal {
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
                .map_err(err("enable WAL journal"))?;
            conn.pragma_update(None, "synchronous", "NORMAL")
                .map_err(err("set synchronous"))?;
        }
        schema::migrate(&mut conn, &path, MIGRATIONS)?;
        Ok(Store { conn, path })
    }

    /// Starts a read snapshot: until the [`Snapshot`] is dropped, every read
    /// through this store (documents, timeline, stats) sees the same
    /// committed state, whatever other connections commit meanwhile. Without
    /// it each read call sees the state of its own moment, so a document
    /// list and a timeline read one after the other may disagree.
    pub fn snapshot(&self) -> Result<Snapshot<'_>, StoreError> {
        let err = |op: &'static str| sql_err(&self.path, op);
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(err("begin read snapshot"))?;
        // a deferred transaction takes its snapshot at its first read: now
        tx.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(err("begin read snapshot"))?;
        Ok(Snapshot { _tx: tx })
    }

    /// The database path (`:memory:` for an in-memory store).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::user_version(&self.conn, &self.path)
    }

    /// Row counts of the main tables and the schema version.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(sql_err(&self.path, "read stats"))
        };
        Ok(Stats {
            schema_version: self.schema_version()?,
            documents: count("SELECT count(*) FROM documents")?,
            duplicates: count("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            entity_mentions: count("SELECT count(*) FROM entity_mentions")?,
            timexes: count("SELECT count(*) FROM timexes")?,
            event_mentions: count("SELECT count(*) FROM event_mentions")?,
            entities: count("SELECT count(*) FROM entities")?,
            events: count("SELECT count(*) FROM events")?,
            event_sources: count("SELECT count(*) FROM event_sources")?,
        })
    }
}

/// A read transaction over a [`Store`] (see [`Store::snapshot`]); dropping
/// it ends the transaction. It only reads: a write needs `&mut Store`,
/// which the borrow checker refuses while a snapshot lives.
pub struct Snapshot<'s> {
    _tx: rusqlite::Transaction<'s>,
}

impl std::fmt::Debug for Snapshot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot").finish_non_exhaustive()
    }
}

/// Wraps a rusqlite error with the database path and the operation.
pub(crate) fn sql_err<O: Into<String>>(
    path: &Path,
    op: O,
) -> impl FnOnce(rusqlite::Error) -> StoreError + use<O> {
    let path = path.to_path_buf();
    let op = op.into();
    move |source| StoreError::Sqlite { path, op, source }
}

/// The single text column of every row `sql` selects, in its order.
pub(crate) fn ids(
    conn: &Connection,
    path: &Path,
    sql: &str,
    op: &str,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err(path, op))?;
    let rows = stmt
        .query_map([], |r| r.get(0))
        .map_err(sql_err(path, op))?;
    rows.collect::<Result<_, _>>().map_err(sql_err(path, op))
}

/// A stored value that does not read back into a model type.
pub(crate) fn corrupt(path: &Path, op: &str, message: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        op: op.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
