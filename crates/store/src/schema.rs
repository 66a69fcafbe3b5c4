//! "Which schema is this file at, and how do I bring it to the current one?"

use crate::{StoreError, sql_err};
use rusqlite::Connection;
use std::path::Path;

/// The ordered migrations: entry `i` takes a database from version `i` to `i + 1`.
/// Never edit a released entry; append a new one.
pub const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_initial.sql"),
    include_str!("schema/002_date_source.sql"),
    include_str!("schema/003_framing.sql"),
    include_str!("schema/004_incremental.sql"),
    include_str!("schema/005_search.sql"),
    include_str!("schema/006_staging.sql"),
    include_str!("schema/007_compact.sql"),
    include_str!("schema/008_timeline_order.sql"),
    include_str!("schema/009_lean.sql"),
];

/// The schema version this build writes: the number of [`MIGRATIONS`].
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// `PRAGMA application_id` of eventline databases ("EVLN").
pub const APPLICATION_ID: i32 = 0x4556_4C4E;

/// Reads `PRAGMA user_version`.
pub(crate) fn user_version(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    conn.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))
        .map_err(sql_err(path, "read schema version"))
}

/// Brings the database to `migrations.len()`, one transaction per step. Refuses a
/// newer version or a foreign application id.
pub(crate) fn migrate(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
) -> Result<u32, StoreError> {
    let target = migrations.len() as u32;
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(sql_err(path, "read application id"))?;
    if app != 0 && app != APPLICATION_ID {
        return Err(StoreError::NotEventline {
            path: path.to_path_buf(),
            found: app,
        });
    }
    let found = user_version(conn, path)?;
    if found > target {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: target,
        });
    }
    for (i, sql) in migrations.iter().enumerate().skip(found as usize) {
        let to = i as u32 + 1;
        let op = format!("migrate schema to version {to}");
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql_err(path, op.clone()))?;
        // Another process may have migrated while we waited for the lock.
        let now = user_version(&tx, path)?;
        if now >= to {
            continue;
        }
        tx.execute_batch(sql).map_err(sql_err(path, op.clone()))?;
        tx.pragma_update(None, "user_version", to)
            .map_err(sql_err(path, op.clone()))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sql_err(path, op.clone()))?;
        tx.commit().map_err(sql_err(path, op))?;
    }
    user_version(conn, path)
}
