//! "Here are analysed documents that are not in the timeline yet: keep them
//! until an ingest takes them up."
//!
//! A large ingest analyses its input chunk by chunk and stages each chunk
//! ([`Store::stage`], one short transaction), so memory holds one chunk at a
//! time; one [`Write`] then takes every staged document up
//! ([`Write::take_staged`]) and resolves the windows they touch. Readers
//! never see staged documents.

use crate::{Store, StoreError, Write, codec, corrupt, sql_err};
use model::Document;
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Stages analysed documents in one transaction; a staged document with
    /// the same id is replaced.
    pub fn stage(&mut self, docs: &[Document]) -> Result<(), StoreError> {
        let w = self.write()?;
        {
            let mut ins = w
                .tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO staged (id, content_hash, document) VALUES (?1, ?2, ?3)",
                )
                .map_err(sql_err(&w.path, "stage documents"))?;
            for d in docs {
                ins.execute(params![
                    d.id,
                    d.content_hash,
                    codec::deflated_at(d, flate2::Compression::fast())
                ])
                .map_err(sql_err(&w.path, "stage documents"))?;
            }
        }
        w.commit()
    }

    /// The content hash of a staged document, or `None` when `id` is not staged.
    pub fn staged_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT content_hash FROM staged WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(sql_err(&self.path, "read staged content hash"))
    }

    /// How many documents are staged.
    pub fn staged_count(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM staged", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(sql_err(&self.path, "count staged documents"))
    }
}

impl Write<'_> {
    /// Ids of every staged document, sorted.
    pub fn staged_ids(&self) -> Result<Vec<String>, StoreError> {
        crate::ids(
            &self.tx,
            &self.path,
            "SELECT id FROM staged ORDER BY id",
            "read staged ids",
        )
    }

    /// Removes a staged document from staging and returns it (`None` when
    /// `id` is not staged).
    pub fn take_staged(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let op = "take staged document";
        let blob: Option<Vec<u8>> = self
            .tx
            .prepare_cached("SELECT document FROM staged WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(sql_err(&self.path, op))?;
        let Some(blob) = blob else {
            return Ok(None);
        };
        let doc: Document = codec::inflated(&blob)
            .map_err(|e| corrupt(&self.path, op, format!("staged document {id}: {e}")))?;
        self.tx
            .prepare_cached("DELETE FROM staged WHERE id = ?1")
            .and_then(|mut s| s.execute([id]))
            .map_err(sql_err(&self.path, op))?;
        Ok(Some(doc))
    }
}
