//! Per-document analysis: "here is one article, give me everything that can
//! be known from it alone". Computed once at ingest and stored; later ingests
//! never parse or extract a stored document again.
//!
//! Stages, in order: spaCy (tokens, tags, lemmas, parse, sentences,
//! entities), time expressions, gazetteer places, within-document entity
//! linking (local entities, rule mentions for role phrases and demonyms),
//! and event mentions (their participants are local entity ids).

use crate::PipelineError;
use model::{Document, MentionOrigin, Pipeline, Stage, StageError};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Name of the bundled model directory under `models/`.
pub const BUNDLED_MODEL: &str = "en_core_web_sm-3.8.0";

/// Finds the spaCy pipeline directory: the given one, else the bundled copy
/// in `./models/`, else the one in the source tree this crate was built from.
pub fn model_dir(arg: Option<&Path>) -> Result<PathBuf, PipelineError> {
    if let Some(p) = arg {
        if p.join("config.cfg").is_file() {
            return Ok(p.to_path_buf());
        }
        return Err(PipelineError::Model(format!(
            "{}: not a spaCy pipeline directory (no config.cfg)",
            p.display()
        )));
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
        .ok_or_else(|| {
            PipelineError::Model(format!(
                "the bundled model models/{BUNDLED_MODEL} was not found; pass --model DIR"
            ))
        })
}

/// The per-document analysis, loaded once and shared by all threads.
pub struct Analyzer {
    pipeline: Pipeline,
    linker: resolve::entities::EntityLinker,
    events: nlp::events::EventStage,
}

impl Analyzer {
    /// Loads the model (`None`: the bundled one) and builds the stages.
    pub fn load(model: Option<&Path>) -> Result<Self, PipelineError> {
        let dir = model_dir(model)?;
        let spacy = nlp::spacy_stage::SpacyStage::load(&dir)
            .map_err(|e| PipelineError::Model(format!("loading {}: {e}", dir.display())))?;
        let pipeline = Pipeline::new()
            .with(spacy)?
            .with(temporal::TemporalStage::new())?
            .with(resolve::geo::GazetteerStage)?;
        Ok(Self {
            pipeline,
            linker: resolve::entities::EntityLinker::new(),
            events: nlp::events::EventStage::new(),
        })
    }

    /// Stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        let mut v = self.pipeline.stage_names();
        v.push("link-local");
        v.push(self.events.name());
        v
    }

    /// Runs every per-document stage and returns the time each took.
    pub fn analyze_timed(
        &self,
        doc: &mut Document,
    ) -> Result<Vec<(&'static str, std::time::Duration)>, StageError> {
        let mut times = self.pipeline.run_timed(doc)?;
        let t = std::time::Instant::now();
        self.link_local_caught(doc)?;
        times.push(("link-local", t.elapsed()));
        let t = std::time::Instant::now();
        self.events_caught(doc)?;
        times.push((self.events.name(), t.elapsed()));
        Ok(times)
    }

    /// Runs every per-document stage over one document. A stage that panics
    /// fails this document only ([`StageError::Failed`]).
    pub fn analyze(&self, doc: &mut Document) -> Result<(), StageError> {
        self.pipeline.run(doc)?;
        self.link_local_caught(doc)?;
        self.events_caught(doc)
    }

    fn link_local_caught(&self, doc: &mut Document) -> Result<(), StageError> {
        model::catch_stage_panic("link-local", doc, |d| {
            self.link_local(d);
            Ok(())
        })
    }

    fn events_caught(&self, doc: &mut Document) -> Result<(), StageError> {
        model::catch_stage_panic(self.events.name(), doc, |d| self.events.run(d))
    }

    /// Within-document entity linking: local entities and rule mentions.
    /// Idempotent: rule mentions and events of an earlier run are dropped first.
    fn link_local(&self, doc: &mut Document) {
        doc.layers
            .entities
            .retain(|m| m.origin != MentionOrigin::Rule);
        for m in &mut doc.layers.entities {
            m.entity = None;
        }
        doc.layers.events.clear();
        doc.layers.local_entities = self.linker.link(std::slice::from_mut(doc));
    }

    /// Analyses documents in parallel; the result order is the input order,
    /// whatever the thread count. `done` is called once per document (for a
    /// progress bar).
    pub fn analyze_all(
        &self,
        docs: Vec<Document>,
        done: &(dyn Fn() + Sync),
    ) -> Vec<Result<Document, StageError>> {
        docs.into_par_iter()
            .map(|mut d| {
                let r = self.analyze(&mut d).map(|()| d);
                done();
                r
            })
            .collect()
    }
}
