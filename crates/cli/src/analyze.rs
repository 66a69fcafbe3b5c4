//! Glue: the per-document pipeline, run in parallel with order-independent
//! output, and the cross-document step that turns analysed documents into a
//! timeline.

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use model::{Document, MentionOrigin, Pipeline, Stage, StageError, Timeline};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Name of the bundled model directory under `models/`.
const BUNDLED_MODEL: &str = "en_core_web_sm-3.8.0";

/// Finds the spaCy pipeline directory: the `--model` argument, else the
/// bundled copy in `./models/`, else the one in the source tree this binary was built from.
pub fn model_dir(arg: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = arg {
        if p.join("config.cfg").is_file() {
            return Ok(p.to_path_buf());
        }
        bail!(
            "{}: not a spaCy pipeline directory (no config.cfg)",
            p.display()
        );
    }
    let candidates = [
        PathBuf::from("models").join(BUNDLED_MODEL),
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models")
            .join(BUNDLED_MODEL),
    ];
    candidates
        .iter()
        .find(|p| p.join("config.cfg").is_file())
        .cloned()
        .with_context(|| {
            format!("the bundled model models/{BUNDLED_MODEL} was not found; pass --model DIR")
        })
}

/// The per-document analysis, loaded once and shared by all threads.
pub struct Analyzer {
    pipeline: Pipeline,
    events: nlp::events::EventStage,
}

impl Analyzer {
    /// Loads the model and builds the pipeline: spaCy (tokens, tags, parse,
    /// sentences, entities), time expressions, gazetteer places.
    pub fn load(model: Option<&Path>) -> Result<Self> {
        let dir = model_dir(model)?;
        let spacy = nlp::spacy_stage::SpacyStage::load(&dir)
            .with_context(|| format!("loading spaCy pipeline {}", dir.display()))?;
        let pipeline = Pipeline::new()
            .with(spacy)?
            .with(temporal::TemporalStage::new())?
            .with(resolve::geo::GazetteerStage)?;
        Ok(Self {
            pipeline,
            events: nlp::events::EventStage::new(),
        })
    }

    /// Stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        let mut v = self.pipeline.stage_names();
        v.push(self.events.name());
        v
    }

    /// Runs the per-document stages over one document and returns the time each stage took.
    pub fn analyze_timed(
        &self,
        doc: &mut Document,
    ) -> Result<Vec<(&'static str, std::time::Duration)>, StageError> {
        self.pipeline.run_timed(doc)
    }

    /// Runs the per-document stages over one document.
    pub fn analyze(&self, doc: &mut Document) -> Result<(), StageError> {
        self.pipeline.run(doc)
    }

    /// Analyses documents in parallel; the result order is the input order,
    /// whatever the thread count. A document whose analysis fails is returned
    /// as an error with its id.
    pub fn analyze_all(&self, docs: Vec<Document>) -> Vec<Result<Document, StageError>> {
        let bar = progress(docs.len() as u64, "analysing");
        let out = docs
            .into_par_iter()
            .map(|mut d| {
                let r = self.analyze(&mut d).map(|()| d);
                bar.inc(1);
                r
            })
            .collect();
        bar.finish_and_clear();
        out
    }

    /// The cross-document step: links entities across all documents (adding
    /// rule mentions and entity ids), extracts event mentions now that
    /// participants are resolved, and merges them into timeline events.
    /// Idempotent: mentions a previous run added by rule are dropped first.
    /// The order of `docs` is kept (linking and merging order by document id
    /// internally, so the result does not depend on it).
    pub fn build_timeline(&self, docs: &mut [Document]) -> Result<Timeline, StageError> {
        for d in docs.iter_mut() {
            d.layers
                .entities
                .retain(|m| m.origin != MentionOrigin::Rule);
            for m in &mut d.layers.entities {
                m.entity = None;
            }
            d.layers.events.clear();
        }
        let entities = resolve::entities::EntityLinker::new().link(docs);
        docs.par_iter_mut().try_for_each(|d| self.events.run(d))?;
        let events = resolve::events::merge(docs, &entities);
        let framing = resolve::framing::compare(docs);
        Ok(Timeline {
            entities,
            events,
            framing,
        })
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
pub fn progress(len: u64, what: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} docs ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what);
    bar
}
