//! `eventline eval ...`: the real pipeline scored against gold data.

use crate::{CmdResult, EXIT_OK, EvalCommand};
use anyhow::{Context, Result};
use model::{Document, Stage};
use pipeline::Analyzer;
use rayon::prelude::*;
use std::path::Path;

/// Runs one evaluation and prints its table.
pub fn eval(model: Option<&Path>, what: EvalCommand) -> CmdResult {
    let analyzer = Analyzer::load(model)?;
    match what {
        EvalCommand::Timeml { dir, meantime } => timeml(&analyzer, &dir, meantime)?,
        EvalCommand::Sentences { dir } => sentences(&analyzer, &dir)?,
        EvalCommand::Meantime { dir } => meantime_entities(&analyzer, &dir)?,
        EvalCommand::Ecbplus { dir } => ecbplus(&analyzer, &dir)?,
        EvalCommand::Plover { path } => plover(&analyzer, &path)?,
    }
    Ok(EXIT_OK)
}

/// Analyses documents in parallel (order kept), failing on the first stage error.
fn analyze_docs(analyzer: &Analyzer, docs: &mut [Document]) -> Result<()> {
    docs.par_iter_mut()
        .try_for_each(|d| analyzer.analyze(d))
        .context("analysing evaluation documents")
}

fn timeml(analyzer: &Analyzer, dir: &Path, meantime: bool) -> Result<()> {
    let docs = if meantime {
        eval::timeml::read_meantime_dir(&meantime_subdir(dir, "intra-doc_annotation"))?
    } else {
        eval::timeml::read_timeml_dir(dir)?
    };
    let scores = eval::timeml::score_docs(&docs, &|text, dct| {
        let mut d = Document::new("eval", text);
        d.meta.date = dct;
        match analyzer.analyze(&mut d) {
            Ok(()) => d.layers.timexes,
            Err(_) => Vec::new(),
        }
    });
    println!("{} documents from {}", docs.len(), dir.display());
    println!("{scores}");
    Ok(())
}

/// MEANTIME is distributed twice (intra-doc and cross-doc annotation); score one copy.
fn meantime_subdir(dir: &Path, sub: &str) -> std::path::PathBuf {
    let d = dir.join(sub);
    if d.is_dir() { d } else { dir.to_path_buf() }
}

fn sentences(analyzer: &Analyzer, dir: &Path) -> Result<()> {
    use eval::sentences::{Layout, evaluate_meantime_with};
    let dir = meantime_subdir(dir, "intra-doc_annotation");
    let rule = nlp::segment::Segmenter::new();
    let parse = |text: &str| {
        let mut d = Document::new("eval", text);
        match analyzer.analyze(&mut d) {
            Ok(()) => d.layers.sentences.iter().map(|s| s.span).collect(),
            Err(_) => Vec::new(),
        }
    };
    for (layout, name) in [
        (Layout::Flat, "tokens joined by spaces"),
        (
            Layout::ArticleLines(2),
            "headline and date line on their own lines",
        ),
    ] {
        println!("MEANTIME, {name}:");
        let r = evaluate_meantime_with(&dir, layout, &|t| rule.split(t))?;
        println!("  rule-based segmenter (nlp::segment): {r}");
        let p = evaluate_meantime_with(&dir, layout, &parse)?;
        println!("  pipeline sentences (spaCy parse):    {p}");
    }
    Ok(())
}

fn meantime_entities(analyzer: &Analyzer, dir: &Path) -> Result<()> {
    let dir = meantime_subdir(dir, "intra_cross-doc_annotation");
    let scores = eval::meantime::evaluate_entities(&dir, &|docs: &mut [Document]| {
        if analyze_docs(analyzer, docs).is_ok() {
            pipeline::build_timeline(docs);
        }
    })?;
    println!("{scores}");
    let events = eval::meantime_events::evaluate_events(&dir, &|docs: &mut [Document]| {
        if analyze_docs(analyzer, docs).is_err() {
            return Vec::new();
        }
        pipeline::build_timeline(docs).events
    })?;
    print!("{events}");
    Ok(())
}

fn ecbplus(analyzer: &Analyzer, dir: &Path) -> Result<()> {
    let scores = eval::ecbplus::evaluate(dir, &|docs: &mut Vec<Document>| {
        if analyze_docs(analyzer, docs).is_err() {
            return Vec::new();
        }
        pipeline::build_timeline(docs).events
    })?;
    println!("{scores}");
    Ok(())
}

fn plover(analyzer: &Analyzer, path: &Path) -> Result<()> {
    let file = if path.is_dir() {
        path.join("PLOVER_GSR_CAMEO.dev.json")
    } else {
        path.to_path_buf()
    };
    let events = nlp::events::EventStage::new();
    let scores = eval::plover::evaluate(&file, &|r| {
        let mut d = Document::new(r.id.clone(), r.text.clone());
        analyzer.analyze(&mut d).ok()?;
        let mut docs = vec![d];
        pipeline::build_timeline(&mut docs);
        let mut d = docs.pop()?;
        d.layers.events.clear();
        events.run(&mut d).ok()?;
        let sentence = d.layers.events.iter().map(|m| m.sentence as usize).min()?;
        nlp::events::main_event(&d, &d.layers.events, sentence).map(nlp::events::plover_type)
    })?;
    println!("{scores}");
    Ok(())
}
