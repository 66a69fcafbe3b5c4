//! Ingest throughput on a fixed corpus built from the development data.
//!
//! Builds ~20 MB of `.txt` articles with headers in a temporary directory
//! (TempEval-3 texts with their DCT dates, MEANTIME texts rebuilt from
//! tokens; the set repeated with a one-line change per copy so that copies
//! are near-duplicates), then times reading+parsing, near-duplicate marking
//! and sentence segmentation, single-threaded and with rayon, checking that
//! both give identical results and asserting the counts.
//!
//! ```text
//! cargo run --release -p eventline-ingest --features bench --example bench -- --threads 2 --mb 20
//! ```

use ingest::{IngestOptions, dedup, list_inputs, read_file};
use model::{ByteSpan, Document};
use nlp::segment::Segmenter;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(default)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

fn files_with_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with_ext(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// (date, body) for each source article.
fn source_articles() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut tml = Vec::new();
    files_with_ext(&Path::new(DATA).join("tempeval3-train"), "tml", &mut tml);
    tml.sort();
    for p in tml {
        let xml = std::fs::read_to_string(&p).unwrap();
        let date = xml
            .find("value=\"")
            .map(|i| xml[i + 7..i + 17].to_owned())
            .unwrap_or_else(|| "2000-01-01".into());
        if let (Some(a), Some(b)) = (xml.find("<TEXT>"), xml.find("</TEXT>")) {
            out.push((date, strip_tags(&xml[a + 6..b]).trim().to_owned()));
        }
    }
    let mut mt = Vec::new();
    files_with_ext(
        &Path::new(DATA).join("meantime/intra-doc_annotation"),
        "xml",
        &mut mt,
    );
    mt.sort();
    for p in mt {
        let xml = std::fs::read_to_string(&p).unwrap();
        let tokens: Vec<String> = xml
            .split("<token ")
            .skip(1)
            .filter_map(|t| {
                let a = t.find('>')?;
                let b = t.find("</token>")?;
                Some(unescape(&t[a + 1..b]))
            })
            .collect();
        out.push(("2008-01-01".into(), tokens.join(" ")));
    }
    out
}

fn rate(what: &str, threads: usize, docs: usize, bytes: usize, secs: f64) {
    println!(
        "{what:<22} threads {threads}: {docs} docs in {secs:.3} s = {:>9.0} docs/s, {:>7.1} MB/s",
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

fn main() {
    if !Path::new(DATA).exists() {
        eprintln!("skipping: ../shared/data not found");
        return;
    }
    let threads = arg("--threads", 2);
    let target_mb = arg("--mb", 20);
    let sources = source_articles();
    assert!(!sources.is_empty(), "no source articles found");
    let tmp = tempfile::tempdir().unwrap();
    let mut written = 0usize;
    let mut files = 0usize;
    let mut copy = 0usize;
    while written < target_mb * 1_000_000 {
        let dir = tmp.path().join(format!("copy{copy:03}"));
        let prefix = format!("c{copy:03}_");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (date, body)) in sources.iter().enumerate() {
            let content = format!(
                " date {date} (Bench Wire)\n\nThis is copy number {copy} of the story.\n\n{body}\n"
            );
            std::fs::write(dir.join(format!("{prefix}a{i:04}.txt")), &content).unwrap();
            written += content.len();
            files += 1;
        }
        copy += 1;
    }
    println!(
        "corpus: {files} files, {:.1} MB ({} sources x {copy} copies)",
        written as f64 / 1e6,
        sources.len()
    );
    let opts = IngestOptions::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();

    // Reading + parsing.
    let t = Instant::now();
    let inputs = list_inputs(tmp.path()).unwrap();
    let docs: Vec<Document> = inputs
        .iter()
        .flat_map(|p| read_file(p, &opts))
        .map(|r| r.unwrap())
        .collect();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(docs.len(), files);
    rate("read+parse", 1, docs.len(), written, secs);
    let t = Instant::now();
    let par_docs: Vec<Document> = pool.install(|| {
        let inputs = list_inputs(tmp.path()).unwrap();
        inputs
            .par_iter()
            .flat_map_iter(|p| read_file(p, &opts))
            .map(|r| r.unwrap())
            .collect()
    });
    rate(
        "read+parse",
        threads,
        par_docs.len(),
        written,
        t.elapsed().as_secs_f64(),
    );
    assert_eq!(docs, par_docs, "parallel reading changed the output");

    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();

    // Near-duplicates (single-threaded by design: one pass over all documents).
    let mut dd = docs.clone();
    let t = Instant::now();
    dedup::mark_duplicates(&mut dd);
    rate("dedup", 1, dd.len(), text_bytes, t.elapsed().as_secs_f64());
    let marked = dd.iter().filter(|d| d.duplicate_of.is_some()).count();
    println!("dedup: {marked} of {} marked as copies", dd.len());
    assert!(marked >= files - sources.len(), "copies not all found");

    // Sentence segmentation.
    let seg = Segmenter::new();
    let t = Instant::now();
    let spans: Vec<Vec<ByteSpan>> = docs.iter().map(|d| seg.split(&d.text)).collect();
    rate(
        "segment",
        1,
        docs.len(),
        text_bytes,
        t.elapsed().as_secs_f64(),
    );
    let t = Instant::now();
    let par_spans: Vec<Vec<ByteSpan>> =
        pool.install(|| docs.par_iter().map(|d| seg.split(&d.text)).collect());
    rate(
        "segment",
        threads,
        docs.len(),
        text_bytes,
        t.elapsed().as_secs_f64(),
    );
    assert_eq!(spans, par_spans, "parallel segmentation changed the output");
    let sentences: usize = spans.iter().map(Vec::len).sum();
    println!("segment: {sentences} sentences");
    assert!(sentences > docs.len());
}
