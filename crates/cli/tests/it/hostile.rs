//! Issue 12: no input can stop, hang or corrupt a run. A bad-input corpus
//! generated here, one case per directory next to a good article, each run
//! through the real binary under a time budget enforced by this harness
//! (the child is killed when it is over). Every case: the good article
//! lands, the bad input gets a clear stderr line naming it, no panic.

use crate::util;

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use util::line_with;

/// Per-case budget: generous for a loaded machine; a hang or a quadratic
/// blow-up goes far past it.
const BUDGET: Duration = Duration::from_secs(120);

const GOOD: &str =
    " date 2024-12-02 (Example Wire)\n\nThe mayor opened the new bridge in Lyon on Monday.\n";

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs eventline with `args` in `dir`, killing it after the budget; fails on a panic.
fn run(dir: &Path, args: &[&str]) -> Run {
    let r = util::run_within(
        util::bin().current_dir(dir).args(args),
        BUDGET,
        &format!("eventline {args:?} in {}", dir.display()),
    );
    Run {
        code: r.code,
        stderr: r.stderr,
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
    let t: Value = serde_json::from_slice(&util::export_ok(dir, "t.db")).unwrap();
    t["documents"].as_array().unwrap().clone()
}

fn doc<'a>(docs: &'a [Value], id: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no document {id}: {docs:?}"))
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
    let mut child = util::bin()
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

/// What one bad input must produce: an error (the input is not stored, the
/// run exits 1), a warning (the document is stored with what could be read)
/// or a note (the entry is skipped), on exactly one stderr line naming it
/// and containing the given words.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Error(&'static str),
    Warning(&'static str),
    Note(&'static str),
}

/// One case of the corpus: a name that appears in its stderr line (a file
/// name), how to create it in a directory, what it must produce, and the
/// ids of the documents it must store.
struct Bad {
    name: &'static str,
    make: fn(&Path, &str),
    expect: Expect,
    stores: &'static [&'static str],
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join(name), bytes).unwrap();
}

/// Every bad input of issue 12, generated.
fn bad_inputs() -> Vec<Bad> {
    use Expect::*;
    vec![
        Bad {
            name: "invalid_utf8.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    b" date 2024-12-02\nThe caf\xc3 near the station reopened on Monday.\n",
                )
            },
            expect: Warning("not UTF-8"),
            stores: &["invalid_utf8"],
        },
        Bad {
            name: "broken_utf16.txt",
            make: |d, n| write(d, n, [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42]),
            expect: Error("binary content"),
            stores: &[],
        },
        Bad {
            name: "binary.txt",
            make: |d, n| {
                let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
                png.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
                write(d, n, png)
            },
            expect: Error("binary content"),
            stores: &[],
        },
        Bad {
            name: "control_soup.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    "The \u{1}council\u{2} met\u{3} on\u{4} Monday\u{5}.\u{6}\n",
                )
            },
            expect: Error("binary content"),
            stores: &[],
        },
        Bad {
            name: "empty.txt",
            make: |d, n| write(d, n, b""),
            expect: Error("empty file"),
            stores: &[],
        },
        Bad {
            name: "blank.txt",
            make: |d, n| write(d, n, " \n\t\n\n"),
            expect: Error("empty body"),
            stores: &[],
        },
        Bad {
            name: "header_only.txt",
            make: |d, n| write(d, n, " date 2024-12-02 (Example Wire)\n\n"),
            expect: Error("empty body"),
            stores: &[],
        },
        Bad {
            name: "huge.txt",
            make: |d, n| {
                let line = "The committee met again and talked for a long time. ";
                write(
                    d,
                    n,
                    format!(
                        " date 2024-12-02\n{}",
                        line.repeat((9 << 20) / line.len() + 1)
                    ),
                )
            },
            expect: Error("document too large"),
            stores: &[],
        },
        Bad {
            name: "bad_date.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    " date 2024-13-45\nThe ferry to the island resumed service.\n",
                )
            },
            expect: Warning("malformed date \"2024-13-45\""),
            stores: &["bad_date"],
        },
        Bad {
            name: "bad_date_record.jsonl",
            make: |d, n| {
                write(
                    d,
                    n,
                    "{\"id\":\"rec-bad-date\",\"date\":\"the day after\",\"text\":\"The museum reopened its west wing.\"}\n",
                )
            },
            expect: Warning("\"the day after\""),
            stores: &["rec-bad-date"],
        },
        Bad {
            name: "bad_date_row.csv",
            make: |d, n| {
                write(
                    d,
                    n,
                    "id,date,text\nrow-bad-date,2024-02-30,The library extended its hours.\n",
                )
            },
            expect: Warning("2024-02-30"),
            stores: &["row-bad-date"],
        },
        Bad {
            name: "future_date.txt",
            make: |d, n| write(d, n, " date 9999-12-31\nThe vote is tomorrow.\n"),
            expect: Warning("implausible"),
            stores: &["future_date"],
        },
        Bad {
            name: "broken.json",
            make: |d, n| {
                write(
                    d,
                    n,
                    "[{\"id\": \"jj\", \"text\": \"The bridge opened.\"},\n {\"id\": ",
                )
            },
            expect: Error("broken JSON"),
            stores: &[],
        },
        Bad {
            name: "deep.json",
            make: |d, n| {
                write(
                    d,
                    n,
                    format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
                )
            },
            expect: Error("broken JSON"),
            stores: &[],
        },
        Bad {
            name: "broken_line.jsonl",
            make: |d, n| {
                write(
                    d,
                    n,
                    "{\"id\":\"line-ok\",\"text\":\"The harbour reopened to ships.\"}\n{\"id\":\"line-bad\",\"text\":\"no closing brace\"\n",
                )
            },
            expect: Error("broken_line.jsonl:2: broken JSON"),
            stores: &["line-ok"],
        },
        Bad {
            name: "broken_quote.csv",
            make: |d, n| write(d, n, "id,text\nq1,\"The ferry, never closed\nq2,Lost.\n"),
            expect: Error("broken CSV"),
            stores: &[],
        },
        Bad {
            name: "no_text_column.csv",
            make: |d, n| write(d, n, "id,body\n1,The council met.\n"),
            expect: Error("broken CSV"),
            stores: &[],
        },
        Bad {
            name: "nul_trace.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    " date 2024-12-02\nThe port\0 reopened after the storm.\n",
                )
            },
            expect: Warning("NUL"),
            stores: &["nul_trace"],
        },
        Bad {
            name: "absurd_days.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    " date 2024-12-02\nThe dispute began 100,000,000 days ago.\n",
                )
            },
            expect: Warning("\"100,000,000 days ago\" dropped"),
            stores: &["absurd_days"],
        },
        Bad {
            name: "absurd_years.txt",
            make: |d, n| {
                write(
                    d,
                    n,
                    " date 2024-12-02\nThe city was founded 300,000 years ago.\n",
                )
            },
            expect: Warning("\"300,000 years ago\" dropped"),
            stores: &["absurd_years"],
        },
        #[cfg(unix)]
        Bad {
            name: "fifo.txt",
            make: |d, n| {
                let st = Command::new("mkfifo").arg(d.join(n)).status().unwrap();
                assert!(st.success());
            },
            expect: Error("FIFO"),
            stores: &[],
        },
        #[cfg(unix)]
        Bad {
            name: "link_loop",
            make: |d, n| std::os::unix::fs::symlink(".", d.join(n)).unwrap(),
            expect: Note("symbolic link"),
            stores: &[],
        },
        #[cfg(unix)]
        Bad {
            name: "link_dangling.txt",
            make: |d, n| std::os::unix::fs::symlink("nowhere.txt", d.join(n)).unwrap(),
            expect: Note("symbolic link"),
            stores: &[],
        },
        Bad {
            name: "report.pdf",
            make: |d, n| write(d, n, "%PDF-1.7"),
            expect: Note(".pdf"),
            stores: &[],
        },
    ]
}

/// Checks one run's stderr, stored documents and exit code against `cases`.
fn check_corpus(dir: &Path, r: &Run, cases: &[&Bad], good: &[String], what: &str) {
    for c in cases {
        let lines: Vec<&str> = r.stderr.lines().filter(|l| l.contains(c.name)).collect();
        assert_eq!(
            lines.len(),
            1,
            "{what}: {}: one stderr line expected:\n{}",
            c.name,
            r.stderr
        );
        let line = lines[0];
        let (prefix, words) = match c.expect {
            Expect::Error(w) => ("eventline: ", w),
            Expect::Warning(w) => ("eventline: warning: ", w),
            Expect::Note(w) => ("eventline: note: ", w),
        };
        assert!(
            line.starts_with(prefix) && line.contains(words),
            "{what}: {}: expected {:?}, got: {line}",
            c.name,
            c.expect
        );
        if matches!(c.expect, Expect::Error(_)) {
            assert!(
                !line.starts_with("eventline: warning:") && !line.starts_with("eventline: note:"),
                "{what}: {line}"
            );
        }
    }
    let docs = documents(dir);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    for g in good {
        assert!(
            ids.contains(&g.as_str()),
            "{what}: good article {g} lost: {ids:?}"
        );
    }
    let stored: Vec<&str> = cases
        .iter()
        .flat_map(|c| c.stores.iter().copied())
        .collect();
    for s in &stored {
        assert!(ids.contains(s), "{what}: {s} not stored: {ids:?}");
    }
    assert_eq!(
        ids.len(),
        good.len() + stored.len(),
        "{what}: unexpected documents: {ids:?}"
    );
    let errors = cases.iter().any(|c| matches!(c.expect, Expect::Error(_)));
    assert_eq!(
        r.code,
        Some(if errors { 1 } else { 0 }),
        "{what}:\n{}",
        r.stderr
    );
}

/// Issue 12's bad-input corpus: every bad input next to good articles, each
/// case alone (under its own time budget) and then all at once. All good
/// articles land, each bad input gets one clear stderr line, no hang, no
/// panic, exit 1 when some input could not be read.
#[test]
fn bad_input_corpus_next_to_good_articles() {
    let cases = bad_inputs();
    let good_articles = util::articles(0..3);
    let good: Vec<String> = good_articles.iter().map(|(n, _)| n.clone()).collect();
    let mut table = Vec::new();
    for c in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let inp = tmp.path().join("in");
        util::write_articles(&inp, &good_articles);
        (c.make)(&inp, c.name);
        let r = run(tmp.path(), &["ingest", "--db", "t.db", "in"]);
        check_corpus(tmp.path(), &r, &[c], &good, c.name);
        table.push(format!(
            "{:<22} exit {:?}  {}",
            c.name,
            r.code.unwrap_or(-1),
            line_with(&r.stderr, c.name)
        ));
    }
    // all at once
    let tmp = tempfile::tempdir().unwrap();
    let inp = tmp.path().join("in");
    util::write_articles(&inp, &good_articles);
    for c in &cases {
        (c.make)(&inp, c.name);
    }
    let r = run(tmp.path(), &["ingest", "--db", "t.db", "in"]);
    let all: Vec<&Bad> = cases.iter().collect();
    check_corpus(tmp.path(), &r, &all, &good, "whole corpus");
    eprintln!("{}", table.join("\n"));
}
