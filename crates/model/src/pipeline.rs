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

    /// Runs every stage over the document. A stage that panics fails this
    /// document only: the panic becomes [`StageError::Failed`] naming the
    /// stage, and the layers it may have half-written are cleared.
    pub fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        self.stages
            .iter()
            .try_for_each(|s| run_caught(s.as_ref(), doc))
    }

    /// Runs every stage and returns the time each took, in stage order.
    pub fn run_timed(
        &self,
        doc: &mut Document,
    ) -> Result<Vec<(&'static str, Duration)>, StageError> {
        let mut out = Vec::with_capacity(self.stages.len());
        for s in &self.stages {
            let t = Instant::now();
            run_caught(s.as_ref(), doc)?;
            out.push((s.name(), t.elapsed()));
        }
        Ok(out)
    }
}

std::thread_local! {
    /// Set while a stage runs on this thread: its panic is caught and reported
    /// as the document's error, so the panic hook records it instead of printing.
    static IN_STAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last caught panic happened (`file:line`).
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs (once) a panic hook that stays quiet for panics inside a stage
/// (they become the document's error, with their location) and hands every
/// other panic to the hook that was there before.
fn install_stage_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_STAGE.with(|f| f.get()) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one stage, turning a panic into this document's error.
fn run_caught(stage: &dyn Stage, doc: &mut Document) -> Result<(), StageError> {
    catch_stage_panic(stage.name(), doc, |d| stage.run(d))
}

/// Runs `f` as the step `stage` of a document's analysis (for steps that
/// are not a [`Stage`] of a [`Pipeline`]), with the same guarantee as
/// [`Pipeline::run`]: a panic fails this document only, becoming
/// [`StageError::Failed`] with its location, and the layers `f` may have
/// half-written are cleared.
pub fn catch_stage_panic(
    stage: &'static str,
    doc: &mut Document,
    f: impl FnOnce(&mut Document) -> Result<(), StageError>,
) -> Result<(), StageError> {
    install_stage_panic_hook();
    let outer = IN_STAGE.with(|f| f.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(doc)));
    IN_STAGE.with(|f| f.set(outer));
    match result {
        Ok(r) => r,
        Err(payload) => {
            // the stage may have left layers half-written: none of them is kept
            doc.layers = Default::default();
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            let at = PANIC_AT
                .with(|p| p.borrow_mut().take())
                .map(|a| format!(" at {a}"))
                .unwrap_or_default();
            Err(StageError::Failed {
                stage,
                doc: doc.id.clone(),
                message: format!("internal error (panic{at}): {what}; please report it"),
            })
        }
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

    /// Appends its name to a shared log; `needs` is what it requires, and it
    /// fails unless that layer is already filled in the document (so a stage
    /// run before its provider fails the test, not only the log).
    struct Logs {
        name: &'static str,
        needs: &'static [Layer],
        gives: &'static [Layer],
        log: std::sync::Arc<std::sync::Mutex<Vec<&'static str>>>,
    }
    impl Stage for Logs {
        fn name(&self) -> &'static str {
            self.name
        }
        fn requires(&self) -> &[Layer] {
            self.needs
        }
        fn provides(&self) -> &[Layer] {
            self.gives
        }
        fn run(&self, doc: &mut Document) -> Result<(), StageError> {
            let ready = self.needs.iter().all(|l| match l {
                Layer::Sentences => !doc.layers.sentences.is_empty(),
                Layer::Tokens => !doc.layers.tokens.is_empty(),
                _ => true,
            });
            if !ready {
                return Err(StageError::Failed {
                    stage: self.name,
                    doc: doc.id.clone(),
                    message: "ran before its input".into(),
                });
            }
            if self.gives.contains(&Layer::Tokens) {
                doc.layers.tokens = doc
                    .layers
                    .sentences
                    .iter()
                    .map(|s| crate::Token::new(s.span))
                    .collect();
            }
            self.log.lock().unwrap().push(self.name);
            Ok(())
        }
    }

    #[test]
    fn pipeline_runs_stages_in_order() {
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stage = |name, needs, gives| Logs {
            name,
            needs,
            gives,
            log: log.clone(),
        };
        let p = Pipeline::new()
            .with(Whole)
            .unwrap()
            .with(stage("tokens", &[Layer::Sentences], &[Layer::Tokens]))
            .unwrap()
            .with(stage("first-reader", &[Layer::Tokens], &[]))
            .unwrap()
            .with(stage("second-reader", &[Layer::Tokens], &[]))
            .unwrap();
        assert_eq!(
            p.stage_names(),
            ["whole", "tokens", "first-reader", "second-reader"]
        );
        let mut d = Document::new("x", "Hello.");
        p.run(&mut d).unwrap();
        assert_eq!(d.span_text(d.layers.sentences[0].span), "Hello.");
        assert_eq!(d.span_text(d.layers.tokens[0].span), "Hello.");
        assert_eq!(
            *log.lock().unwrap(),
            ["tokens", "first-reader", "second-reader"]
        );
        let timed = p.run_timed(&mut Document::new("y", "Bye.")).unwrap();
        let names: Vec<_> = timed.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["whole", "tokens", "first-reader", "second-reader"]);
        assert_eq!(log.lock().unwrap().len(), 6);
    }

    #[test]
    fn a_stage_whose_input_is_missing_at_run_time_fails() {
        // the check of `Logs` itself: run alone, it finds no sentences
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lone = Logs {
            name: "tokens",
            needs: &[Layer::Sentences],
            gives: &[Layer::Tokens],
            log: log.clone(),
        };
        let mut d = Document::new("x", "Hello.");
        assert!(lone.run(&mut d).is_err());
        assert!(log.lock().unwrap().is_empty());
    }

    struct Panics;
    impl Stage for Panics {
        fn name(&self) -> &'static str {
            "panics"
        }
        fn requires(&self) -> &[Layer] {
            &[]
        }
        fn provides(&self) -> &[Layer] {
            &[]
        }
        fn run(&self, doc: &mut Document) -> Result<(), StageError> {
            if doc.text.contains("boom") {
                panic!("index out of bounds in {}", doc.id);
            }
            Ok(())
        }
    }

    #[test]
    fn a_panicking_stage_fails_only_its_document() {
        let p = Pipeline::new().with(Whole).unwrap().with(Panics).unwrap();
        let mut bad = Document::new("bad", "boom.");
        let err = p.run(&mut bad).unwrap_err().to_string();
        assert!(err.contains("stage panics failed on document bad"), "{err}");
        assert!(err.contains("index out of bounds in bad"), "{err}");
        assert!(bad.layers.sentences.is_empty());
        assert!(p.run_timed(&mut bad).is_err());
        let mut good = Document::new("good", "Fine.");
        assert!(p.run(&mut good).is_ok());
        assert_eq!(good.layers.sentences.len(), 1);
    }

    /// A step outside the pipeline (the analysis's entity linking and event
    /// stage) panicked through the whole batch; it now fails its document only.
    #[test]
    fn a_panicking_step_outside_the_pipeline_fails_only_its_document() {
        let mut bad = Document::new("bad", "boom.");
        bad.layers.sentences = vec![Sentence {
            span: ByteSpan::new(0, 5),
        }];
        let err = catch_stage_panic("link-local", &mut bad, |d| {
            let v: Vec<u32> = Vec::new();
            let _ = v[d.text.len()];
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("stage link-local failed on document bad: internal error (panic at "),
            "{err}"
        );
        assert!(bad.layers.sentences.is_empty());
        let mut good = Document::new("good", "Fine.");
        assert!(catch_stage_panic("link-local", &mut good, |_| Ok(())).is_ok());
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
