//! Tests that need the store's private parts: the migration runner and the connection.

use super::*;

#[test]
fn migrations_apply_in_order_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = Connection::open(&path).unwrap();
    let steps: &[&str] = &[
        "CREATE TABLE a (x INTEGER);",
        "INSERT INTO a VALUES (1);",
        "ALTER TABLE a ADD COLUMN y TEXT;",
    ];
    assert_eq!(schema::migrate(&mut conn, &path, &steps[..1]).unwrap(), 1);
    assert_eq!(schema::migrate(&mut conn, &path, steps).unwrap(), 3);
    // Running again applies nothing (the INSERT would add a second row).
    assert_eq!(schema::migrate(&mut conn, &path, steps).unwrap(), 3);
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM a WHERE y IS NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    // An older build with fewer migrations refuses the file.
    let err = schema::migrate(&mut conn, &path, &steps[..2]).unwrap_err();
    assert!(matches!(
        err,
        StoreError::NewerSchema {
            found: 3,
            supported: 2,
            ..
        }
    ));
}

#[test]
fn a_failing_migration_leaves_the_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = Connection::open(&path).unwrap();
    let steps: &[&str] = &[
        "CREATE TABLE a (x);",
        "CREATE TABLE b (y); INSERT INTO nope VALUES (1);",
    ];
    let err = schema::migrate(&mut conn, &path, steps).unwrap_err();
    assert!(
        err.to_string().contains("migrate schema to version 2"),
        "{err}"
    );
    assert_eq!(schema::user_version(&conn, &path).unwrap(), 1);
    let b: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'b'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(b, 0, "the failed step's table was rolled back");
}

#[test]
fn connection_has_foreign_keys_and_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("fk.db")).unwrap();
    let fk: bool = store
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(fk);
    let timeout: i64 = store
        .conn
        .pragma_query_value(None, "busy_timeout", |r| r.get(0))
        .unwrap();
    assert_eq!(timeout, Store::BUSY_TIMEOUT.as_millis() as i64);
    // The schema's foreign keys are enforced: a layer row for an unknown document fails.
    let err = store
        .conn
        .execute(
            "INSERT INTO sentence_spans (doc_id, idx, start_byte, end_byte) VALUES ('x', 0, 0, 0)",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

/// Rows of the search indexes matching `q`, as (id, position) sorted.
fn search(conn: &Connection, table: &str, q: &str) -> Vec<(String, i64)> {
    let (map, id) = match table {
        "search_events" => ("search_event_rows", "event_id"),
        _ => ("search_entity_rows", "entity_id"),
    };
    let sql = format!(
        "SELECT r.{id}, r.position FROM {table} f JOIN {map} r ON r.rowid = f.rowid \
         WHERE {table} MATCH ?1 ORDER BY 1, 2"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

const SEARCH_ROWS: &str = "
    INSERT INTO documents (id, content_hash, fingerprint, text) VALUES ('d', 'h', 'f', 'They met in Damascus.');
    INSERT INTO entities (id, position, name, type, mentions) VALUES ('A', 0, 'Bashar al-Assad', 'PERSON', 2);
    INSERT INTO entity_aliases (entity_id, position, alias) VALUES ('A', 0, 'Assad');
    INSERT INTO events (id, position, date_precision, type, status, headline)
        VALUES ('V', 0, 'unknown', 'CONSULT', 'occurred', 'Minister meets Assad');
    INSERT INTO event_sources (event_id, position, doc_id, start_byte, end_byte, sentence,
        trigger, trigger_start, trigger_end) VALUES ('V', 0, 'd', 0, 21, 'They met in Damascus.', 'met', 5, 8);
";

#[test]
fn search_indexes_are_backfilled_and_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    // rows written before the search migration are backfilled by it
    schema::migrate(&mut conn, &path, &MIGRATIONS[..4]).unwrap();
    conn.execute_batch(SEARCH_ROWS).unwrap();
    schema::migrate(&mut conn, &path, MIGRATIONS).unwrap();
    assert_eq!(
        search(&conn, "search_events", "damascus"),
        [("V".into(), 0)]
    );
    assert_eq!(search(&conn, "search_events", "meets"), [("V".into(), -1)]);
    assert_eq!(search(&conn, "search_entities", "\"assad\"").len(), 2);

    // replacing the timeline (delete everything, insert anew) replaces the index rows
    conn.execute_batch(
        "DELETE FROM events; DELETE FROM entities;
         INSERT INTO entities (id, position, name, type, mentions) VALUES ('B', 0, 'Damascus', 'GPE', 1);
         INSERT INTO events (id, date_precision, type, status, headline)
            VALUES ('W', 'unknown', 'ASSAULT', 'occurred', 'Rebels enter Damascus');
         INSERT INTO documents (id, content_hash, fingerprint, text)
            VALUES ('d2', 'h', 'f', 'Rebels entered the city. Fighters entered the city.');
         INSERT INTO event_source_rows (event_id, position, doc_id, start_byte, end_byte,
            trigger, trigger_start, trigger_end) VALUES ('W', 0, 'd2', 0, 24, 'entered', 7, 14);",
    )
    .unwrap();
    assert!(search(&conn, "search_events", "met").is_empty());
    assert_eq!(
        search(&conn, "search_events", "damascus"),
        [("W".into(), -1)]
    );
    assert_eq!(search(&conn, "search_events", "city"), [("W".into(), 0)]);
    assert!(search(&conn, "search_entities", "\"assad\"").is_empty());
    assert_eq!(
        search(&conn, "search_entities", "\"masc\""),
        [("B".into(), -1)]
    );

    // the stored source cites its sentence by offsets: the index holds the cut text
    assert_eq!(
        conn.query_row("SELECT sentence FROM event_sources", [], |r| r
            .get::<_, String>(0))
            .unwrap(),
        "Rebels entered the city."
    );
    // updates move the rows with them
    conn.execute_batch(
        "UPDATE events SET headline = 'Rebels take the capital' WHERE id = 'W';
         UPDATE event_source_rows SET start_byte = 25, end_byte = 51 WHERE event_id = 'W';
         UPDATE entities SET name = 'Dimashq' WHERE id = 'B';",
    )
    .unwrap();
    assert!(search(&conn, "search_events", "damascus").is_empty());
    assert_eq!(
        search(&conn, "search_events", "capital"),
        [("W".into(), -1)]
    );
    assert_eq!(
        search(&conn, "search_events", "fighters"),
        [("W".into(), 0)]
    );
    assert_eq!(
        search(&conn, "search_entities", "\"mashq\""),
        [("B".into(), -1)]
    );
    // the map tables hold exactly one row per indexed row
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM search_event_rows"), 2);
    assert_eq!(count("SELECT count(*) FROM search_events"), 2);
    assert_eq!(count("SELECT count(*) FROM search_entity_rows"), 1);
}

#[test]
fn the_sentences_view_cuts_text_by_byte_offsets_and_a_version_6_store_migrates() {
    let text = "Née à Zürich. Elle a dit « oui ».";
    let second = text.find("Elle").unwrap() as u32;
    let doc = model::Document {
        id: "d1".into(),
        text: text.into(),
        content_hash: "h".into(),
        layers: model::Layers {
            sentences: vec![
                model::Sentence {
                    span: model::ByteSpan {
                        start: 0,
                        end: second - 1,
                    },
                },
                model::Sentence {
                    span: model::ByteSpan {
                        start: second,
                        end: text.len() as u32,
                    },
                },
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    let read = |conn: &Connection| -> Vec<String> {
        let mut st = conn
            .prepare("SELECT text FROM sentences WHERE doc_id = 'd1' ORDER BY idx")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_documents(std::slice::from_ref(&doc)).unwrap();
    assert_eq!(read(&store.conn), ["Née à Zürich.", "Elle a dit « oui »."]);

    // A store at version 6 keeps its sentences through the migration.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    let mut conn = Connection::open(&path).unwrap();
    schema::migrate(&mut conn, &path, &MIGRATIONS[..6]).unwrap();
    conn.execute(
        "INSERT INTO documents (id, content_hash, fingerprint, text) VALUES ('d1', 'h', 'f', ?1)",
        [text],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sentences (doc_id, idx, start_byte, end_byte, text) VALUES ('d1', 0, 0, ?1, 'x')",
        [second - 1],
    )
    .unwrap();
    schema::migrate(&mut conn, &path, MIGRATIONS).unwrap();
    assert_eq!(read(&conn), ["Née à Zürich."]);
}
