//! Throughput of the Rust pipeline against the real spaCy on the same texts.
//!
//! ```text
//! cargo run --release -p eventline-spacy --example speed -- MODEL_DIR TEXTS [--repeat N] [--python python3] [--no-spacy]
//! ```
//!
//! `TEXTS` is a directory of golden JSON documents (their `text` field) or
//! of `.txt` files. Prints words/s for the full pipeline and NER only,
//! single-threaded, plus the full pipeline over 2 threads (documents split
//! between threads, one shared pipeline). spaCy is timed in a Python
//! subprocess (`nlp.pipe`, BLAS limited to one thread, load time excluded);
//! its column is skipped with a note when Python or spaCy is missing, or
//! with `--no-spacy` (useful under `perf record`). Each
//! figure is the best of `--repeat` runs (default 2). CPU time is printed
//! next to wall time: on a busy machine words per CPU-second is the fairer
//! comparison. Word and entity counts are printed so that a fast wrong
//! answer shows.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use spacy::pipeline::{Components, SpacyPipeline};

const PY_SCRIPT: &str = r#"
import json, sys, time
import spacy
model, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = json.load(open(path, encoding="utf-8"))
nlp = spacy.load(model)
list(nlp.pipe(texts[:3]))
def run(disable):
    best, cpu, words, ents = None, None, 0, 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        docs = list(nlp.pipe(texts, disable=disable))
        dt, dc = time.perf_counter() - t, time.process_time() - c
        best = dt if best is None else min(best, dt)
        cpu = dc if cpu is None else min(cpu, dc)
        words = sum(len(d) for d in docs)
        ents = sum(len(d.ents) for d in docs)
    return {"secs": best, "cpu": cpu, "words": words, "ents": ents}
full = run([])
ner = run([p for p in nlp.pipe_names if p != "ner"])
print(json.dumps({"full": full, "ner": ner}))
"#;

struct Run {
    secs: f64,
    cpu: f64,
    words: usize,
    ents: usize,
}

fn load_texts(dir: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        match f.extension().and_then(|x| x.to_str()) {
            Some("json") => {
                let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f)?)?;
                if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                    texts.push(t.to_string());
                }
            }
            Some("txt") => texts.push(std::fs::read_to_string(&f)?),
            _ => {}
        }
    }
    Ok(texts)
}

fn time_rust(
    pipe: &SpacyPipeline,
    texts: &[String],
    opts: Components,
    threads: usize,
    repeat: usize,
) -> Run {
    let mut best: Option<Run> = None;
    for _ in 0..repeat {
        let t = Instant::now();
        let c = cpu_seconds();
        let (words, ents) = if threads <= 1 {
            texts.iter().fold((0, 0), |(w, e), text| {
                let a = pipe.analyze_with(text, opts);
                (w + a.tokens.len(), e + a.entities.len())
            })
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|k| {
                        s.spawn(move || {
                            texts
                                .iter()
                                .skip(k)
                                .step_by(threads)
                                .fold((0, 0), |(w, e), text| {
                                    let a = pipe.analyze_with(text, opts);
                                    (w + a.tokens.len(), e + a.entities.len())
                                })
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("worker"))
                    .fold((0, 0), |(w, e), (w2, e2)| (w + w2, e + e2))
            })
        };
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c;
        if best.as_ref().is_none_or(|b| secs < b.secs) {
            best = Some(Run {
                secs,
                cpu,
                words,
                ents,
            });
        }
    }
    best.expect("repeat >= 1")
}

fn time_spacy(
    python: &str,
    model: &Path,
    texts: &[String],
    repeat: usize,
) -> Result<(Run, Run), String> {
    let tmp = std::env::temp_dir().join(format!("eventline-speed-{}.json", std::process::id()));
    std::fs::write(
        &tmp,
        serde_json::to_string(texts).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let out = Command::new(python)
        .arg("-c")
        .arg(PY_SCRIPT)
        .arg(model)
        .arg(&tmp)
        .arg(repeat.to_string())
        .env("OMP_NUM_THREADS", "1")
        .env("OPENBLAS_NUM_THREADS", "1")
        .env("MKL_NUM_THREADS", "1")
        .output();
    let _ = std::fs::remove_file(&tmp);
    let out = out.map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "spaCy run failed: {}",
            err.lines().last().unwrap_or("")
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("bad output from Python: {e}"))?;
    let run = |k: &str| Run {
        secs: v[k]["secs"].as_f64().unwrap_or(f64::NAN),
        cpu: v[k]["cpu"].as_f64().unwrap_or(f64::NAN),
        words: v[k]["words"].as_u64().unwrap_or(0) as usize,
        ents: v[k]["ents"].as_u64().unwrap_or(0) as usize,
    };
    Ok((run("full"), run("ner")))
}

/// CPU seconds (user + system) used by this process so far, from
/// `/proc/self/stat` (clock ticks of 1/100 s); NaN where unavailable.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesized command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return f64::NAN;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut repeat = 2usize;
    let mut python = "python3".to_string();
    let mut no_spacy = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--repeat" => repeat = it.next().and_then(|v| v.parse().ok()).unwrap_or(2).max(1),
            "--python" => python = it.next().cloned().unwrap_or(python),
            "--no-spacy" => no_spacy = true,
            _ => pos.push(a.clone()),
        }
    }
    let [model, texts_dir] = pos.as_slice() else {
        eprintln!("usage: speed MODEL_DIR TEXTS [--repeat N] [--python python3] [--no-spacy]");
        std::process::exit(2);
    };
    let model = PathBuf::from(model);
    let texts = load_texts(Path::new(texts_dir))?;
    let t = Instant::now();
    let pipe = SpacyPipeline::load(&model)?;
    let load_secs = t.elapsed().as_secs_f64();
    for text in texts.iter().take(3) {
        pipe.analyze(text);
    }
    let full1 = time_rust(&pipe, &texts, Components::ALL, 1, repeat);
    let ner1 = time_rust(&pipe, &texts, Components::NER_ONLY, 1, repeat);
    let full2 = time_rust(&pipe, &texts, Components::ALL, 2, repeat);
    let spacy = if no_spacy {
        Err("--no-spacy".to_string())
    } else {
        time_spacy(&python, &model, &texts, repeat)
    };

    let wps = |r: &Run| r.words as f64 / r.secs;
    println!(
        "{} documents from {texts_dir}; eventline load {load_secs:.2}s; best of {repeat}\n",
        texts.len()
    );
    println!(
        "| run | words | entities | wall s | words/s | vs spaCy | CPU s | words/CPU-s | vs spaCy (CPU) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let cps = |r: &Run| r.words as f64 / r.cpu;
    let (sp_full, sp_ner) = match &spacy {
        Ok((f, n)) => (Some((wps(f), cps(f))), Some((wps(n), cps(n)))),
        Err(_) => (None, None),
    };
    let ratio = |v: f64, b: Option<f64>| {
        b.map(|b| format!("{:.1}x", v / b))
            .unwrap_or_else(|| "n/a".into())
    };
    let row = |name: &str, r: &Run, base: Option<(f64, f64)>| {
        println!(
            "| {name} | {} | {} | {:.2} | {:.0} | {} | {:.2} | {:.0} | {} |",
            r.words,
            r.ents,
            r.secs,
            wps(r),
            ratio(wps(r), base.map(|b| b.0)),
            r.cpu,
            cps(r),
            ratio(cps(r), base.map(|b| b.1)),
        );
    };
    row("eventline full, 1 thread", &full1, sp_full);
    row("eventline NER only, 1 thread", &ner1, sp_ner);
    row("eventline full, 2 threads", &full2, sp_full);
    match &spacy {
        Ok((f, n)) => {
            row("spaCy full, 1 thread", f, sp_full);
            row("spaCy NER only, 1 thread", n, sp_ner);
        }
        Err(e) => println!("\nspaCy column skipped: {e}"),
    }
    Ok(())
}
