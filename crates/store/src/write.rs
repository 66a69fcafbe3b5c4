//! "Here is one ingest: documents, the entity index, the windows it touched.
//! Keep all of it, or none of it."
//!
//! [`Write`] is one write transaction: readers see the store before it or
//! after it, never half of it, so the timeline stored always matches the
//! documents stored.

use crate::documents::{self, Upserted};
use crate::{Store, StoreError, codec, sql_err, timeline};
use model::{Document, Entity, Event, FramingStory};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One row of the entity index: a document's local entity, its link key and
/// the real-world entity it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalEntityRow {
    /// The local entity (its `id` is local to the document).
    pub local: Entity,
    /// The resolved link key.
    pub key: String,
    /// People: the family skeleton it is filed under.
    pub family: Option<String>,
    /// Full names: the family name's transliteration key.
    pub last: Option<String>,
    /// Lone names: the one name's transliteration key.
    pub token: Option<String>,
    /// The real-world entity id.
    pub entity_id: String,
}

/// A lone name in the entity index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoneRow {
    /// Document id.
    pub doc_id: String,
    /// Local entity id within the document.
    pub local_id: String,
    /// The one name's transliteration key.
    pub token: String,
    /// The real-world entity it belongs to now.
    pub entity_id: String,
}

/// One write transaction over the store; dropped without [`Write::commit`], it rolls back.
pub struct Write<'s> {
    pub(crate) tx: Transaction<'s>,
    pub(crate) path: PathBuf,
}

impl Store {
    /// How long [`Store::write`] waits in all for other writers before it
    /// gives up: another ingest may hold the write lock for as long as its
    /// cross-document step takes, which is far longer than the busy timeout
    /// of one attempt.
    pub const WRITE_WAIT: Duration = Duration::from_secs(600);

    /// Starts a write transaction, waiting for other writers: each attempt
    /// waits up to [`Store::BUSY_TIMEOUT`], and attempts are repeated while
    /// the database stays locked, up to [`Store::WRITE_WAIT`].
    pub fn write(&mut self) -> Result<Write<'_>, StoreError> {
        let path = self.path.clone();
        let start = Instant::now();
        loop {
            // `&mut self` makes this the only transaction on the connection
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Ok(tx) => return Ok(Write { tx, path }),
                Err(e) if is_busy(&e) && start.elapsed() < Self::WRITE_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(sql_err(&path, "begin write")(e)),
            }
        }
    }
}

/// Whether SQLite refused because another connection holds the lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl Write<'_> {
    fn path(&self) -> &Path {
        &self.path
    }

    /// Commits everything written.
    pub fn commit(self) -> Result<(), StoreError> {
        let path = self.path.clone();
        self.tx.commit().map_err(sql_err(&path, "commit"))
    }

    /// Stores one analysed document (text, metadata, analysis blob, layer
    /// rows) in `window`. A new id is inserted; a known id whose fingerprint
    /// or window differs is rewritten, its layer rows and index rows replaced;
    /// an identical one is left untouched.
    pub fn upsert_document(&self, doc: &Document, window: &str) -> Result<Upserted, StoreError> {
        documents::upsert_document(&self.tx, &self.path, doc, window)
    }

    /// Moves a stored document to another window.
    pub fn set_window(&self, doc_id: &str, window: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE documents SET window = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![doc_id, window]))
            .map(|_| ())
            .map_err(sql_err(self.path(), "set window"))
    }

    /// Number of stored documents dated from `from` to `to` (ISO days, inclusive).
    pub fn count_dated(&self, from: &str, to: &str) -> Result<usize, StoreError> {
        self.tx
            .prepare_cached("SELECT count(*) FROM documents WHERE date >= ?1 AND date <= ?2")
            .and_then(|mut s| s.query_row(params![from, to], |r| r.get::<_, i64>(0)))
            .map(|n| n as usize)
            .map_err(sql_err(self.path(), "count documents by date"))
    }

    /// Stored documents dated from `from` to `to`: (id, date, window).
    pub fn dated(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let op = "read documents by date";
        let mut s = self
            .tx
            .prepare_cached(
                "SELECT id, date, window FROM documents WHERE date >= ?1 AND date <= ?2 ORDER BY id",
            )
            .map_err(sql_err(self.path(), op))?;
        let rows = s
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(sql_err(self.path(), op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(self.path(), op))
    }

    /// Replaces the entity index rows of a document.
    pub fn set_local_entities(
        &self,
        doc_id: &str,
        rows: &[LocalEntityRow],
    ) -> Result<(), StoreError> {
        let op = || format!("write entity index of {doc_id}");
        self.tx
            .prepare_cached("DELETE FROM local_entities WHERE doc_id = ?1")
            .and_then(|mut s| s.execute([doc_id]))
            .map_err(sql_err(self.path(), op()))?;
        let mut ins = self
            .tx
            .prepare_cached(
                "INSERT INTO local_entities (doc_id, local_id, key, family, last, token, entity_id, \
                 record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(sql_err(self.path(), op()))?;
        for r in rows {
            ins.execute(params![
                doc_id,
                r.local.id,
                r.key,
                r.family,
                r.last,
                r.token,
                r.entity_id,
                codec::encode(&r.local)
            ])
            .map_err(sql_err(self.path(), op()))?;
        }
        self.tx
            .prepare_cached(
                "UPDATE entity_mentions SET entity_id = (SELECT l.entity_id FROM local_entities l \
                 WHERE l.doc_id = entity_mentions.doc_id AND l.local_id = entity_mentions.local_entity) \
                 WHERE doc_id = ?1",
            )
            .and_then(|mut s| s.execute([doc_id]))
            .map_err(sql_err(self.path(), op()))?;
        Ok(())
    }

    /// The real-world entities the local entities of a document belong to.
    pub fn entities_of_document(&self, doc_id: &str) -> Result<BTreeSet<String>, StoreError> {
        let op = "read entity index";
        let mut s = self
            .tx
            .prepare_cached("SELECT DISTINCT entity_id FROM local_entities WHERE doc_id = ?1")
            .map_err(sql_err(self.path(), op))?;
        let rows = s
            .query_map([doc_id], |r| r.get(0))
            .map_err(sql_err(self.path(), op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(self.path(), op))
    }

    /// Full person names filed under a family skeleton: (key, family name key).
    pub fn family(&self, family: &str) -> Result<BTreeSet<(String, String)>, StoreError> {
        let op = "read family index";
        let mut s = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT key, last FROM local_entities WHERE family = ?1 AND last IS NOT NULL",
            )
            .map_err(sql_err(self.path(), op))?;
        let rows = s
            .query_map([family], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err(self.path(), op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(self.path(), op))
    }

    /// Lone names filed under a family skeleton.
    pub fn lone_names(&self, family: &str) -> Result<Vec<LoneRow>, StoreError> {
        let op = "read lone names";
        let mut s = self
            .tx
            .prepare_cached(
                "SELECT doc_id, local_id, token, entity_id FROM local_entities \
                 WHERE family = ?1 AND token IS NOT NULL ORDER BY doc_id, local_id",
            )
            .map_err(sql_err(self.path(), op))?;
        let rows = s
            .query_map([family], |r| {
                Ok(LoneRow {
                    doc_id: r.get(0)?,
                    local_id: r.get(1)?,
                    token: r.get(2)?,
                    entity_id: r.get(3)?,
                })
            })
            .map_err(sql_err(self.path(), op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(self.path(), op))
    }

    /// Re-links one local entity (a lone name re-decided) to another key and entity.
    pub fn relink(
        &self,
        doc_id: &str,
        local_id: &str,
        key: &str,
        entity_id: &str,
    ) -> Result<(), StoreError> {
        let op = "relink local entity";
        self.tx
            .prepare_cached(
                "UPDATE local_entities SET key = ?3, entity_id = ?4 WHERE doc_id = ?1 AND local_id = ?2",
            )
            .and_then(|mut s| s.execute(params![doc_id, local_id, key, entity_id]))
            .map_err(sql_err(self.path(), op))?;
        self.tx
            .prepare_cached(
                "UPDATE entity_mentions SET entity_id = ?3 WHERE doc_id = ?1 AND local_entity = ?2",
            )
            .and_then(|mut s| s.execute(params![doc_id, local_id, entity_id]))
            .map_err(sql_err(self.path(), op))?;
        Ok(())
    }

    /// The window a stored document is in.
    pub fn window_of(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        self.tx
            .prepare_cached("SELECT window FROM documents WHERE id = ?1")
            .and_then(|mut s| s.query_row([doc_id], |r| r.get(0)).optional())
            .map(Option::flatten)
            .map_err(sql_err(self.path(), "read window"))
    }

    /// Recomputes the stored record of a real-world entity from the local
    /// entities linked to it (`aggregate`). Returns `None`, and writes
    /// nothing, when none is left: delete it with [`Write::delete_entity`]
    /// once no event names it any more.
    pub fn refresh_entity(
        &self,
        id: &str,
        aggregate: impl Fn(&str, &[&Entity]) -> Entity,
    ) -> Result<Option<Entity>, StoreError> {
        let op = format!("refresh entity {id}");
        let mut s = self
            .tx
            .prepare_cached(
                "SELECT record FROM local_entities WHERE entity_id = ?1 ORDER BY doc_id, local_id",
            )
            .map_err(sql_err(self.path(), op.clone()))?;
        let blobs: Vec<Vec<u8>> = s
            .query_map([id], |r| r.get(0))
            .map_err(sql_err(self.path(), op.clone()))?
            .collect::<Result<_, _>>()
            .map_err(sql_err(self.path(), op.clone()))?;
        let locals: Vec<Entity> = blobs
            .iter()
            .map(|b| codec::decode(b))
            .collect::<Result<_, _>>()
            .map_err(|e| crate::corrupt(self.path(), &op, e))?;
        if locals.is_empty() {
            return Ok(None);
        }
        let refs: Vec<&Entity> = locals.iter().collect();
        let e = aggregate(id, &refs);
        timeline::write_entity(&self.tx, &e).map_err(sql_err(self.path(), op))?;
        Ok(Some(e))
    }

    /// Deletes a real-world entity that no local entity belongs to any more.
    pub fn delete_entity(&self, id: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "DELETE FROM entities WHERE id = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM local_entities WHERE entity_id = ?1)",
            )
            .and_then(|mut s| s.execute([id]))
            .map(|_| ())
            .map_err(sql_err(self.path(), "delete entity"))
    }

    /// The documents of a window with their layers, entity mentions naming
    /// real-world entities; sorted by id.
    pub fn window_documents(&self, window: &str) -> Result<Vec<Document>, StoreError> {
        documents::load(
            &self.tx,
            &self.path,
            "WHERE window = ?1",
            rusqlite::params![window],
        )
    }

    /// Replaces everything `window` produced (events and framing stories) by
    /// the given ones, and records the reprint links found in the window.
    pub fn replace_window(
        &self,
        window: &str,
        docs: &[Document],
        events: &[Event],
        framing: &[FramingStory],
    ) -> Result<(), StoreError> {
        let op = format!("replace window {window}");
        let err = sql_err(self.path(), op.clone());
        let run = || -> rusqlite::Result<()> {
            self.tx
                .prepare_cached("DELETE FROM events WHERE window = ?1")?
                .execute([window])?;
            self.tx
                .prepare_cached("DELETE FROM framing_stories WHERE window = ?1")?
                .execute([window])?;
            let mut dup = self
                .tx
                .prepare_cached("UPDATE documents SET duplicate_of = ?2 WHERE id = ?1")?;
            for d in docs {
                dup.execute(params![d.id, d.duplicate_of])?;
            }
            timeline::write_events(&self.tx, Some(window), events)?;
            timeline::write_window_framing(&self.tx, Some(window), framing)
        };
        run().map_err(err)
    }

    /// Removes what a window that no longer holds any document produced.
    pub fn clear_window(&self, window: &str) -> Result<(), StoreError> {
        self.replace_window(window, &[], &[], &[])
    }
}
