//! "Give me a read-only connection to the store, and run this in one read
//! transaction": a small pool of SQLite connections opened with
//! `SQLITE_OPEN_READ_ONLY`, checked once at start-up.

use crate::ServerError;
use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// `PRAGMA application_id` of eventline stores ("EVLN").
const APPLICATION_ID: i32 = 0x4556_4C4E;

/// Up to `size` read-only connections, opened on demand and reused.
#[derive(Debug)]
pub struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

/// An error of one request's query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// SQLite failed.
    #[error("store query failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task failed.
    #[error("query task failed: {0}")]
    Task(String),
}

impl Pool {
    /// Checks that `path` is an eventline store at [`store::SCHEMA_VERSION`]
    /// and keeps its first connection.
    pub fn open(path: &Path, size: usize) -> Result<Pool, ServerError> {
        if !path.is_file() {
            return Err(ServerError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = open_read_only(path)?;
        let sql = |op: &str| {
            let path = path.to_path_buf();
            let op = op.to_string();
            move |source| ServerError::Sqlite { path, op, source }
        };
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(sql("read application id"))?;
        if app != APPLICATION_ID {
            return Err(ServerError::NotEventline {
                path: path.to_path_buf(),
                found: app,
            });
        }
        let found: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql("read schema version"))?;
        let supported = store::SCHEMA_VERSION;
        if found > supported {
            return Err(ServerError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        if found < supported {
            return Err(ServerError::OlderSchema {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        Ok(Pool {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![conn]),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    /// Runs `f` in one read transaction on a pooled connection, off the async threads.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, QueryError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| QueryError::Task(e.to_string()))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.read_blocking(f))
            .await
            .map_err(|e| QueryError::Task(e.to_string()))?
    }

    fn read_blocking<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, QueryError> {
        let taken = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        let mut conn = match taken {
            Some(c) => c,
            None => open_read_only(&self.path).map_err(|e| match e {
                ServerError::Sqlite { source, .. } => QueryError::Sqlite(source),
                other => QueryError::Task(other.to_string()),
            })?,
        };
        let out = (|| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let v = f(&tx)?;
            tx.commit()?;
            Ok(v)
        })();
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
        out
    }
}

fn open_read_only(path: &Path) -> Result<Connection, ServerError> {
    let err = |op: &str| {
        let path = path.to_path_buf();
        let op = op.to_string();
        move |source| ServerError::Sqlite { path, op, source }
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err("open read-only"))?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(err("set busy_timeout"))?;
    // Pages are read through a memory map instead of a read() copy each:
    // a page of events cites hundreds of documents, and SQLite's own page
    // cache (2 MB per connection) holds few of them. The map is address
    // space, not memory: the pages are the file system's cache, shared by
    // every connection.
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)
        .map_err(err("set mmap_size"))?;
    Ok(conn)
}

/// How much of the store a connection maps (SQLite stops at its own
/// maximum, 2 GB unless built otherwise; the rest is read as usual).
const MMAP_BYTES: i64 = 1 << 32;
