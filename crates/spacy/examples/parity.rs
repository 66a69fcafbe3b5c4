//! Parity of the Rust pipeline with the real spaCy, on goldens written by
//! `scripts/spacy_golden.py`.
//!
//! ```text
//! cargo run --release -p eventline-spacy --example parity -- MODEL_DIR GOLDEN_DIR [--diff]
//! ```
//!
//! Prints a table (see `spacy::pipeline::parity` for the definitions);
//! `--diff` also lists every differing token and entity.

use std::path::PathBuf;

use spacy::pipeline::SpacyPipeline;
use spacy::pipeline::parity::{ParityCounts, golden_text};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_diff = args.iter().any(|a| a == "--diff");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [model_dir, golden_dir] = pos.as_slice() else {
        eprintln!("usage: parity MODEL_DIR GOLDEN_DIR [--diff]");
        std::process::exit(2);
    };
    let pipe = SpacyPipeline::load(&PathBuf::from(model_dir))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(golden_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut counts = ParityCounts::default();
    for f in &files {
        let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
        let Some(text) = golden_text(&gold) else {
            continue;
        };
        let pred = pipe.analyze(text);
        if show_diff {
            print_diff(f, text, &gold, &pred);
        }
        counts.add(&gold, &pred);
    }
    println!("model: {model_dir}\ngoldens: {golden_dir}\n");
    print!("{}", counts.table());
    Ok(())
}

fn print_diff(
    f: &std::path::Path,
    text: &str,
    gold: &serde_json::Value,
    pred: &spacy::pipeline::Analysis,
) {
    let empty = Vec::new();
    let g_tokens = gold["layers"]["tokens"].as_array().unwrap_or(&empty);
    let name = f.file_name().unwrap_or_default().to_string_lossy();
    for (i, g) in g_tokens.iter().enumerate() {
        let s = g["span"]["start"].as_u64().unwrap_or(0) as usize;
        let e = g["span"]["end"].as_u64().unwrap_or(0) as usize;
        let Some(p) = pred.tokens.iter().find(|t| t.start == s && t.end == e) else {
            println!("{name}: token {i} {:?} not produced", &text[s..e]);
            continue;
        };
        let field = |k: &str| g[k].as_str().unwrap_or("").to_string();
        if p.tag != field("tag")
            || p.pos != field("pos")
            || p.lemma != field("lemma")
            || p.dep != field("dep")
        {
            println!(
                "{name}: token {i} {:?}: tag {}/{} pos {}/{} lemma {}/{} dep {}/{}",
                &text[s..e],
                p.tag,
                field("tag"),
                p.pos,
                field("pos"),
                p.lemma,
                field("lemma"),
                p.dep,
                field("dep")
            );
        }
    }
    let g_ents: Vec<(usize, usize, String)> = gold["layers"]["entities"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|e| {
            (
                e["span"]["start"].as_u64().unwrap_or(0) as usize,
                e["span"]["end"].as_u64().unwrap_or(0) as usize,
                e["label"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for e in &g_ents {
        if !pred.entities.contains(e) {
            println!("{name}: missed entity {:?} {}", &text[e.0..e.1], e.2);
        }
    }
    for e in &pred.entities {
        if !g_ents.contains(e) {
            println!("{name}: extra entity {:?} {}", &text[e.0..e.1], e.2);
        }
    }
}
