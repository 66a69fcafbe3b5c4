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
            "INSERT INTO sentences (doc_id, idx, start_byte, end_byte, text) VALUES ('x', 0, 0, 0, '')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}
