//! Issue 12: no input can stop, hang or corrupt a run. A bad-input corpus
//! generated here, one case per directory next to a good article, each run
//! through the real binary under a time budget enforced by this harness
//! (the child is killed when it is over). Every case: the good article
//! lands, the bad input gets a clear stderr line naming it, no panic.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Per-case budget: generous for a loaded machine; a hang or a quadratic
/// blow-up goes far past it.
const BUDGET: Duration = Duration::from_secs(120);

const GOOD: &str =
    " date 2024-12-02 (Example Wire)\n\nThe mayor opened the new bridge in Lyon on Monday.\n";

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs eventline with `args` in `dir`, killing it after the budget.
fn run(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventline"))
        .env_remove("EVENTLINE_MODEL")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn eventline");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > BUDGET {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "eventline {args:?} in {} ran over {BUDGET:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = reader.join().unwrap();
    assert!(
        !stderr.contains("panicked") && status.code() != Some(101),
        "panic: {stderr}"
    );
    Run {
        code: status.code(),
        stderr,
    }
}

/// A case directory `in/` holding the good article, plus whatever `setup` adds.
fn case(name: &str, setup: impl FnOnce(&Path)) -> (tempfile::TempDir, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    fs::create_dir(&inp).unwrap();
    fs::write(inp.join("good.txt"), GOOD).unwrap();
    setup(&inp);
    let r = run(tmp.path(), &["ingest", "--db", "t.db", "in"]);
    assert!(
        matches!(r.code, Some(0 | 1)),
        "{name}: exit {:?}\n{}",
        r.code,
        r.stderr
    );
    (tmp, r)
}

fn documents(dir: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_eventline"))
        .current_dir(dir)
        .args(["export", "--db", "t.db", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    t["documents"].as_array().unwrap().clone()
}

fn doc<'a>(docs: &'a [Value], id: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no document {id}: {docs:?}"))
}

fn line_with<'a>(stderr: &'a str, needle: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no stderr line with {needle:?}:\n{stderr}"))
}

#[test]
fn huge_time_offsets_neither_hang_nor_abort_the_batch() {
    for (k, sentence) in [
        "The city was founded 300,000 years ago.",
        "It happened 100,000,000 days ago.",
        "It happened 20,000,000 weeks ago.",
        "It happened 1,000,000,000,000 days ago.",
    ]
    .iter()
    .enumerate()
    {
        let (tmp, r) = case(sentence, |d| {
            fs::write(d.join("h.txt"), format!(" date 2024-12-02\n{sentence}\n")).unwrap()
        });
        assert_eq!(r.code, Some(0), "case {k}: {}", r.stderr);
        let docs = documents(tmp.path());
        doc(&docs, "good");
        doc(&docs, "h");
        // the expression is dropped with a warning quoting it, not silently
        let phrase = &sentence[sentence.find(char::is_numeric).unwrap()..sentence.len() - 1];
        let line = line_with(&r.stderr, "h.txt");
        assert!(
            line.contains("warning") && line.contains(&format!("{phrase:?} dropped")),
            "case {k}: {line}"
        );
    }
}

#[cfg(unix)]
#[test]
fn special_files_and_links_in_a_directory_are_skipped_and_reported() {
    // a FIFO named like an article: opening it would block forever
    let (tmp, r) = case("fifo", |d| {
        let st = Command::new("mkfifo")
            .arg(d.join("x.txt"))
            .status()
            .unwrap();
        assert!(st.success());
    });
    assert_eq!(r.code, Some(1));
    assert!(line_with(&r.stderr, "x.txt").contains("FIFO"));
    doc(&documents(tmp.path()), "good");

    // two links to the directory itself, and a link out of the tree
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "Not to be read.").unwrap();
    let (tmp, r) = case("links", |d| {
        std::os::unix::fs::symlink(".", d.join("l1")).unwrap();
        std::os::unix::fs::symlink(".", d.join("l2")).unwrap();
        std::os::unix::fs::symlink(outside.path(), d.join("out")).unwrap();
        std::os::unix::fs::symlink("good.txt", d.join("self.txt")).unwrap();
    });
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(line_with(&r.stderr, "l1").contains("symbolic link"));
    assert!(line_with(&r.stderr, "self.txt").contains("symbolic link"));
    let docs = documents(tmp.path());
    assert_eq!(docs.len(), 1, "{docs:?}");

    // followed on request: loops detected, the same file read once
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    fs::create_dir(&inp).unwrap();
    fs::write(inp.join("good.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink(".", inp.join("l1")).unwrap();
    std::os::unix::fs::symlink(".", inp.join("l2")).unwrap();
    std::os::unix::fs::symlink("good.txt", inp.join("self.txt")).unwrap();
    let r = run(
        tmp.path(),
        &["ingest", "--follow-links", "--db", "t.db", "in"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(line_with(&r.stderr, "l1").contains("already walked"));
    assert!(line_with(&r.stderr, "self.txt").contains("same file"));
    assert_eq!(documents(tmp.path()).len(), 1);
}

#[test]
fn unknown_extensions_are_summarised_once_each() {
    let (_tmp, r) = case("ext", |d| {
        for n in ["a.pdf", "b.pdf", "c.pdf", "page.docx"] {
            fs::write(d.join(n), "x").unwrap();
        }
    });
    assert_eq!(r.code, Some(0));
    let pdf: Vec<&str> = r.stderr.lines().filter(|l| l.contains(".pdf")).collect();
    assert_eq!(pdf.len(), 1, "{}", r.stderr);
    assert!(pdf[0].contains("2 other file(s)"), "{}", pdf[0]);
    line_with(&r.stderr, ".docx");
}

#[test]
fn files_of_one_name_in_two_directories_both_land_and_replacement_is_reported() {
    let (tmp, r) = case("ids", |d| {
        fs::create_dir(d.join("b")).unwrap();
        fs::write(
            d.join("story.txt"),
            " date 2024-12-02\nThe council approved the budget in Leeds.\n",
        )
        .unwrap();
        fs::write(
            d.join("b/story.txt"),
            " date 2024-12-03\nFirefighters contained a blaze near Porto.\n",
        )
        .unwrap();
    });
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let docs = documents(tmp.path());
    doc(&docs, "story");
    doc(&docs, "b/story");
    // the same file given directly keeps its stem: `story`, which replaces
    // the stored `story` (another file) and says so
    let r = run(tmp.path(), &["ingest", "--db", "t.db", "in/b/story.txt"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(line_with(&r.stderr, "stored document story replaced").contains("in/b/story.txt"));
}

#[test]
fn records_with_bad_dates_nuls_and_broken_quotes() {
    let (tmp, r) = case("records", |d| {
        fs::write(
            d.join("r.jsonl"),
            concat!(
                "{\"id\":\"d1\",\"text\":\"The port reopened after the storm.\",\"date\":\"2018_05_11\"}\n",
                "{\"id\":\"d2\",\"text\":\"The port reopened after the storm.\",\"date\":\"December 2, 2024\"}\n",
                "{\"id\":\"d3\",\"text\":\"The port reopened after the storm.\",\"date\":\"someday\"}\n",
                "{\"id\":\"d4\",\"text\":\"The port reopened tomorrow.\",\"date\":\"9999-12-31\"}\n",
                "{\"id\":\"n1\",\"text\":\"The port\\u0000 reopened after the storm.\",\"date\":\"2024-12-02\"}\n",
            ),
        )
        .unwrap();
        fs::write(
            d.join("q.csv"),
            "id,date,text\nc1,2024-12-02,\"The ferry resumed service.\"\nc2,2024-12-02,\"The ferry, never closed\nc3,2024-12-02,Lost.\n",
        )
        .unwrap();
    });
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let docs = documents(tmp.path());
    assert_eq!(doc(&docs, "d1")["date"], "2018-05-11");
    assert_eq!(doc(&docs, "d2")["date"], "2024-12-02");
    assert_eq!(doc(&docs, "d3")["date"], Value::Null);
    assert_eq!(doc(&docs, "d4")["date"], Value::Null);
    assert!(line_with(&r.stderr, "someday").contains("unknown date"));
    assert!(line_with(&r.stderr, "9999-12-31").contains("implausible"));
    assert!(!doc(&docs, "n1")["text"].as_str().unwrap().contains('\0'));
    line_with(&r.stderr, "NUL");
    doc(&docs, "c1");
    assert!(docs.iter().all(|d| d["id"] != "c2" && d["id"] != "c3"));
    assert!(line_with(&r.stderr, "q.csv").contains("broken CSV"));
}

#[test]
fn encodings_and_dates_in_text_files() {
    let (tmp, r) = case("enc", |d| {
        fs::write(
            d.join("cp1252.txt"),
            b" date 2024-12-02\nThe caf\xe9 owners said the \x93new\x94 rules cost them \x80200 a week.\n",
        )
        .unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        for u in " date 2024-12-02\nThe museum reopened its doors.\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        fs::write(d.join("utf16.txt"), utf16).unwrap();
        fs::write(
            d.join("rfc.txt"),
            " date Mon, 02 Dec 2024\nThe library extended its hours.\n",
        )
        .unwrap();
        fs::write(
            d.join("dateline.txt"),
            "ANKARA, Dec. 2, 2024 (Reuters) - The central bank held its main rate.\n",
        )
        .unwrap();
        fs::write(
            d.join("nodate.txt"),
            "The orchestra announced a new season.\n",
        )
        .unwrap();
        fs::write(
            d.join("future.txt"),
            " date 9999-12-31\nThe vote is tomorrow.\n",
        )
        .unwrap();
    });
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let docs = documents(tmp.path());
    assert!(
        doc(&docs, "cp1252")["text"]
            .as_str()
            .unwrap()
            .contains("caf\u{e9} owners said the \u{201c}new\u{201d} rules cost them \u{20ac}200")
    );
    line_with(&r.stderr, "windows-1252");
    assert_eq!(
        doc(&docs, "utf16")["text"],
        "The museum reopened its doors."
    );
    line_with(&r.stderr, "UTF-16LE");
    assert_eq!(doc(&docs, "rfc")["date"], "2024-12-02");
    assert_eq!(doc(&docs, "dateline")["date"], "2024-12-02");
    assert_eq!(doc(&docs, "nodate")["date"], Value::Null);
    assert!(line_with(&r.stderr, "nodate.txt").contains("no date"));
    assert_eq!(doc(&docs, "future")["date"], Value::Null);
    assert!(line_with(&r.stderr, "future.txt").contains("implausible"));
}

#[test]
fn csv_export_neutralizes_formulas_and_run_out_never_writes_through_links() {
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    fs::create_dir(&inp).unwrap();
    fs::write(
        inp.join("f.txt"),
        " date 2024-12-02\n=HYPERLINK(\"http://example.com\") Protesters marched through Lyon on Monday.\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let victim = tmp.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("../victim", out.join("timeline.json")).unwrap();
        std::os::unix::fs::symlink("../elsewhere.db", out.join("eventline.db")).unwrap();
    }
    let r = run(tmp.path(), &["run", "--out", "out", "in"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!tmp.path().join("elsewhere.db").exists());
    assert!(
        !fs::symlink_metadata(out.join("timeline.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let csv = fs::read_to_string(out.join("events.csv")).unwrap();
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "formula cell in {line}");
        }
    }
    // no stray temporary files
    let names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn csv_on_stdin() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventline"))
        .current_dir(tmp.path())
        .args(["ingest", "--db", "t.db", "--stdin-format", "csv", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"id,date,text\ns1,2 Dec 2024,The harbour reopened to ships.\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(doc(&documents(tmp.path()), "s1")["date"], "2024-12-02");
}
