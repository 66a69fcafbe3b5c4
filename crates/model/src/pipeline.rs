//! Stages and the pipeline that runs them in order over one document.

use crate::Document;
use std::time::{Duration, Instant};

/// What a stage reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// Sentence spans.
    Sentences,
    /// Token spans.
    Tokens,
    /// Token tags, POS and lemmas.
    Tags,
    /// Token heads and dependency labels.
    Parse,
    /// Entity mentions.
    Entities,
    /// Time expressions.
    Timexes,
    /// Event mentions.
    Events,
}

/// A stage failed on one document.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The stage could not process the document.
    #[error("stage {stage} failed on document {doc}: {message}")]
    Failed {
        /// Stage name.
        stage: &'static str,
        /// Document id.
        doc: String,
        /// What went wrong.
        message: String,
    },
    /// A pipeline was assembled with a stage whose requirements no earlier stage provides.
    #[error("stage {stage} requires {missing:?}, which no earlier stage provides")]
    Unsatisfied {
        /// Stage name.
        stage: &'static str,
        /// The missing layer.
        missing: Layer,
    },
}

/// One step of per-document analysis.
pub trait Stage: Send + Sync {
    /// Short name, for timing tables and diagnostics.
    fn name(&self) -> &'static str;
    /// Layers that must exist before this stage runs.
    fn requires(&self) -> &[Layer];
    /// Layers this stage adds or replaces.
    fn provides(&self) -> &[Layer];
    /// Annotates one document.
    fn run(&self, doc: &mut Document) -> Result<(), StageError>;
}

/// Stages in order. Built with [`Pipeline::with`], which checks requirements.
#[derive(Default)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// An empty pipeline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a stage; fails if something it requires is not provided by an earlier stage.
    pub fn with(mut self, stage: impl Stage + 'static) -> Result<Self, StageError> {
        for &need in stage.requires() {
            if !self.stages.iter().any(|s| s.provides().contains(&need)) {
                return Err(StageError::Unsatisfied {
                    stage: stage.name(),
                    missing: need,
                });
            }
        }
        self.stages.push(Box::new(stage));
        Ok(self)
    }

    /// Names of the stages, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage over the document.
    pub fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        self.stages.iter().try_for_each(|s| s.run(doc))
    }

    /// Runs every stage and returns the time each took, in stage order.
    pub fn run_timed(
        &self,
        doc: &mut Document,
    ) -> Result<Vec<(&'static str, Duration)>, StageError> {
        let mut out = Vec::with_capacity(self.stages.len());
        for s in &self.stages {
            let t = Instant::now();
            s.run(doc)?;
            out.push((s.name(), t.elapsed()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ByteSpan, Sentence};

    struct Whole;
    impl Stage for Whole {
        fn name(&self) -> &'static str {
            "whole"
        }
        fn requires(&self) -> &[Layer] {
            &[]
        }
        fn provides(&self) -> &[Layer] {
            &[Layer::Sentences]
        }
        fn run(&self, doc: &mut Document) -> Result<(), StageError> {
            doc.layers.sentences = vec![Sentence {
                span: ByteSpan::new(0, doc.text.len()),
            }];
            Ok(())
        }
    }

    struct NeedsTokens;
    impl Stage for NeedsTokens {
        fn name(&self) -> &'static str {
            "needs-tokens"
        }
        fn requires(&self) -> &[Layer] {
            &[Layer::Tokens]
        }
        fn provides(&self) -> &[Layer] {
            &[]
        }
        fn run(&self, _: &mut Document) -> Result<(), StageError> {
            Ok(())
        }
    }

    #[test]
    fn pipeline_runs_stages_in_order() {
        let p = Pipeline::new().with(Whole).unwrap();
        let mut d = Document::new("x", "Hello.");
        p.run(&mut d).unwrap();
        assert_eq!(d.span_text(d.layers.sentences[0].span), "Hello.");
    }

    #[test]
    fn pipeline_rejects_unsatisfied_stage() {
        let err = Pipeline::new().with(NeedsTokens).err().unwrap();
        assert!(matches!(
            err,
            StageError::Unsatisfied {
                missing: Layer::Tokens,
                ..
            }
        ));
    }
}
