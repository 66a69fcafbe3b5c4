//! Helpers shared by the CLI tests that run the real binary: a command
//! builder, a runner that enforces a time budget (the child is killed when
//! it is over), an exporter, and generated news articles.
#![allow(dead_code)] // each test file uses a part of this module

use std::fs;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The `eventline` binary, with the bundled model (no `EVENTLINE_MODEL`).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eventline"));
    c.env_remove("EVENTLINE_MODEL");
    c
}

/// What a finished run gave.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

/// Spawns `cmd` with stdout and stderr piped and stdin closed.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn eventline")
}

/// Waits for a spawned child, killing it (and failing the test) when it runs
/// over `budget`; fails the test on a panic (exit 101 or "panicked" on stderr).
pub fn finish(mut child: Child, budget: Duration, what: &str) -> Run {
    let start = Instant::now();
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).ok();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let status: ExitStatus = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > budget {
            child.kill().ok();
            child.wait().ok();
            panic!("{what}: ran over its budget of {budget:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
        elapsed: start.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != Some(101),
        "{what}: panic:\n{}",
        run.stderr
    );
    run
}

/// Runs `cmd` to its end within `budget` (see [`finish`]).
pub fn run_within(cmd: &mut Command, budget: Duration, what: &str) -> Run {
    finish(spawn(cmd), budget, what)
}

/// Budget of one ingest or export of a few small articles: generous for a
/// loaded machine; a hang goes far past it.
pub const BUDGET: Duration = Duration::from_secs(180);

/// `eventline ingest --db DB PATHS...` in `dir`, expected to succeed.
pub fn ingest_ok(dir: &Path, db: &str, paths: &[&str]) -> Run {
    let r = run_within(
        bin()
            .current_dir(dir)
            .args(["ingest", "--db", db])
            .args(paths),
        BUDGET,
        &format!("ingest {paths:?}"),
    );
    assert_eq!(r.code, Some(0), "ingest {paths:?} failed:\n{}", r.stderr);
    r
}

/// `eventline export --db DB --format json` in `dir`, to its end.
pub fn export_json(dir: &Path, db: &str) -> Run {
    run_within(
        bin()
            .current_dir(dir)
            .args(["export", "--db", db, "--format", "json"]),
        BUDGET,
        "export",
    )
}

/// The JSON export of a store, expected to succeed.
pub fn export_ok(dir: &Path, db: &str) -> Vec<u8> {
    let r = export_json(dir, db);
    assert_eq!(r.code, Some(0), "export failed:\n{}", r.stderr);
    r.stdout
}

/// One stderr line containing `needle`, or a failure showing stderr.
pub fn line_with<'a>(stderr: &'a str, needle: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no stderr line with {needle:?}:\n{stderr}"))
}

const PEOPLE: &[(&str, &str)] = &[
    ("Maria Lindqvist", "foreign minister of Sweden"),
    ("Tomas Novak", "prime minister of the Czech Republic"),
    ("Elena Rossi", "mayor of Milan"),
    ("David Okafor", "trade minister of Nigeria"),
    ("Hannah Weber", "interior minister of Germany"),
    ("Luis Moreno", "president of the regional council"),
];

const PLACES: &[&str] = &[
    "Lisbon", "Vienna", "Warsaw", "Nairobi", "Oslo", "Madrid", "Prague", "Dublin",
];

const TOPICS: &[&str] = &[
    "fishing quotas",
    "a new rail link",
    "the price of grain",
    "flood defences",
    "energy imports",
    "a water treaty",
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const OUTLETS: &[&str] = &["Northern Wire", "Daily Courier", "Example Times"];

/// Generated news articles as `.txt` files (name, content): article `i` is
/// dated in November or December 2024 and tells a meeting, arrests at a
/// protest and an aid announcement, with names, places and dates varying
/// with `i`.
pub fn articles(range: std::ops::Range<usize>) -> Vec<(String, String)> {
    range
        .map(|i| {
            let (a, a_role) = PEOPLE[i % PEOPLE.len()];
            let (b, _) = PEOPLE[(i + 1 + i / PEOPLE.len()) % PEOPLE.len()];
            let place = PLACES[i % PLACES.len()];
            let other = PLACES[(i + 3) % PLACES.len()];
            let topic = TOPICS[(i * 5) % TOPICS.len()];
            let day = WEEKDAYS[i % WEEKDAYS.len()];
            let outlet = OUTLETS[i % OUTLETS.len()];
            let (month, dom) = if i % 2 == 0 {
                (11, 4 + i % 20)
            } else {
                (12, 2 + i % 20)
            };
            let arrested = 2 + i % 7;
            let text = format!(
                " date 2024-{month:02}-{dom:02} ({outlet})\n\n\
                 {a}, the {a_role}, met {b} in {place} on {day} to discuss {topic}.\n\n\
                 {b} said after the meeting that the talks had been useful and that both sides \
                 would meet again in {other} next month.\n\n\
                 Police arrested {arrested} protesters outside the conference hall, officials said.\n\n\
                 The Red Cross announced on {day} that it would send medical aid to {other}.\n"
            );
            (format!("story{i:02}"), text)
        })
        .collect()
}

/// Writes articles into `dir` (created), as `NAME.txt`.
pub fn write_articles(dir: &Path, articles: &[(String, String)]) {
    fs::create_dir_all(dir).expect("create article directory");
    for (name, text) in articles {
        fs::write(dir.join(format!("{name}.txt")), text).expect("write article");
    }
}
