//! The store's behaviour through its public API, on real database files.

use crate::fixtures;

use fixtures::{find, plain_doc, rich_doc, timeline_for};
use model::{ByteSpan, Document, Timeline};
use rusqlite::Connection;
use std::path::Path;
use store::{MIGRATIONS, SCHEMA_VERSION, Store, StoreError, UpsertReport};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Every row of every table, rows sorted, tables by name: the file's logical content.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut s = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("{v:?}|"));
                }
                Ok(s)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push((t, rows));
    }
    out
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn batch() -> Vec<Document> {
    let a = rich_doc("a");
    let mut b = rich_doc("b");
    b.duplicate_of = Some("a".into());
    b.meta.date = None;
    b.meta.url = None;
    let c = plain_doc("c", "Nothing happened here. ¿Nada?");
    vec![b, a, c]
}

fn sorted(mut docs: Vec<Document>) -> Vec<Document> {
    docs.sort_by(|x, y| x.id.cmp(&y.id));
    docs
}

#[test]
fn fresh_file_is_created_at_the_current_schema_in_wal_mode() {
    let dir = tmp();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    assert_eq!(store.path(), path);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN \
             ('documents', 'sentence_spans', 'staged', 'local_entities', 'entity_mentions', 'timexes', \
              'event_mentions', 'event_mention_arguments', 'diagnostics', 'entities', \
              'entity_aliases', 'events', 'event_actors', 'event_recipients', 'event_source_rows')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 15);
}

#[test]
fn empty_file_is_migrated() {
    let dir = tmp();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.upsert_documents(&batch()).unwrap();
    assert_eq!(store.stats().unwrap().documents, 3);
}

#[test]
fn reopening_keeps_data_and_version() {
    let dir = tmp();
    let path = dir.path().join("re.db");
    let docs = batch();
    Store::open(&path).unwrap().upsert_documents(&docs).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(all_docs(&store), sorted(docs));
}

/// A file written by the first release (schema version 1, before events had
/// a `date_source`) opens with its documents and timeline intact, and takes
/// timelines with date sources afterwards.
#[test]
fn version_1_file_is_migrated_and_keeps_its_data() {
    let dir = tmp();
    let path = dir.path().join("v1.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO events (id, position, date, date_precision, type, status, headline) \
         VALUES ('v1', 0, '2024-12-01', 'day', 'CONSULT', 'occurred', 'A meets B')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    // Version 4 resolves the timeline window by window: the old timeline is
    // dropped by the migration and rebuilt by the next ingest.
    let old = store.timeline().unwrap();
    assert_eq!(old.events.len(), 0);
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    assert!(t.events.iter().any(|e| e.date_source.is_some()));
    store.replace_timeline(&t).unwrap();
    assert_eq!(store.timeline().unwrap(), t);
}

#[test]
fn newer_schema_version_is_refused_with_a_clear_error() {
    let dir = tmp();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported, .. }
            if found == SCHEMA_VERSION + 5 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("future.db"), "{msg}");
    assert!(
        msg.contains(&format!("schema version {}", SCHEMA_VERSION + 5)),
        "{msg}"
    );
    // Nothing was changed by the refused open.
    let conn = Connection::open(&path).unwrap();
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 5);
}

#[test]
fn another_applications_database_is_refused() {
    let dir = tmp();
    let path = dir.path().join("other.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);")
        .unwrap();
    drop(conn);
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NotEventline { found: 1234, .. }),
        "{err:?}"
    );
}

#[test]
fn a_file_that_is_not_a_database_names_path_and_operation() {
    let dir = tmp();
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        "this is a text file, not a database, and it is long enough ".repeat(20),
    )
    .unwrap();
    let err = Store::open(&path).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Sqlite { .. }), "{err:?}");
    assert!(msg.contains("notes.db"), "{msg}");
}

#[test]
fn round_trip_is_exact_with_every_field_and_layer() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    let report = store.upsert_documents(&docs).unwrap();
    assert_eq!(
        report,
        UpsertReport {
            inserted: ids(&["b", "a", "c"]),
            updated: vec![],
            unchanged: vec![],
        }
    );
    let back = all_docs(&store);
    assert_eq!(back, sorted(docs.clone()));
    // Spot-check non-ASCII spans survive as the cited words.
    let a = store.document("a").unwrap().unwrap();
    assert_eq!(a, docs[1]);
    assert_eq!(a.span_text(a.layers.entities[1].span), "Jürgen Ødegaard");
    assert_eq!(
        a.span_text(a.layers.events[0].quote.unwrap()),
        "talks went well,"
    );
    assert!(a.layers.tokens.len() > 20);
    assert_eq!(store.document("missing").unwrap(), None);
    assert_eq!(store.content_hash("a").unwrap().as_deref(), Some("hash-a"));
    assert_eq!(store.content_hash("b").unwrap().as_deref(), Some("hash-b"));
    assert_eq!(
        store.content_hash("c").unwrap().as_deref(),
        Some("hash-of-Nothing happened here. ¿Nada?")
    );
    assert_eq!(store.content_hash("missing").unwrap(), None);
}

#[test]
fn span_text_columns_hold_the_cited_words() {
    let dir = tmp();
    let path = dir.path().join("words.db");
    let mut store = Store::open(&path).unwrap();
    store.upsert_documents(&[rich_doc("a")]).unwrap();
    let conn = Connection::open(&path).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT text FROM entity_mentions WHERE doc_id = 'a' ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        names,
        ["Zoë Çelik", "Jürgen Ødegaard", "Zürich", "São Paulo"]
    );
    // Byte offsets agree with SQLite's byte-wise substr over the text as a BLOB.
    let bad: i64 = conn
        .query_row(
            "SELECT count(*) FROM entity_mentions t JOIN documents d ON d.id = t.doc_id \
             WHERE CAST(substr(CAST(d.text AS BLOB), t.start_byte + 1, t.end_byte - t.start_byte) \
             AS TEXT) <> t.text",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
}

#[test]
fn second_upsert_of_the_same_batch_changes_nothing() {
    let dir = tmp();
    let path = dir.path().join("idem.db");
    let mut store = Store::open(&path).unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let before = dump(&path);
    let report = store.upsert_documents(&docs).unwrap();
    assert_eq!(report.unchanged, ids(&["b", "a", "c"]));
    assert!(report.inserted.is_empty() && report.updated.is_empty());
    assert_eq!(dump(&path), before);
    drop(store);
    // And across a reopen.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.upsert_documents(&docs).unwrap().unchanged,
        ids(&["b", "a", "c"])
    );
    assert_eq!(dump(&path), before);
}

#[test]
fn changed_content_updates_in_place_without_duplicating_layers() {
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_documents(&batch()).unwrap();
    let before = store.stats().unwrap();

    let mut c2 = plain_doc("c", "Something else entirely.");
    c2.layers.sentences.push(model::Sentence {
        span: ByteSpan::new(0, c2.text.len()),
    });
    let report = store
        .upsert_documents(&[c2.clone(), plain_doc("d", "New one.")])
        .unwrap();
    assert_eq!(report.updated, ids(&["c"]));
    assert_eq!(report.inserted, ids(&["d"]));
    assert_eq!(store.document("c").unwrap().unwrap(), c2);

    // Re-sending a rich doc's changed version replaces its layers rather than adding to them.
    let mut a2 = rich_doc("a");
    a2.text = a2.text.replace("Tuesday", "Wednesday");
    a2.content_hash = "hash-a-v2".into();
    a2.layers = rich_doc("a").layers;
    a2.layers.events.truncate(1);
    a2.layers.timexes.truncate(1);
    a2.layers.diagnostics.clear();
    a2.layers.sentences.truncate(1);
    a2.layers.tokens.truncate(5);
    a2.layers.entities.truncate(3);
    // Spans past "Tuesday" moved by two bytes.
    let text = a2.text.clone();
    a2.layers.sentences[0].span = ByteSpan::new(0, find(&text, "said.", 0).end as usize);
    a2.layers.timexes[0].span = find(&text, "on Wednesday", 0);
    a2.layers.events[0].quote = Some(find(&text, "talks went well,", 0));
    let report = store.upsert_documents(&[a2.clone()]).unwrap();
    assert_eq!(report.updated, ids(&["a"]));
    assert_eq!(store.document("a").unwrap().unwrap(), a2);
    let after = store.stats().unwrap();
    assert_eq!(after.documents, before.documents + 1);
    assert_eq!(
        store.document("a").unwrap().unwrap().layers.sentences.len(),
        1
    );
    // "a" and "c" were replaced by one-sentence versions; "d" has none
    let replaced: u64 = batch()
        .iter()
        .filter(|d| d.id == "a" || d.id == "c")
        .map(|d| d.layers.sentences.len() as u64)
        .sum();
    assert_eq!(
        after.sentences,
        before.sentences - replaced + 2,
        "sentences replaced, not added"
    );
    assert_eq!(after.event_mentions, before.event_mentions - 1);
    assert_eq!(after.sentences, before.sentences - 1 + 1);
}

#[test]
fn changed_layers_with_the_same_content_hash_are_rewritten() {
    let mut store = Store::open_in_memory().unwrap();
    let a = rich_doc("a");
    store.upsert_documents(std::slice::from_ref(&a)).unwrap();
    let mut better = a.clone();
    better.layers.entities[3].entity = Some("e4".into());
    better.layers.events[1].status = model::EventStatus::Ongoing;
    assert_eq!(better.content_hash, a.content_hash);
    let report = store.upsert_documents(&[better.clone()]).unwrap();
    assert_eq!(report.updated, ids(&["a"]));
    assert_eq!(store.document("a").unwrap().unwrap(), better);
    // Metadata alone also counts as a change.
    let mut moved = better.clone();
    moved.meta.path = Some("elsewhere/a.txt".into());
    assert_eq!(
        store.upsert_documents(&[moved.clone()]).unwrap().updated,
        ids(&["a"])
    );
    assert_eq!(store.document("a").unwrap().unwrap(), moved);
}

#[test]
fn an_invalid_document_mid_batch_rolls_back_the_whole_batch_only() {
    let dir = tmp();
    let path = dir.path().join("rollback.db");
    let mut store = Store::open(&path).unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    store.replace_timeline(&timeline_for(&docs[1])).unwrap();
    let before = dump(&path);

    let mut changed_a = rich_doc("a");
    changed_a.meta.title = Some("changed".into());
    let mut bad = plain_doc("bad", "Zoë");
    // "ë" is bytes 2..4, so byte 3 is not a char boundary.
    bad.layers
        .tokens
        .push(model::Token::new(ByteSpan::new(0, 3)));
    let err = store
        .upsert_documents(&[plain_doc("new", "Fresh."), changed_a, bad])
        .unwrap_err();
    match &err {
        StoreError::InvalidDocument { id, path: p, .. } => {
            assert_eq!(id, "bad");
            assert_eq!(p, &path);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("rollback.db"), "{err}");
    assert_eq!(dump(&path), before);
    assert_eq!(all_docs(&store), sorted(docs.clone()));
    // The store is still usable afterwards.
    store
        .upsert_documents(&[plain_doc("new", "Fresh.")])
        .unwrap();
    assert_eq!(store.stats().unwrap().documents, 4);
}

#[test]
fn an_sqlite_failure_mid_batch_rolls_back_and_names_the_operation() {
    let dir = tmp();
    let path = dir.path().join("trigger.db");
    let mut store = Store::open(&path).unwrap();
    store.upsert_documents(&batch()).unwrap();
    let before = dump(&path);
    // A trigger that refuses one id makes SQLite itself fail after earlier writes of the batch.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.id = 'boom' \
         BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
    )
    .unwrap();
    drop(conn);
    let err = store
        .upsert_documents(&[
            rich_doc("first"),
            plain_doc("second", "Two."),
            plain_doc("boom", "Three."),
        ])
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("upsert document boom"), "{msg}");
    assert!(msg.contains("trigger.db"), "{msg}");
    assert!(msg.contains("refused by test"), "{msg}");
    assert_eq!(dump(&path), before);
    assert_eq!(store.stats().unwrap().documents, 3);
}

#[test]
fn timeline_round_trip_and_replace() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    assert_eq!(store.timeline().unwrap(), Timeline::default());
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();
    assert_eq!(store.timeline().unwrap(), t);
    let s = store.stats().unwrap();
    assert_eq!((s.entities, s.events, s.event_sources), (3, 2, 2));

    // The contract's fields survive: geo, date_end, sources with byte offsets and texts.
    let back = store.timeline().unwrap();
    let v1 = &back.events[0];
    let doc = &docs[1];
    let src = &v1.sources[0];
    assert_eq!(
        &doc.text[src.start as usize..src.end as usize],
        src.sentence
    );
    assert_eq!(
        &doc.text[src.trigger_start as usize..src.trigger_end as usize],
        src.trigger
    );
    assert_eq!(
        back.entities[2].geo.as_ref().unwrap().geonames_id,
        2_657_896
    );

    // Replacing with a smaller timeline removes everything of the old one.
    let mut smaller = t.clone();
    smaller.events.truncate(1);
    smaller.events[0].id = "v9".into();
    smaller.entities[0].aliases.reverse();
    smaller.events[0].actors.reverse();
    store.replace_timeline(&smaller).unwrap();
    assert_eq!(store.timeline().unwrap(), smaller);
    assert_eq!(store.stats().unwrap().event_sources, 1);

    store.replace_timeline(&Timeline::default()).unwrap();
    assert_eq!(store.timeline().unwrap(), Timeline::default());
    assert_eq!(store.stats().unwrap().entities, 0);
}

#[test]
fn an_invalid_timeline_is_refused_and_the_old_one_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();

    let mut dangling = t.clone();
    dangling.events[1].recipients.push("e99".into());
    let err = store.replace_timeline(&dangling).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTimeline { .. }), "{err:?}");
    assert!(err.to_string().contains("e99"), "{err}");
    assert_eq!(store.timeline().unwrap(), t);

    let mut unknown_doc = t.clone();
    unknown_doc.events[0].sources[0].doc = "nowhere".into();
    let err = store.replace_timeline(&unknown_doc).unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert_eq!(store.timeline().unwrap(), t);

    let mut twice = t.clone();
    twice.entities.push(twice.entities[0].clone());
    assert!(store.replace_timeline(&twice).is_err());
    let mut huge = t.clone();
    huge.entities[2].geo.as_mut().unwrap().geonames_id = u64::MAX;
    assert!(store.replace_timeline(&huge).is_err());
    assert_eq!(store.timeline().unwrap(), t);
}

#[test]
fn updating_a_document_keeps_the_timeline_that_cites_it() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();
    let mut a = docs[1].clone();
    a.meta.title = Some("new title".into());
    store.upsert_documents(&[a]).unwrap();
    assert_eq!(store.timeline().unwrap(), t);
}

#[test]
fn stats_count_every_layer() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    store.replace_timeline(&timeline_for(&docs[1])).unwrap();
    let s = store.stats().unwrap();
    let rich = rich_doc("a").layers;
    assert_eq!(s.documents, 3);
    assert_eq!(s.duplicates, 1);
    assert_eq!(s.sentences, 2 * rich.sentences.len() as u64);
    assert_eq!(s.entity_mentions, 8);
    assert_eq!(s.timexes, 4);
    assert_eq!(s.event_mentions, 4);
    assert_eq!(s.entities, 3);
    assert_eq!(s.events, 2);
    assert_eq!(s.event_sources, 2);
    assert_eq!(s.schema_version, SCHEMA_VERSION);
}

#[test]
fn timeline_view_joins_names_and_first_source() {
    let dir = tmp();
    let path = dir.path().join("view.db");
    let mut store = Store::open(&path).unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    store.replace_timeline(&timeline_for(&docs[1])).unwrap();
    let conn = Connection::open(&path).unwrap();
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        String,
    );
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT event_id, actors, recipients, place, source_count, first_outlet FROM timeline",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "v1".into(),
                Some("Zoë Çelik; Jürgen Ødegaard".into()),
                None,
                Some("Zürich".into()),
                1,
                "Die Zeitung".into()
            ),
            (
                "v2".into(),
                Some("Zoë Çelik".into()),
                Some("Jürgen Ødegaard".into()),
                None,
                1,
                "Die Zeitung".into()
            ),
        ]
    );
}

/// Every ```sql block of docs/schema.md runs against a populated database and returns rows.
#[test]
fn every_example_query_in_the_schema_doc_runs_and_returns_rows() {
    let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema.md");
    let md = std::fs::read_to_string(doc_path).expect("docs/schema.md");
    let mut queries = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```sql") => current = Some(String::new()),
            (Some(q), l) if l.starts_with("```") => {
                queries.push(std::mem::take(q));
                current = None;
            }
            (Some(q), _) => {
                q.push_str(line);
                q.push('\n');
            }
            _ => {}
        }
    }
    assert!(queries.len() >= 8, "found only {} queries", queries.len());

    let dir = tmp();
    let path = dir.path().join("doc.db");
    let mut store = Store::open(&path).unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();
    // the entity index: each timeline entity as a local entity of document "a"
    let w = store.write().unwrap();
    let rows: Vec<store::LocalEntityRow> = t
        .entities
        .iter()
        .map(|e| store::LocalEntityRow {
            local: e.clone(),
            key: format!("key:{}", e.name),
            family: None,
            last: None,
            token: None,
            entity_id: e.id.clone(),
        })
        .collect();
    w.set_local_entities("a", &rows).unwrap();
    w.commit().unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    for q in &queries {
        let mut stmt = conn
            .prepare(q)
            .unwrap_or_else(|e| panic!("query does not prepare: {e}\n{q}"));
        let mut rows = stmt.query([]).unwrap();
        assert!(
            rows.next()
                .unwrap_or_else(|e| panic!("query fails: {e}\n{q}"))
                .is_some(),
            "query returns no rows on the test database:\n{q}"
        );
    }
}

#[test]
fn open_existing_refuses_a_missing_file_and_creates_nothing() {
    let dir = tmp();
    let path = dir.path().join("absent.db");
    let err = Store::open_existing(&path).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains("absent.db"), "{err}");
    assert!(!path.exists());
    drop(Store::open(&path).unwrap());
    assert_eq!(
        Store::open_existing(&path)
            .unwrap()
            .schema_version()
            .unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn two_connections_see_each_others_commits() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
    let dir = tmp();
    let path = dir.path().join("two.db");
    let mut writer = Store::open(&path).unwrap();
    let reader = Store::open(&path).unwrap();
    assert!(all_docs(&reader).is_empty());
    writer.upsert_documents(&batch()).unwrap();
    assert_eq!(all_docs(&reader), sorted(batch()));
    // The second connection can write too, one transaction at a time.
    let mut second = reader;
    second
        .upsert_documents(&[plain_doc("late", "Later.")])
        .unwrap();
    assert_eq!(writer.stats().unwrap().documents, 4);
}

/// The bundled example articles (real news text, curly quotes and all) round-trip byte for byte,
/// with a whitespace token layer whose spans cut the same words back out.
#[test]
fn bundled_example_articles_round_trip_byte_for_byte() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    let entries = std::fs::read_dir(seeds).unwrap_or_else(|e| panic!("{seeds}: {e}"));
    let mut docs = Vec::new();
    for e in entries {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let id = p.file_stem().unwrap().to_string_lossy().into_owned();
        let mut d = plain_doc(&id, &text);
        let mut pos = 0;
        for w in text.split_inclusive(char::is_whitespace) {
            let word = w.trim_end();
            if !word.is_empty() {
                d.layers
                    .tokens
                    .push(model::Token::new(ByteSpan::new(pos, pos + word.len())));
            }
            pos += w.len();
        }
        docs.push(d);
    }
    assert!(!docs.is_empty());
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_documents(&docs).unwrap();
    let back = all_docs(&store);
    assert_eq!(back, sorted(docs));
    for d in &back {
        for t in &d.layers.tokens {
            assert!(!d.span_text(t.span).contains(char::is_whitespace));
        }
    }
}

#[test]
fn framing_round_trips_and_cites_its_words() {
    let dir = tmp();
    let path = dir.path().join("framing.db");
    let mut store = Store::open(&path).unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    assert!(!t.framing.is_empty());
    store.replace_timeline(&t).unwrap();
    assert_eq!(store.framing().unwrap(), t.framing);
    assert_eq!(store.timeline().unwrap(), t);
    // a label used twice is two rows, regrouped on reading
    let state = &store.framing().unwrap()[0].categories[0].outlets[0].labels[0];
    assert_eq!((state.count, state.mentions.len()), (2, 2));
    // every use's words are its byte span of the document text
    let conn = Connection::open(&path).unwrap();
    let (rows, bad): (i64, i64) = conn
        .query_row(
            "SELECT count(*), sum(CAST(substr(CAST(d.text AS BLOB), f.start_byte + 1, \
             f.end_byte - f.start_byte) AS TEXT) <> f.words) \
             FROM framing_labels f JOIN documents d ON d.id = f.doc_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, bad), (4, 0));
    drop(conn);
    // replacing the timeline replaces the framing too
    let mut without = t.clone();
    without.framing.clear();
    store.replace_timeline(&without).unwrap();
    assert!(store.framing().unwrap().is_empty());
}

#[test]
fn framing_citing_an_unknown_document_is_refused_and_the_old_one_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();
    let mut bad = t.clone();
    bad.framing[0].categories[0].outlets[0].labels[0].mentions[0].doc = "elsewhere".into();
    let err = store.replace_timeline(&bad).unwrap_err();
    assert!(matches!(err, StoreError::InvalidTimeline { .. }), "{err:?}");
    assert!(err.to_string().contains("elsewhere"), "{err}");
    let mut twice = t.clone();
    twice.framing.push(twice.framing[0].clone());
    assert!(store.replace_timeline(&twice).is_err());
    assert_eq!(store.timeline().unwrap(), t);
}

/// A database at schema version 2 (before framing) is migrated and takes a
/// timeline with framing afterwards.
#[test]
fn version_2_file_is_migrated_to_framing() {
    let dir = tmp();
    let path = dir.path().join("v2.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.execute_batch(MIGRATIONS[1]).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.framing().unwrap().is_empty());
    let docs = batch();
    store.upsert_documents(&docs).unwrap();
    let t = timeline_for(&docs[1]);
    store.replace_timeline(&t).unwrap();
    assert_eq!(store.timeline().unwrap(), t);
}

/// Every stored document with its layers, in id order.
fn all_docs(store: &Store) -> Vec<Document> {
    let mut out = Vec::new();
    store
        .for_each_document(true, |d| {
            out.push(d);
            Ok::<(), store::StoreError>(())
        })
        .unwrap();
    out
}

/// Issue 12: an export read the documents, then the timeline, each at its
/// own moment, so an ingest committing in between showed new documents with
/// the old timeline. Reads inside one snapshot see one committed state.
#[test]
fn reads_inside_a_snapshot_see_one_committed_state() {
    let dir = tmp();
    let path = dir.path().join("s.db");
    let a = rich_doc("a");
    let mut writer = Store::open(&path).unwrap();
    writer.upsert_documents(std::slice::from_ref(&a)).unwrap();
    writer.replace_timeline(&timeline_for(&a)).unwrap();
    let events_before = writer.timeline().unwrap().events.len();

    let reader = Store::open_existing(&path).unwrap();
    let count = |st: &Store| {
        let mut n = 0;
        st.for_each_document(false, |_| {
            n += 1;
            Ok::<(), store::StoreError>(())
        })
        .unwrap();
        n
    };
    {
        let _snapshot = reader.snapshot().unwrap();
        assert_eq!(count(&reader), 1);
        // another connection commits a document and an empty timeline
        writer
            .upsert_documents(&[plain_doc("c", "Nothing happened.")])
            .unwrap();
        writer.replace_timeline(&Timeline::default()).unwrap();
        assert_eq!(count(&reader), 1, "a new document seen inside the snapshot");
        assert_eq!(reader.timeline().unwrap().events.len(), events_before);
        assert_eq!(reader.stats().unwrap().documents, 1);
    }
    // after it, the reader sees the new state
    assert_eq!(count(&reader), 2);
    assert!(reader.timeline().unwrap().events.is_empty());
}

/// Issue 12: a second ingest failed with "database is locked" when the first
/// held the write lock longer than the busy timeout; a writer now waits.
#[test]
fn a_writer_waits_for_another_writer_past_the_busy_timeout() {
    let dir = tmp();
    let path = dir.path().join("w.db");
    let mut first = Store::open(&path).unwrap();
    let mut second = Store::open(&path).unwrap();
    let hold = Store::BUSY_TIMEOUT + std::time::Duration::from_secs(2);
    let (tx, rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let w = first.write().unwrap();
        w.upsert_document(&rich_doc("a"), "2024-12").unwrap();
        tx.send(()).unwrap();
        std::thread::sleep(hold);
        w.commit().unwrap();
    });
    rx.recv().unwrap();
    let start = std::time::Instant::now();
    let w = second
        .write()
        .expect("the second writer waits, then writes");
    assert!(start.elapsed() >= Store::BUSY_TIMEOUT);
    w.upsert_document(&plain_doc("c", "Nothing happened."), "2024-12")
        .unwrap();
    w.commit().unwrap();
    holder.join().unwrap();
    assert_eq!(second.stats().unwrap().documents, 2);
}
