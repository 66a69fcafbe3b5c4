//! `eventline eval ...`: the real pipeline scored against gold data.

use crate::{CmdResult, EXIT_OK, EvalCommand};
use anyhow::{Context, Result};
use model::{Document, Stage};
use pipeline::Analyzer;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Mutex;

/// The analysis errors met inside a scorer's callback, which has no error
/// channel of its own: the callback records the error and gives the scorer
/// an empty answer, and the command fails with the first error once the
/// scorer returns, instead of printing scores that count the failed
/// documents as misses.
#[derive(Default)]
struct Failures {
    first: Mutex<Option<anyhow::Error>>,
    count: std::sync::atomic::AtomicUsize,
}

impl Failures {
    /// Keeps the value, or records the error and returns `None`.
    fn keep<T>(&self, r: Result<T, impl Into<anyhow::Error>>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.count
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.first
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e.into());
                None
            }
        }
    }

    /// `Err` with the first error recorded, if any.
    fn check(self) -> Result<()> {
        let n = self.count.into_inner();
        match self.first.into_inner().unwrap_or_else(|p| p.into_inner()) {
            None => Ok(()),
            Some(e) => Err(e.context(format!(
                "{n} evaluation document(s) could not be analysed; no scores printed"
            ))),
        }
    }
}

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
    let failures = Failures::default();
    let scores = eval::timeml::score_docs(&docs, &|text, dct| {
        let mut d = Document::new("eval", text);
        d.meta.date = dct;
        failures
            .keep(analyzer.analyze(&mut d))
            .map(|()| d.layers.timexes)
            .unwrap_or_default()
    });
    failures.check()?;
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
    for (layout, name) in [
        (Layout::Flat, "tokens joined by spaces"),
        (
            Layout::ArticleLines(2),
            "headline and date line on their own lines",
        ),
    ] {
        let r = evaluate_meantime_with(&dir, layout, &|t| rule.split(t))?;
        let failures = Failures::default();
        let parse = |text: &str| {
            let mut d = Document::new("eval", text);
            failures
                .keep(analyzer.analyze(&mut d))
                .map(|()| d.layers.sentences.iter().map(|s| s.span).collect())
                .unwrap_or_default()
        };
        let p = evaluate_meantime_with(&dir, layout, &parse)?;
        failures.check()?;
        println!("MEANTIME, {name}:");
        println!("  rule-based segmenter (nlp::segment): {r}");
        println!("  pipeline sentences (spaCy parse):    {p}");
    }
    Ok(())
}

fn meantime_entities(analyzer: &Analyzer, dir: &Path) -> Result<()> {
    let dir = meantime_subdir(dir, "intra_cross-doc_annotation");
    let failures = Failures::default();
    let scores = eval::meantime::evaluate_entities(&dir, &|docs: &mut [Document]| {
        if failures.keep(analyze_docs(analyzer, docs)).is_some() {
            pipeline::build_timeline(docs);
        }
    })?;
    failures.check()?;
    println!("{scores}");
    let failures = Failures::default();
    let events = eval::meantime_events::evaluate_events(&dir, &|docs: &mut [Document]| {
        failures
            .keep(analyze_docs(analyzer, docs))
            .map(|()| pipeline::build_timeline(docs).events)
            .unwrap_or_default()
    })?;
    failures.check()?;
    print!("{events}");
    Ok(())
}

fn ecbplus(analyzer: &Analyzer, dir: &Path) -> Result<()> {
    let failures = Failures::default();
    let scores = eval::ecbplus::evaluate(dir, &|docs: &mut Vec<Document>| {
        failures
            .keep(analyze_docs(analyzer, docs))
            .map(|()| pipeline::build_timeline(docs).events)
            .unwrap_or_default()
    })?;
    failures.check()?;
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
    let failures = Failures::default();
    let scores = eval::plover::evaluate(&file, &|r| {
        let mut d = Document::new(r.id.clone(), r.text.clone());
        failures.keep(analyzer.analyze(&mut d))?;
        let mut docs = vec![d];
        pipeline::build_timeline(&mut docs);
        let mut d = docs.pop()?;
        d.layers.events.clear();
        failures.keep(events.run(&mut d))?;
        let sentence = d.layers.events.iter().map(|m| m.sentence as usize).min()?;
        nlp::events::main_event(&d, &d.layers.events, sentence).map(nlp::events::plover_type)
    })?;
    failures.check()?;
    println!("{scores}");
    Ok(())
}
