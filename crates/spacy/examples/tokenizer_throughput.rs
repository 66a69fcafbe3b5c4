//! Tokenizer throughput over the texts of golden JSON files.
//!
//! `cargo run --release -p eventline-spacy --example tokenizer_throughput -- DIR [DIR...]`
//!
//! Prints tokens per second (spaCy counts words as tokens) and asserts the
//! token count is the same on every repetition.

use std::path::Path;
use std::time::Instant;

use spacy::lex::LexTables;
use spacy::tokenizer::Tokenizer;

fn main() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0");
    let t0 = Instant::now();
    let tok = Tokenizer::load(&model).expect("load tokenizer");
    let lex = LexTables::load(&model).expect("load lex tables");
    eprintln!("loaded in {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    let mut texts = Vec::new();
    for dir in std::env::args().skip(1) {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for p in paths {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json");
            texts.push(v["text"].as_str().expect("text").to_string());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!("{} texts, {:.1} MB", texts.len(), bytes as f64 / 1e6);
    let mut expected = None;
    let mut count = |tok: &Tokenizer| -> (usize, f64) {
        let t = Instant::now();
        let n: usize = texts.iter().map(|text| tok.tokenize(text).len()).sum();
        let dt = t.elapsed().as_secs_f64();
        assert_eq!(
            *expected.get_or_insert(n),
            n,
            "token count changed between rounds"
        );
        (n, dt)
    };
    for round in 0..3 {
        // A fresh tokenizer: its chunk memo starts empty.
        let fresh = Tokenizer::load(&model).expect("load tokenizer");
        let (n, dt) = count(&fresh);
        println!(
            "cold round {round}: {n} tokens, {:.0} tokens/s",
            n as f64 / dt
        );
    }
    for round in 0..3 {
        let (n, dt) = count(&tok);
        println!(
            "warm round {round}: {n} tokens, {:.0} tokens/s",
            n as f64 / dt
        );
    }
    let t = Instant::now();
    let mut n = 0usize;
    let mut shape_bytes = 0usize;
    for text in &texts {
        for r in tok.tokenize(text) {
            n += 1;
            shape_bytes += lex
                .attrs(&text[r.start..r.end], r.norm.as_deref())
                .shape
                .len();
        }
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "warm tokenize + lexical attributes: {n} tokens, {:.0} tokens/s ({shape_bytes} shape bytes)",
        n as f64 / dt
    );
}
