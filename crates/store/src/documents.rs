//! "Here are my documents with their layers: keep them, and give them back byte for byte."

use crate::{Store, StoreError, codec, corrupt, sql_err};
use model::{ByteSpan, DocMeta, Document, Layers};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Layer tables, children first, in the order their rows are deleted.
const LAYER_TABLES: [&str; 7] = [
    "event_mention_arguments",
    "event_mentions",
    "diagnostics",
    "timexes",
    "entity_mentions",
    "local_entities",
    "sentence_spans",
];

const ROLE_ACTOR: &str = "actor";
const ROLE_RECIPIENT: &str = "recipient";
const ROLE_PLACE: &str = "place";

impl Store {
    /// Stores documents in one transaction, in input order, each in the
    /// window of its month (the incremental pipeline recuts windows and
    /// writes the entity index; this is the documents-only path). See
    /// [`crate::Write::upsert_document`].
    pub fn upsert_documents(
        &mut self,
        docs: &[Document],
    ) -> Result<crate::UpsertReport, StoreError> {
        let w = self.write()?;
        let mut report = crate::UpsertReport::default();
        for d in docs {
            let month = match d.meta.date {
                Some(date) => date.format("%Y-%m").to_string(),
                None => "undated".to_string(),
            };
            match w.upsert_document(d, &month)? {
                Upserted::Inserted => report.inserted.push(d.id.clone()),
                Upserted::Updated { .. } => report.updated.push(d.id.clone()),
                Upserted::Unchanged => report.unchanged.push(d.id.clone()),
            }
        }
        w.commit()?;
        Ok(report)
    }

    /// One stored document with all its layers (from its analysis), or
    /// `None` for an unknown id. Entity mentions name their real-world
    /// entity when the timeline has been resolved.
    pub fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        Ok(self
            .load("WHERE id = ?1", rusqlite::params![id])?
            .into_iter()
            .next())
    }

    /// The documents of one window, sorted by id, with their layers and
    /// their entity mentions naming real-world entities.
    pub fn window_documents(&self, window: &str) -> Result<Vec<Document>, StoreError> {
        self.load("WHERE window = ?1", rusqlite::params![window])
    }

    /// Calls `f` on every stored document in id order, one at a time (memory
    /// does not grow with the store). With `layers` false the documents come
    /// without their layers (text and metadata only), which is much faster.
    ///
    /// `f`'s error type is the caller's: returning an error stops the walk and
    /// comes back as is.
    pub fn for_each_document<E: From<StoreError>>(
        &self,
        layers: bool,
        mut f: impl FnMut(Document) -> Result<(), E>,
    ) -> Result<(), E> {
        let path = self.path.as_path();
        let op = "read documents";
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{DOC_COLUMNS} ORDER BY id"))
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let mut doc = read_doc(path, r, layers)?;
            if layers {
                self.apply_global_ids(&mut doc)?;
            }
            f(doc)?;
        }
        Ok(())
    }

    /// Every stored document's metadata (id, hash, date, outlet, title, URL,
    /// duplicate mark), by id, with an empty text and no layers: what a
    /// writer needs to cite documents, a few hundred bytes each.
    pub fn document_metas(&self) -> Result<Vec<Document>, StoreError> {
        let path = self.path.as_path();
        let op = "read document metadata";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, '', content_hash, duplicate_of, date, outlet, distributor, \
                 dateline, path, title, url, NULL FROM documents ORDER BY id",
            )
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        let mut docs = Vec::new();
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            docs.push(read_doc(path, r, false)?);
        }
        Ok(docs)
    }

    /// Calls `f` on every stored document with its layers, by date (undated
    /// last), then id, one at a time: the order partitioned writers want.
    pub fn for_each_document_by_date(
        &self,
        mut f: impl FnMut(Document) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let path = self.path.as_path();
        let op = "read documents by date";
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{DOC_COLUMNS} ORDER BY date IS NULL, date, id"))
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let mut doc = read_doc(path, r, true)?;
            self.apply_global_ids(&mut doc)?;
            f(doc)?;
        }
        Ok(())
    }

    /// The diagnostics stored with a document (what its stages noted), in
    /// order; empty for an unknown id.
    pub fn diagnostics(&self, id: &str) -> Result<Vec<model::Diagnostic>, StoreError> {
        let op = "read diagnostics";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT stage, message, start_byte, end_byte FROM diagnostics \
                 WHERE doc_id = ?1 ORDER BY idx",
            )
            .map_err(sql_err(&self.path, op))?;
        let rows = stmt
            .query_map([id], |r| {
                let (start, end): (Option<usize>, Option<usize>) = (r.get(2)?, r.get(3)?);
                Ok(model::Diagnostic {
                    stage: r.get(0)?,
                    message: r.get(1)?,
                    span: start.zip(end).map(|(a, b)| ByteSpan::new(a, b)),
                })
            })
            .map_err(sql_err(&self.path, op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(&self.path, op))
    }

    /// The stored `content_hash` of a document id, or `None` when it is not stored.
    pub fn content_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT content_hash FROM documents WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(sql_err(&self.path, "read content hash"))
    }

    /// A stored document's `content_hash`, and whether it has an analysis
    /// (documents stored by an older version have none); `None` when the id
    /// is not stored.
    pub fn stored_state(&self, id: &str) -> Result<Option<(String, bool)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT content_hash, analysis IS NOT NULL FROM documents WHERE id = ?1",
            )
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(sql_err(&self.path, "read stored state"))
    }

    /// Ids of stored documents without an analysis (stored by an older
    /// version): they must be analysed again from their text.
    pub fn unanalysed(&self) -> Result<Vec<String>, StoreError> {
        crate::ids(
            &self.conn,
            &self.path,
            "SELECT id FROM documents WHERE analysis IS NULL ORDER BY id",
            "read unanalysed documents",
        )
    }

    fn load(&self, filter: &str, p: impl rusqlite::Params) -> Result<Vec<Document>, StoreError> {
        load(&self.conn, &self.path, filter, p)
    }

    fn apply_global_ids(&self, doc: &mut Document) -> Result<(), StoreError> {
        apply_global_ids(&self.conn, &self.path, doc)
    }
}

/// Documents matching `filter` (a `WHERE` clause over `documents`), sorted by id.
pub(crate) fn load(
    conn: &rusqlite::Connection,
    path: &Path,
    filter: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Document>, StoreError> {
    {
        let op = "read documents";
        let mut stmt = conn
            .prepare_cached(&format!("{DOC_COLUMNS} {filter} ORDER BY id"))
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query(p).map_err(sql_err(path, op))?;
        let mut docs = Vec::new();
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let mut doc = read_doc(path, r, true)?;
            apply_global_ids(conn, path, &mut doc)?;
            docs.push(doc);
        }
        Ok(docs)
    }
}

/// Sets each entity mention's `entity`, and each local entity's `id`, to
/// its real-world entity (from the entity index); mentions get `None`
/// before resolution.
pub(crate) fn apply_global_ids(
    conn: &rusqlite::Connection,
    path: &Path,
    doc: &mut Document,
) -> Result<(), StoreError> {
    if doc.layers.local_entities.is_empty() {
        return Ok(());
    }
    let op = "read entity index";
    let mut stmt = conn
        .prepare_cached("SELECT local_id, entity_id FROM local_entities WHERE doc_id = ?1")
        .map_err(sql_err(path, op))?;
    let map: BTreeMap<String, String> = stmt
        .query_map([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err(path, op))?
        .collect::<Result<_, _>>()
        .map_err(sql_err(path, op))?;
    for m in &mut doc.layers.entities {
        m.entity = m.entity.as_ref().and_then(|l| map.get(l).cloned());
    }
    for e in &mut doc.layers.local_entities {
        if let Some(g) = map.get(&e.id) {
            e.id = g.clone();
        }
    }
    Ok(())
}

const DOC_COLUMNS: &str = "SELECT id, text, content_hash, duplicate_of, date, outlet, distributor, \
                           dateline, path, title, url, analysis FROM documents";

/// One document from a row of [`DOC_COLUMNS`]; its layers from the analysis blob when asked.
fn read_doc(path: &Path, r: &rusqlite::Row, layers: bool) -> Result<Document, StoreError> {
    let op = "read documents";
    let g = || -> rusqlite::Result<Document> {
        Ok(Document {
            id: r.get(0)?,
            text: r.get(1)?,
            content_hash: r.get(2)?,
            duplicate_of: r.get(3)?,
            meta: DocMeta {
                date: None,
                outlet: r.get(5)?,
                distributor: r.get(6)?,
                dateline: r.get(7)?,
                path: r.get(8)?,
                title: r.get(9)?,
                url: r.get(10)?,
            },
            layers: Layers::default(),
        })
    };
    let mut doc = g().map_err(sql_err(path, op))?;
    let date: Option<String> = r.get(4).map_err(sql_err(path, op))?;
    if let Some(d) = date {
        doc.meta.date = Some(
            d.parse()
                .map_err(|e| corrupt(path, op, format!("document {}: date {d:?}: {e}", doc.id)))?,
        );
    }
    if layers {
        let blob: Option<Vec<u8>> = r.get(11).map_err(sql_err(path, op))?;
        if let Some(b) = blob {
            doc.layers = codec::decode_layers(&b, &doc.text)
                .map_err(|e| corrupt(path, op, format!("document {}: analysis: {e}", doc.id)))?;
        }
    }
    Ok(doc)
}

/// SHA-256 (hex) of the document's JSON form: every field, every layer.
fn fingerprint(doc: &Document) -> String {
    struct HashWriter(Sha256);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(Sha256::new());
    // Serializing plain structs without maps cannot fail; should it ever, the
    // fingerprint stays unique to this call and the document is simply rewritten.
    if serde_json::to_writer(&mut w, doc).is_err() {
        w.0.update(b"\0unserializable");
    }
    w.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks what the store relies on: a non-empty id and every span on char boundaries
/// inside the text.
fn validate(path: &Path, doc: &Document) -> Result<(), StoreError> {
    let invalid = |message: String| StoreError::InvalidDocument {
        path: path.to_path_buf(),
        id: doc.id.clone(),
        message,
    };
    if doc.id.is_empty() {
        return Err(invalid("empty id".into()));
    }
    doc.check_spans().map_err(invalid)?;
    let check = |what: &str, s: ByteSpan| {
        if doc.text.get(s.range()).is_none() {
            Err(invalid(format!(
                "{what} span {}..{} is not inside the text on char boundaries",
                s.start, s.end
            )))
        } else {
            Ok(())
        }
    };
    for (i, ev) in doc.layers.events.iter().enumerate() {
        let args = ev.actors.iter().chain(&ev.recipients).chain(&ev.place);
        for a in args {
            check(&format!("event mention {i} argument"), a.span)?;
        }
    }
    for d in &doc.layers.diagnostics {
        if let Some(s) = d.span {
            check("diagnostic", s)?;
        }
    }
    Ok(())
}

/// The words a (validated) span covers.
fn words(doc: &Document, s: ByteSpan) -> &str {
    doc.text.get(s.range()).unwrap_or_default()
}

fn write_row(
    tx: &Transaction,
    doc: &Document,
    fp: &str,
    window: &str,
    update: bool,
) -> rusqlite::Result<()> {
    let sql = if update {
        "UPDATE documents SET date = ?2, outlet = ?3, distributor = ?4, dateline = ?5, \
         title = ?6, url = ?7, path = ?8, duplicate_of = ?9, content_hash = ?10, \
         fingerprint = ?11, text = ?12, window = ?13, analysis = ?14 WHERE id = ?1"
    } else {
        "INSERT INTO documents (id, date, outlet, distributor, dateline, title, url, path, \
         duplicate_of, content_hash, fingerprint, text, window, analysis) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    };
    let m = &doc.meta;
    tx.prepare_cached(sql)?.execute(params![
        doc.id,
        m.date.map(|d| d.format("%Y-%m-%d").to_string()),
        m.outlet,
        m.distributor,
        m.dateline,
        m.title,
        m.url,
        m.path,
        doc.duplicate_of,
        doc.content_hash,
        fp,
        doc.text,
        window,
        codec::encode_layers(&doc.layers, &doc.text),
    ])?;
    Ok(())
}

fn delete_layers(tx: &Transaction, id: &str) -> rusqlite::Result<()> {
    for table in LAYER_TABLES {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([id])?;
    }
    Ok(())
}

fn insert_layers(tx: &Transaction, doc: &Document) -> rusqlite::Result<()> {
    let id = doc.id.as_str();
    let l = &doc.layers;

    let mut st = tx.prepare_cached(
        "INSERT INTO sentence_spans (doc_id, idx, start_byte, end_byte) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, s) in l.sentences.iter().enumerate() {
        st.execute(params![id, i, s.span.start, s.span.end])?;
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO entity_mentions (doc_id, idx, start_byte, end_byte, text, label, \
         local_entity, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, m) in l.entities.iter().enumerate() {
        st.execute(params![
            id,
            i,
            m.span.start,
            m.span.end,
            words(doc, m.span),
            m.label,
            m.entity,
            codec::origin(m.origin)
        ])?;
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO timexes (doc_id, idx, start_byte, end_byte, text, type, value) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, t) in l.timexes.iter().enumerate() {
        st.execute(params![
            id,
            i,
            t.span.start,
            t.span.end,
            words(doc, t.span),
            codec::timex_type(t.kind),
            t.value
        ])?;
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO event_mentions (doc_id, idx, trigger_start, trigger_end, trigger, \
         sentence_idx, type, mode, status, timex_idx, date, date_precision, quote_start, \
         quote_end, quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut arg = tx.prepare_cached(
        "INSERT INTO event_mention_arguments (doc_id, event_idx, role, position, start_byte, \
         end_byte, text, mention_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, e) in l.events.iter().enumerate() {
        st.execute(params![
            id,
            i,
            e.trigger.start,
            e.trigger.end,
            words(doc, e.trigger),
            e.sentence,
            codec::event_type(e.kind),
            e.mode,
            codec::status(e.status),
            e.timex,
            e.date,
            codec::precision(e.date_precision),
            e.quote.map(|q| q.start),
            e.quote.map(|q| q.end),
            e.quote.map(|q| words(doc, q)),
        ])?;
        let roles = [
            (ROLE_ACTOR, e.actors.as_slice()),
            (ROLE_RECIPIENT, e.recipients.as_slice()),
            (ROLE_PLACE, e.place.as_slice()),
        ];
        for (role, args) in roles {
            for (p, a) in args.iter().enumerate() {
                arg.execute(params![
                    id,
                    i,
                    role,
                    p,
                    a.span.start,
                    a.span.end,
                    words(doc, a.span),
                    a.mention
                ])?;
            }
        }
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO diagnostics (doc_id, idx, stage, message, start_byte, end_byte) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, d) in l.diagnostics.iter().enumerate() {
        st.execute(params![
            id,
            i,
            d.stage,
            d.message,
            d.span.map(|s| s.start),
            d.span.map(|s| s.end)
        ])?;
    }
    Ok(())
}

/// What storing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upserted {
    /// A new id, written.
    Inserted,
    /// A known id whose content changed, rewritten; its previous window.
    Updated {
        /// The window the document was in before.
        old_window: Option<String>,
    },
    /// Identical to what is stored; nothing written.
    Unchanged,
}

/// Stores one analysed document in `window` (see [`crate::Write::upsert_document`]).
pub(crate) fn upsert_document(
    tx: &Transaction,
    path: &Path,
    doc: &Document,
    window: &str,
) -> Result<Upserted, StoreError> {
    validate(path, doc)?;
    let fp = fingerprint(doc);
    let op = || format!("upsert document {}", doc.id);
    let stored: Option<(String, Option<String>, bool)> = tx
        .prepare_cached(
            "SELECT fingerprint, window, analysis IS NOT NULL FROM documents WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
        })
        .map_err(sql_err(path, op()))?;
    Ok(match stored {
        Some((f, Some(_), true)) if f == fp => Upserted::Unchanged,
        Some((_, old_window, _)) => {
            write_row(tx, doc, &fp, window, true).map_err(sql_err(path, op()))?;
            delete_layers(tx, &doc.id).map_err(sql_err(path, op()))?;
            insert_layers(tx, doc).map_err(sql_err(path, op()))?;
            Upserted::Updated { old_window }
        }
        None => {
            write_row(tx, doc, &fp, window, false).map_err(sql_err(path, op()))?;
            insert_layers(tx, doc).map_err(sql_err(path, op()))?;
            Upserted::Inserted
        }
    })
}
