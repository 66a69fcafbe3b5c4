//! Issue 12: faults and concurrency cannot corrupt a store or lose a batch.
//!
//! - `kill -9` at several points of an ingest: the store passes
//!   `PRAGMA integrity_check`, shows either the state before the ingest or
//!   the state after it (never half of it), and a re-run gives the same
//!   export as a clean run.
//! - An export looping while an ingest writes: every export succeeds and
//!   shows the store before or after the ingest, never a mix.
//! - Two ingests at once (into an existing store and into a new one): both
//!   succeed and both batches land, with the export of a clean sequential run.
//!
//! Every run of the real binary is under a time budget enforced here.

use crate::util;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use util::{BUDGET, articles, bin, export_json, export_ok, finish, ingest_ok, spawn};

/// A case directory with batches `a/`, `b/` and `c/` of generated articles.
fn corpus() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    util::write_articles(&tmp.path().join("a"), &articles(0..6));
    util::write_articles(&tmp.path().join("b"), &articles(6..12));
    util::write_articles(&tmp.path().join("c"), &articles(12..18));
    tmp
}

/// Copies the batches of `from` into a new case directory.
fn copy_corpus(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for batch in ["a", "b", "c"] {
        fs::create_dir(tmp.path().join(batch)).unwrap();
        for e in fs::read_dir(from.join(batch)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), tmp.path().join(batch).join(e.file_name())).unwrap();
        }
    }
    tmp
}

/// `PRAGMA integrity_check` and `foreign_key_check` of a store file.
fn assert_intact(db: &Path, what: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{what}: integrity_check");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0, "{what}: foreign_key_check");
}

/// Which reference a store's export equals.
fn state_of(export: &[u8], before: &[u8], after: &[u8]) -> Option<&'static str> {
    if export == before {
        Some("before")
    } else if export == after {
        Some("after")
    } else {
        None
    }
}

/// When a kill lands.
#[derive(Clone, Copy)]
enum KillAt {
    /// This long after the ingest started.
    Time(Duration),
    /// When the WAL file has grown this many times (as seen by polling).
    WalGrowth(u32),
}

#[test]
fn kill_9_during_an_ingest_leaves_an_intact_store_and_a_rerun_matches_a_clean_run() {
    let base = corpus();
    // the clean run: batch a, then batch b
    ingest_ok(base.path(), "clean.db", &["a"]);
    let before = export_ok(base.path(), "clean.db");
    fs::copy(base.path().join("clean.db"), base.path().join("base.db")).unwrap();
    let clean = ingest_ok(base.path(), "clean.db", &["b"]);
    let after = export_ok(base.path(), "clean.db");
    assert_ne!(before, after);
    let t = clean.elapsed;

    // kill points: fractions of a clean ingest's time, and the moments the
    // ingest first writes to the WAL (staging its analysed chunk) and writes
    // to it again (taking the staged documents up and resolving windows)
    let mut points: Vec<(String, KillAt)> = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 2.0]
        .iter()
        .map(|f| {
            (
                format!("{:.0}% of a clean run", f * 100.0),
                KillAt::Time(t.mul_f64(*f)),
            )
        })
        .collect();
    points.push(("first write to the WAL".into(), KillAt::WalGrowth(1)));
    points.push(("second WAL growth".into(), KillAt::WalGrowth(2)));
    let mut outcomes = Vec::new();
    for (label, at) in points {
        let case = copy_corpus(base.path());
        let dir = case.path();
        fs::copy(base.path().join("base.db"), dir.join("t.db")).unwrap();
        let mut child = spawn(bin().current_dir(dir).args(["ingest", "--db", "t.db", "b"]));
        let start = Instant::now();
        let wal = dir.join("t.db-wal");
        let mut exited = None;
        let (mut wal_len, mut growths) = (0, 0);
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                exited = Some(st);
                break;
            }
            let due = match at {
                KillAt::Time(at) => start.elapsed() >= at,
                KillAt::WalGrowth(n) => {
                    let len = fs::metadata(&wal).map_or(0, |m| m.len());
                    if len > wal_len {
                        growths += 1;
                    }
                    wal_len = len;
                    growths >= n
                }
            };
            if due {
                break;
            }
            assert!(start.elapsed() < BUDGET, "{label}: ingest hangs");
            let pause = match at {
                KillAt::Time(_) => 5,
                KillAt::WalGrowth(_) => 1,
            };
            std::thread::sleep(Duration::from_millis(pause));
        }
        if exited.is_none() {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
        }
        assert_intact(&dir.join("t.db"), &label);
        let killed = export_ok(dir, "t.db");
        let state = state_of(&killed, &before, &after).unwrap_or_else(|| {
            panic!(
                "{label}: the killed store shows neither the state before nor after the ingest:\n{}",
                String::from_utf8_lossy(&killed)
            )
        });
        ingest_ok(dir, "t.db", &["b"]);
        assert_intact(&dir.join("t.db"), &label);
        assert!(
            export_ok(dir, "t.db") == after,
            "{label}: the re-run's export differs from a clean run's"
        );
        let how = if exited.is_some() {
            "finished before the kill"
        } else {
            "killed"
        };
        outcomes.push(format!("{label}: {how}, store showed {state}"));
    }
    eprintln!("kill points:\n  {}", outcomes.join("\n  "));
    assert!(
        outcomes
            .iter()
            .any(|o| o.contains("killed, store showed before")),
        "no kill landed before the commit: {outcomes:#?}"
    );
}

#[test]
fn an_export_during_an_ingest_shows_the_store_before_or_after_it() {
    let base = corpus();
    ingest_ok(base.path(), "ref.db", &["a"]);
    let before = export_ok(base.path(), "ref.db");
    fs::copy(base.path().join("ref.db"), base.path().join("t.db")).unwrap();
    ingest_ok(base.path(), "ref.db", &["b"]);
    let after = export_ok(base.path(), "ref.db");

    let dir = base.path();
    let ingest = spawn(bin().current_dir(dir).args(["ingest", "--db", "t.db", "b"]));
    let ingest = std::thread::spawn(move || finish(ingest, BUDGET, "ingest b"));
    let mut seen = Vec::new();
    while !ingest.is_finished() {
        let r = export_json(dir, "t.db");
        assert_eq!(
            r.code,
            Some(0),
            "an export during an ingest failed:\n{}",
            r.stderr
        );
        let state = state_of(&r.stdout, &before, &after).unwrap_or_else(|| {
            panic!(
                "an export during an ingest shows neither the store before nor after it:\n{}",
                String::from_utf8_lossy(&r.stdout)
            )
        });
        seen.push(state);
    }
    let r = ingest.join().unwrap();
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(export_ok(dir, "t.db") == after);
    eprintln!(
        "{} exports during the ingest: {} before, {} after",
        seen.len(),
        seen.iter().filter(|s| **s == "before").count(),
        seen.iter().filter(|s| **s == "after").count()
    );
    assert!(!seen.is_empty(), "no export ran during the ingest");
}

#[test]
fn two_concurrent_ingests_both_land() {
    let base = corpus();
    let dir = base.path();
    // references: the batches ingested one after the other
    ingest_ok(dir, "ref_abc.db", &["a"]);
    fs::copy(dir.join("ref_abc.db"), dir.join("existing.db")).unwrap();
    ingest_ok(dir, "ref_abc.db", &["b"]);
    ingest_ok(dir, "ref_abc.db", &["c"]);
    let abc = export_ok(dir, "ref_abc.db");
    ingest_ok(dir, "ref_bc.db", &["b"]);
    ingest_ok(dir, "ref_bc.db", &["c"]);
    let bc = export_ok(dir, "ref_bc.db");

    // into an existing store, and into one that does not exist yet
    for (db, expected) in [("existing.db", &abc), ("new.db", &bc)] {
        let one = spawn(bin().current_dir(dir).args(["ingest", "--db", db, "b"]));
        let two = spawn(bin().current_dir(dir).args(["ingest", "--db", db, "c"]));
        let one = finish(one, BUDGET, "ingest b");
        let two = finish(two, BUDGET, "ingest c");
        assert_eq!(one.code, Some(0), "{db}: ingest b: {}", one.stderr);
        assert_eq!(two.code, Some(0), "{db}: ingest c: {}", two.stderr);
        assert_intact(&dir.join(db), db);
        assert!(
            &export_ok(dir, db) == expected,
            "{db}: two concurrent ingests do not give the export of the same ingests one after the other"
        );
    }
}
