//! "Here are my documents with their layers: keep them, and give them back byte for byte."

use crate::{Store, StoreError, UpsertReport, codec, corrupt, sql_err};
use model::{
    Argument, ByteSpan, DocMeta, Document, EntityMention, EventMention, Layers, Sentence, Timex,
    Token,
};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
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
    "tokens",
    "sentences",
];

const ROLE_ACTOR: &str = "actor";
const ROLE_RECIPIENT: &str = "recipient";
const ROLE_PLACE: &str = "place";

impl Store {
    /// Stores documents in one transaction, in input order. A new id is inserted;
    /// a known id whose fingerprint (text, metadata, content hash, duplicate link
    /// and layers) differs is updated in place with its layers replaced; an
    /// identical one is left untouched. On any error nothing of this batch is kept.
    ///
    /// Every span of every layer must lie on char boundaries inside the text
    /// ([`StoreError::InvalidDocument`] otherwise).
    pub fn upsert_documents(&mut self, docs: &[Document]) -> Result<UpsertReport, StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err(&path, "begin document upsert"))?;
        let mut report = UpsertReport::default();
        for doc in docs {
            validate(&path, doc)?;
            let fp = fingerprint(doc);
            let op = || format!("upsert document {}", doc.id);
            let stored: Option<String> = tx
                .prepare_cached("SELECT fingerprint FROM documents WHERE id = ?1")
                .and_then(|mut s| s.query_row([&doc.id], |r| r.get(0)).optional())
                .map_err(sql_err(&path, op()))?;
            match stored {
                Some(f) if f == fp => report.unchanged.push(doc.id.clone()),
                Some(_) => {
                    write_row(&tx, doc, &fp, true).map_err(sql_err(&path, op()))?;
                    delete_layers(&tx, &doc.id).map_err(sql_err(&path, op()))?;
                    insert_layers(&tx, doc).map_err(sql_err(&path, op()))?;
                    report.updated.push(doc.id.clone());
                }
                None => {
                    write_row(&tx, doc, &fp, false).map_err(sql_err(&path, op()))?;
                    insert_layers(&tx, doc).map_err(sql_err(&path, op()))?;
                    report.inserted.push(doc.id.clone());
                }
            }
        }
        tx.commit()
            .map_err(sql_err(&path, "commit document upsert"))?;
        Ok(report)
    }

    /// Every stored document with all its layers, sorted by id (byte order).
    pub fn documents(&self) -> Result<Vec<Document>, StoreError> {
        Ok(self.load(None)?.into_values().collect())
    }

    /// One stored document with all its layers, or `None` for an unknown id.
    pub fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        Ok(self.load(Some(id))?.into_values().next())
    }

    /// Stored document ids, sorted, each with its `content_hash`: lets a caller
    /// skip analysing input that is already stored.
    pub fn content_hashes(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let op = "read content hashes";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, content_hash FROM documents")
            .map_err(sql_err(&self.path, op))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err(&self.path, op))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql_err(&self.path, op))
    }

    fn load(&self, only: Option<&str>) -> Result<BTreeMap<String, Document>, StoreError> {
        let path = self.path.as_path();
        let filter = |col: &str| match only {
            Some(_) => format!("WHERE {col} = ?1"),
            None => "WHERE ?1 IS NULL".to_string(),
        };
        let mut docs: BTreeMap<String, Document> = BTreeMap::new();

        let op = "read documents";
        let sql = format!(
            "SELECT id, text, content_hash, duplicate_of, date, outlet, distributor, dateline, \
             path, title, url FROM documents {}",
            filter("id")
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(sql_err(path, op))?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
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
                doc.meta.date = Some(d.parse().map_err(|e| {
                    corrupt(path, op, format!("document {}: date {d:?}: {e}", doc.id))
                })?);
            }
            docs.insert(doc.id.clone(), doc);
        }

        let layer = |op: &'static str, sql: &str| -> Result<_, StoreError> {
            let sql = format!("{sql} {} ORDER BY doc_id, idx", filter("doc_id"));
            self.conn.prepare_cached(&sql).map_err(sql_err(path, op))
        };

        let op = "read sentences";
        let mut stmt = layer(op, "SELECT doc_id, start_byte, end_byte FROM sentences")?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let (id, s, e): (String, u32, u32) =
                (|| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))().map_err(sql_err(path, op))?;
            doc_mut(path, &mut docs, op, id)?
                .layers
                .sentences
                .push(Sentence {
                    span: span(path, op, s, e)?,
                });
        }

        let op = "read tokens";
        let mut stmt = layer(
            op,
            "SELECT doc_id, start_byte, end_byte, tag, pos, lemma, head, dep FROM tokens",
        )?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = (|| -> rusqlite::Result<_> {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, u32>(2)?,
                    Token {
                        span: ByteSpan { start: 0, end: 0 },
                        tag: r.get(3)?,
                        pos: r.get(4)?,
                        lemma: r.get(5)?,
                        head: r.get(6)?,
                        dep: r.get(7)?,
                    },
                ))
            })()
            .map_err(sql_err(path, op))?;
            let (id, s, e, mut tok) = row;
            tok.span = span(path, op, s, e)?;
            doc_mut(path, &mut docs, op, id)?.layers.tokens.push(tok);
        }

        let op = "read entity mentions";
        let mut stmt = layer(
            op,
            "SELECT doc_id, start_byte, end_byte, label, entity_id, origin FROM entity_mentions",
        )?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = <(String, u32, u32, String, Option<String>, String)>::try_from(r)
                .map_err(sql_err(path, op))?;
            let (id, s, e, label, entity, origin) = row;
            let origin = codec::parse_origin(&origin)
                .ok_or_else(|| corrupt(path, op, format!("unknown origin {origin:?}")))?;
            doc_mut(path, &mut docs, op, id)?
                .layers
                .entities
                .push(EntityMention {
                    span: span(path, op, s, e)?,
                    label,
                    entity,
                    origin,
                });
        }

        let op = "read timexes";
        let mut stmt = layer(
            op,
            "SELECT doc_id, start_byte, end_byte, type, value FROM timexes",
        )?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row =
                <(String, u32, u32, String, String)>::try_from(r).map_err(sql_err(path, op))?;
            let (id, s, e, kind, value) = row;
            let kind = codec::parse_timex_type(&kind)
                .ok_or_else(|| corrupt(path, op, format!("unknown timex type {kind:?}")))?;
            doc_mut(path, &mut docs, op, id)?
                .layers
                .timexes
                .push(Timex {
                    span: span(path, op, s, e)?,
                    kind,
                    value,
                });
        }

        let op = "read event mentions";
        let mut stmt = layer(
            op,
            "SELECT doc_id, trigger_start, trigger_end, sentence_idx, type, mode, status, \
             timex_idx, date, date_precision, quote_start, quote_end FROM event_mentions",
        )?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = <(
                String,
                u32,
                u32,
                u32,
                String,
                Option<String>,
                String,
                Option<u32>,
                Option<String>,
                String,
                Option<u32>,
                Option<u32>,
            )>::try_from(r)
            .map_err(sql_err(path, op))?;
            let (id, ts, te, sentence, kind, mode, status, timex, date, prec, qs, qe) = row;
            let kind = codec::parse_event_type(&kind)
                .ok_or_else(|| corrupt(path, op, format!("unknown event type {kind:?}")))?;
            let status = codec::parse_status(&status)
                .ok_or_else(|| corrupt(path, op, format!("unknown status {status:?}")))?;
            let date_precision = codec::parse_precision(&prec)
                .ok_or_else(|| corrupt(path, op, format!("unknown date precision {prec:?}")))?;
            let quote = match (qs, qe) {
                (Some(s), Some(e)) => Some(span(path, op, s, e)?),
                (None, None) => None,
                _ => return Err(corrupt(path, op, "quote_start and quote_end disagree")),
            };
            doc_mut(path, &mut docs, op, id)?
                .layers
                .events
                .push(EventMention {
                    trigger: span(path, op, ts, te)?,
                    sentence,
                    kind,
                    mode,
                    status,
                    actors: Vec::new(),
                    recipients: Vec::new(),
                    place: None,
                    timex,
                    date,
                    date_precision,
                    quote,
                });
        }

        let op = "read event mention arguments";
        let sql = format!(
            "SELECT doc_id, event_idx, role, start_byte, end_byte, mention_idx \
             FROM event_mention_arguments {} ORDER BY doc_id, event_idx, role, position",
            filter("doc_id")
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(sql_err(path, op))?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = <(String, u32, String, u32, u32, Option<u32>)>::try_from(r)
                .map_err(sql_err(path, op))?;
            let (id, event_idx, role, s, e, mention) = row;
            let arg = Argument {
                span: span(path, op, s, e)?,
                mention,
            };
            let doc = doc_mut(path, &mut docs, op, id)?;
            let ev = doc
                .layers
                .events
                .get_mut(event_idx as usize)
                .ok_or_else(|| {
                    corrupt(
                        path,
                        op,
                        format!("argument of missing event mention {event_idx}"),
                    )
                })?;
            match role.as_str() {
                ROLE_ACTOR => ev.actors.push(arg),
                ROLE_RECIPIENT => ev.recipients.push(arg),
                ROLE_PLACE => ev.place = Some(arg),
                other => return Err(corrupt(path, op, format!("unknown role {other:?}"))),
            }
        }

        let op = "read diagnostics";
        let mut stmt = layer(
            op,
            "SELECT doc_id, stage, message, start_byte, end_byte FROM diagnostics",
        )?;
        let mut rows = stmt.query([only]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = <(String, String, String, Option<u32>, Option<u32>)>::try_from(r)
                .map_err(sql_err(path, op))?;
            let (id, stage, message, s, e) = row;
            let span = match (s, e) {
                (Some(s), Some(e)) => Some(span(path, op, s, e)?),
                (None, None) => None,
                _ => return Err(corrupt(path, op, "start_byte and end_byte disagree")),
            };
            doc_mut(path, &mut docs, op, id)?
                .layers
                .diagnostics
                .push(model::Diagnostic {
                    stage,
                    message,
                    span,
                });
        }
        Ok(docs)
    }
}

/// The document a layer row belongs to. Layer rows always have their document (foreign
/// key), so this only fails on a database edited by hand with foreign keys off.
fn doc_mut<'d>(
    path: &Path,
    docs: &'d mut BTreeMap<String, Document>,
    op: &str,
    id: String,
) -> Result<&'d mut Document, StoreError> {
    docs.get_mut(&id)
        .ok_or_else(|| corrupt(path, op, format!("layer row of unknown document {id:?}")))
}

/// A span read back from the store; rejects an inverted one.
fn span(path: &Path, op: &str, start: u32, end: u32) -> Result<ByteSpan, StoreError> {
    if start > end {
        return Err(corrupt(path, op, format!("inverted span {start}..{end}")));
    }
    Ok(ByteSpan { start, end })
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

fn write_row(tx: &Transaction, doc: &Document, fp: &str, update: bool) -> rusqlite::Result<()> {
    let sql = if update {
        "UPDATE documents SET date = ?2, outlet = ?3, distributor = ?4, dateline = ?5, \
         title = ?6, url = ?7, path = ?8, duplicate_of = ?9, content_hash = ?10, \
         fingerprint = ?11, text = ?12 WHERE id = ?1"
    } else {
        "INSERT INTO documents (id, date, outlet, distributor, dateline, title, url, path, \
         duplicate_of, content_hash, fingerprint, text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
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
        "INSERT INTO sentences (doc_id, idx, start_byte, end_byte, text) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, s) in l.sentences.iter().enumerate() {
        st.execute(params![id, i, s.span.start, s.span.end, words(doc, s.span)])?;
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO tokens (doc_id, idx, start_byte, end_byte, text, tag, pos, lemma, head, dep) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (i, t) in l.tokens.iter().enumerate() {
        st.execute(params![
            id,
            i,
            t.span.start,
            t.span.end,
            words(doc, t.span),
            t.tag,
            t.pos,
            t.lemma,
            t.head,
            t.dep
        ])?;
    }

    let mut st = tx.prepare_cached(
        "INSERT INTO entity_mentions (doc_id, idx, start_byte, end_byte, text, label, entity_id, \
         origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
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
