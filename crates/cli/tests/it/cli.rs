//! End-to-end tests: the real `eventline` binary on temporary directories.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eventline"));
    c.env_remove("EVENTLINE_MODEL");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> PathBuf {
    repo().join("examples/seeds")
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("spawn eventline");
    assert!(
        out.status.success(),
        "eventline failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn export(db: &Path, format: &str) -> Vec<u8> {
    run_ok(
        bin()
            .arg("export")
            .arg("--db")
            .arg(db)
            .args(["--format", format]),
    )
    .stdout
}

/// Checks that every source's span is exactly its sentence in its document text.
fn assert_sources_cite_text(timeline: &Value) {
    let docs = timeline["documents"].as_array().unwrap();
    for ev in timeline["events"].as_array().unwrap() {
        let sources = ev["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "event without sources: {ev}");
        for s in sources {
            let d = docs
                .iter()
                .find(|d| d["id"] == s["doc"])
                .expect("source doc exists");
            let text = d["text"].as_str().unwrap();
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[a..b], s["sentence"].as_str().unwrap());
        }
    }
}

#[test]
fn run_on_examples_writes_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(bin().arg("run").arg(seeds()).arg("--out").arg(&out));
    for f in [
        "timeline.json",
        "events.jsonl",
        "events.csv",
        "timeline.md",
        "timeline.html",
        "eventline.db",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let t: Value = serde_json::from_slice(&fs::read(out.join("timeline.json")).unwrap()).unwrap();
    assert_eq!(t["schema"], "eventline/timeline-1");
    let docs = t["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    let khaama = docs
        .iter()
        .find(|d| d["id"] == "000_ca2f68ccd693cb9e")
        .unwrap();
    assert_eq!(khaama["date"], "2024-12-02");
    assert_eq!(khaama["outlet"], "Khaama Press");
    assert!(
        khaama["text"]
            .as_str()
            .unwrap()
            .starts_with("Iranian Foreign Abbas Araghchi met")
    );
    assert_sources_cite_text(&t);
}

#[test]
fn export_is_idempotent_and_thread_independent() {
    let tmp = tempfile::tempdir().unwrap();
    let db1 = tmp.path().join("one.db");
    let db2 = tmp.path().join("two.db");
    run_ok(
        bin()
            .args(["ingest", "--threads", "1", "--db"])
            .arg(&db1)
            .arg(seeds()),
    );
    run_ok(
        bin()
            .args(["ingest", "--threads", "2", "--db"])
            .arg(&db2)
            .arg(seeds()),
    );
    let a = export(&db1, "json");
    assert_eq!(a, export(&db1, "json"), "export twice differs");
    assert_eq!(a, export(&db2, "json"), "--threads 1 and 2 differ");
    // a second ingest of the same input changes nothing
    run_ok(bin().args(["ingest", "--db"]).arg(&db1).arg(seeds()));
    assert_eq!(a, export(&db1, "json"), "re-ingest changed the timeline");
    for f in ["jsonl", "csv", "markdown", "html"] {
        assert_eq!(
            export(&db1, f),
            export(&db2, f),
            "{f} differs across thread counts"
        );
    }
}

#[test]
fn bad_inputs_are_reported_and_good_ones_land() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    fs::create_dir(&inp).unwrap();
    fs::write(
        inp.join("good.txt"),
        " date 2024-03-04 (Example Wire)\n\nThe minister met the envoy in Paris on Monday.\n",
    )
    .unwrap();
    fs::write(
        inp.join("noheader.txt"),
        "Officials met in Geneva to discuss the truce.\n",
    )
    .unwrap();
    fs::write(
        inp.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 0, 7],
    )
    .unwrap();
    fs::write(
        inp.join("latin1.txt"),
        b" date 2024-03-04\n\nCaf\xe9 owners protested in Paris.\n",
    )
    .unwrap();
    fs::write(inp.join("empty.txt"), b"").unwrap();
    fs::write(
        inp.join("baddate.txt"),
        " date 2024-13-45\n\nSomething happened.\n",
    )
    .unwrap();
    fs::write(
        inp.join("records.jsonl"),
        concat!(
            "{\"id\":\"j1\",\"text\":\"Rebels seized the airport on Saturday.\",\"date\":\"2024-11-30\"}\n",
            "{\"id\":\"j2\",\"text\":\"broken\n",
            "{\"id\":\"j3\",\"maintext\":\"The president thanked Iran for its support.\",\"date_publish\":\"2024-12-01 10:00:00\",\"source_domain\":\"example.org\"}\n",
        ),
    )
    .unwrap();
    let big = "Filler text about nothing in particular. ".repeat(50 * 1024 * 1024 / 41 + 1);
    fs::write(inp.join("huge.txt"), format!(" date 2024-03-04\n\n{big}")).unwrap();

    let db = tmp.path().join("t.db");
    let out = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(&inp)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    for bad in [
        "binary.txt",
        "latin1.txt",
        "empty.txt",
        "baddate.txt",
        "records.jsonl:2",
        "huge.txt",
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(bad)),
            "no error line for {bad}:\n{stderr}"
        );
    }
    let t: Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    let mut ids: Vec<&str> = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    ids.sort();
    // a Latin-1 file is converted and an unreadable date loses only the date (warnings)
    assert_eq!(ids, ["baddate", "good", "j1", "j3", "latin1", "noheader"]);
    let j3 = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "j3")
        .unwrap();
    assert_eq!(j3["date"], "2024-12-01");
    assert_eq!(j3["outlet"], "example.org");
    let nh = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "noheader")
        .unwrap();
    assert_eq!(nh["date"], Value::Null);

    // a later run with only bad input keeps what is stored
    let only_bad = tmp.path().join("bad");
    fs::create_dir(&only_bad).unwrap();
    fs::write(only_bad.join("empty.txt"), b"").unwrap();
    let out = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(&only_bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let again: Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    assert_eq!(again["documents"].as_array().unwrap().len(), 6);
}

#[test]
fn same_id_with_new_content_updates_not_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let f = tmp.path().join("story.txt");
    fs::write(
        &f,
        " date 2024-03-04\n\nThe minister met the envoy in Paris.\n",
    )
    .unwrap();
    run_ok(bin().arg("ingest").arg("--db").arg(&db).arg(&f));
    fs::write(
        &f,
        " date 2024-03-05\n\nThe minister met the envoy in Rome.\n",
    )
    .unwrap();
    run_ok(bin().arg("ingest").arg("--db").arg(&db).arg(&f));
    let t: Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    let docs = t["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["date"], "2024-03-05");
    assert!(docs[0]["text"].as_str().unwrap().contains("Rome"));
}

#[test]
fn jsonl_from_stdin_is_ingested() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let mut child = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"s1\",\"text\":\"Talks were held in Cairo on Tuesday.\",\"date\":\"2024-05-02\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    assert_eq!(t["documents"][0]["id"], "s1");
}

#[test]
fn annotate_prints_layers_with_valid_spans() {
    let out = run_ok(
        bin()
            .arg("annotate")
            .arg(seeds().join("000_ca2f68ccd693cb9e.txt")),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "eventline/doc-1");
    assert_eq!(v["date"], "2024-12-02");
    let text = v["text"].as_str().unwrap();
    for layer in ["sentences", "tokens", "entities", "timexes", "events"] {
        for item in v[layer].as_array().unwrap() {
            let (a, b) = (
                item["start"].as_u64().unwrap() as usize,
                item["end"].as_u64().unwrap() as usize,
            );
            assert!(
                a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b),
                "{layer} {item}"
            );
        }
    }
    assert!(!v["tokens"].as_array().unwrap().is_empty());
    assert!(!v["entities"].as_array().unwrap().is_empty());
    let no_tok = run_ok(
        bin()
            .args(["annotate", "--no-tokens", "--date", "2024-12-03"])
            .arg(seeds().join("000_ca2f68ccd693cb9e.txt")),
    );
    let v: Value = serde_json::from_slice(&no_tok.stdout).unwrap();
    assert!(v.get("tokens").is_none());
    assert_eq!(v["date"], "2024-12-03");
}

#[test]
fn export_without_store_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("export")
        .arg("--db")
        .arg(tmp.path().join("none.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn same_id_from_two_inputs_is_renamed_not_lost() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["a", "b"] {
        fs::create_dir(tmp.path().join(dir)).unwrap();
    }
    fs::write(
        tmp.path().join("a/story.txt"),
        " date 2024-03-04\n\nThe envoy met the minister in Paris.\n",
    )
    .unwrap();
    fs::write(
        tmp.path().join("b/story.txt"),
        " date 2024-03-05\n\nRebels seized the airport near Aleppo.\n",
    )
    .unwrap();
    let db = tmp.path().join("t.db");
    let out = run_ok(
        bin()
            .arg("ingest")
            .arg("--db")
            .arg(&db)
            .arg(tmp.path().join("a"))
            .arg(tmp.path().join("b")),
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stored as story-2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    let ids: Vec<&str> = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["story", "story-2"]);
}

#[test]
fn parquet_export_writes_partitions_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    run_ok(bin().arg("ingest").arg("--db").arg(&db).arg(seeds()));
    let out = tmp.path().join("pq");
    run_ok(
        bin()
            .arg("export")
            .arg("--db")
            .arg(&db)
            .args(["--format", "parquet", "--out"])
            .arg(&out),
    );
    for table in ["documents", "tokens", "entity_mentions", "event_mentions"] {
        let part = out
            .join(table)
            .join("month=2024-12")
            .join("part-00000.parquet");
        let bytes = fs::read(&part).unwrap_or_else(|e| panic!("{}: {e}", part.display()));
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    }
    // a second export into the same, now non-empty, directory is refused
    let again = bin()
        .arg("export")
        .arg("--db")
        .arg(&db)
        .args(["--format", "parquet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(3));
    // without --out it is a usage error
    let none = bin()
        .arg("export")
        .arg("--db")
        .arg(&db)
        .args(["--format", "parquet"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
}

/// A store of the example articles in a temporary directory.
fn seeded_store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("seeds.db");
    run_ok(bin().args(["ingest", "--db"]).arg(&db).arg(seeds()));
    (tmp, db)
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_with_success() {
    // `eventline export | head -1`: the reader is gone before anything is written
    let (_tmp, db) = seeded_store();
    for args in [&["export", "--format", "html"][..], &["stats"][..]] {
        let mut child = bin()
            .args(args)
            .arg("--db")
            .arg(&db)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
}

#[test]
fn an_error_says_each_cause_once() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("not-a-store.db");
    fs::write(&db, vec![b'x'; 4096]).unwrap();
    let out = bin().args(["export", "--db"]).arg(&db).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr.matches("file is not a database").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn analysis_options_are_offered_only_by_commands_that_analyse() {
    let (_tmp, db) = seeded_store();
    for args in [
        &["export", "--threads", "2"][..],
        &["export", "--model", "models"][..],
        &["stats", "--threads", "2"][..],
        &["stats", "--model", "models"][..],
        &["serve", "--threads", "2"][..],
    ] {
        let out = bin().args(args).arg("--db").arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} was accepted");
    }
    for (cmd, offers) in [
        ("ingest", true),
        ("run", true),
        ("annotate", true),
        ("eval", true),
        ("export", false),
        ("stats", false),
        ("serve", false),
    ] {
        let help = run_ok(bin().args([cmd, "--help"])).stdout;
        let help = String::from_utf8_lossy(&help);
        for opt in ["--threads", "--model"] {
            assert_eq!(
                help.contains(opt),
                offers,
                "{cmd} --help and {opt}:\n{help}"
            );
        }
    }
}

#[test]
fn top_is_refused_by_the_formats_that_list_every_event() {
    let (_tmp, db) = seeded_store();
    let all = export(&db, "markdown");
    let top = |format: &str| {
        bin()
            .args(["export", "--top", "1", "--format", format, "--db"])
            .arg(&db)
            .output()
            .unwrap()
    };
    for format in [
        "json",
        "jsonl",
        "csv",
        "timelinejs",
        "geojson",
        "plover",
        "parquet",
    ] {
        let out = top(format);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(
            stderr.contains("--top applies to --format markdown and html only"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "{format} wrote output");
    }
    for format in ["markdown", "html"] {
        assert_eq!(top(format).status.code(), Some(0), "{format}");
    }
    // the seeds have a day with more than one event: --top 1 shows fewer
    assert!(top("markdown").stdout.len() < all.len());
}

#[test]
fn a_rerun_over_the_same_input_reports_every_document_unchanged() {
    let (_tmp, db) = seeded_store();
    let n = fs::read_dir(seeds()).unwrap().count();
    let again = run_ok(bin().args(["ingest", "--db"]).arg(&db).arg(seeds()));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(&format!("0 new, 0 updated, {n} unchanged document(s)")),
        "{stderr}"
    );
}
