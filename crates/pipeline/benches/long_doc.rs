//! Long documents: does one article's analysis cost time and memory in
//! proportion to its length?
//!
//! ```text
//! cargo bench -p eventline-pipeline --bench long_doc -- [--mb 0.5,1,2,4] [--shape paragraphs|lines|one-line|repeated]
//! ```
//!
//! Generates one article of short news sentences (about 40 bytes each, so
//! 4 MB is about 100,000 sentences) for each size, and analyses it with
//! every per-document stage ([`pipeline::Analyzer::analyze_timed`]) in a
//! child process (this binary re-executed), so that the peak RSS printed is
//! that size's own. `--shape` lays the sentences out as paragraphs of eight
//! sentences per line (default), one sentence per line, all on one line, or
//! (`repeated`) as paragraphs of one sentence repeated.
//! Prints, per size: seconds of analysis (and per stage), peak RSS, the RSS
//! after loading the model, and the counts found; the sentence, time
//! expression and event counts are asserted against what was generated, so a
//! fast wrong answer fails.

use model::Document;
use pipeline::Analyzer;
use std::process::Command;
use std::time::Instant;

/// Peak resident set size of this process, MB (`VmHWM`).
fn peak_rss_mb() -> f64 {
    rss_field("VmHWM:")
}

/// Current resident set size of this process, MB (`VmRSS`).
fn rss_mb() -> f64 {
    rss_field("VmRSS:")
}

fn rss_field(name: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

const SUBJECTS: &[&str] = &[
    "The mayor",
    "Police",
    "The council",
    "Officials",
    "The minister",
    "Rescue teams",
    "Farmers",
    "The company",
    "Protesters",
    "Doctors",
    "Anna Berg",
    "John Miller",
];

const PREDICATES: &[&str] = &[
    "met union leaders in Lyon",
    "opened a new bridge",
    "announced new rules",
    "visited the port of Hamburg",
    "signed a deal with Canada",
    "closed the main road",
    "criticised the plan",
    "marched to the town hall",
    "arrested two men in Porto",
    "praised the nurses",
];

const TIMES: &[&str] = &["on Monday", "yesterday", "last week", "on March 3", ""];

/// What was generated: the text and the sentences and time phrases in it.
struct Generated {
    text: String,
    sentences: usize,
    timed: usize,
}

/// An article of about `bytes` bytes of short sentences laid out as `shape` says.
fn article(bytes: usize, shape: &str) -> Generated {
    let per_line = match shape {
        "lines" => 1,
        "one-line" => usize::MAX,
        _ => 8,
    };
    let mut text = String::with_capacity(bytes + 64);
    let (mut sentences, mut timed) = (0usize, 0usize);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let vary = shape != "repeated";
    let mut next = |n: usize| {
        if !vary {
            return 0;
        }
        // xorshift: the same article for the same size, every run
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    while text.len() < bytes {
        if sentences > 0 {
            text.push(if sentences % per_line == 0 { '\n' } else { ' ' });
        }
        let when = TIMES[next(TIMES.len())];
        text.push_str(SUBJECTS[next(SUBJECTS.len())]);
        text.push(' ');
        text.push_str(PREDICATES[next(PREDICATES.len())]);
        if !when.is_empty() {
            text.push(' ');
            text.push_str(when);
            timed += 1;
        }
        text.push('.');
        sentences += 1;
    }
    Generated {
        text,
        sentences,
        timed,
    }
}

/// Child mode: analyse one generated article and print one result line.
fn child(bytes: usize, shape: &str) {
    let g = article(bytes, shape);
    let analyzer = Analyzer::load(None).expect("the bundled model loads");
    let loaded = rss_mb();
    let mut doc = Document::new("long", g.text);
    doc.meta.date = chrono::NaiveDate::from_ymd_opt(2024, 12, 2);
    let t = Instant::now();
    let stages = analyzer.analyze_timed(&mut doc).expect("analysis");
    let secs = t.elapsed().as_secs_f64();
    let l = &doc.layers;
    let per_stage: Vec<String> = stages
        .iter()
        .map(|(n, d)| format!("{n}={:.2}", d.as_secs_f64()))
        .collect();
    println!(
        "RESULT {} {secs:.3} {:.0} {loaded:.0} {} {} {} {} {} {}",
        doc.text.len(),
        peak_rss_mb(),
        g.sentences,
        l.sentences.len(),
        g.timed,
        l.timexes.len(),
        l.events.len(),
        per_stage.join(","),
    );
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    if let Some(b) = arg("--child") {
        let shape = arg("--shape").unwrap_or_else(|| "paragraphs".into());
        child(b.parse().expect("a byte count"), &shape);
        return;
    }
    let shape = arg("--shape").unwrap_or_else(|| "paragraphs".into());
    let sizes: Vec<f64> = arg("--mb")
        .unwrap_or_else(|| "0.5,1,2,4".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes in MB, comma-separated"))
        .collect();
    println!("long documents, shape {shape}, one thread per document");
    println!(
        "{:>6} {:>9} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}  stages (s)",
        "MB", "sentences", "seconds", "s/MB", "peak MB", "model MB", "timexes", "events"
    );
    for mb in sizes {
        let bytes = (mb * 1_000_000.0) as usize;
        let out = Command::new(std::env::current_exe().expect("own path"))
            .args(["--child", &bytes.to_string(), "--shape", &shape])
            .env("RAYON_NUM_THREADS", "1")
            .output()
            .expect("run child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let Some(line) = stdout.lines().find_map(|l| l.strip_prefix("RESULT ")) else {
            panic!(
                "child for {mb} MB failed ({:?}):\n{stdout}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| f[i].parse::<f64>().expect("a number");
        let (len, secs, peak, model_mb) = (num(0), num(1), num(2), num(3));
        let (gen_sents, sents, gen_timed, timexes, events) =
            (num(4), num(5), num(6), num(7), num(8));
        println!(
            "{:>6.2} {sents:>9} {secs:>8.1} {:>9.1} {peak:>9.0} {model_mb:>9.0} {timexes:>9} {events:>9}  {}",
            len / 1e6,
            secs / (len / 1e6),
            f[9]
        );
        // a fast wrong answer must not pass: what was generated is found
        assert!(
            (sents - gen_sents).abs() <= gen_sents * 0.05,
            "{sents} sentences found, {gen_sents} generated"
        );
        assert!(
            timexes >= gen_timed * 0.9,
            "{timexes} time expressions found, {gen_timed} generated"
        );
        assert!(
            events >= gen_sents * 0.5,
            "{events} event mentions for {gen_sents} sentences"
        );
    }
}
