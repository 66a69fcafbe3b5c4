//! The spaCy stages: tokens, tags, lemmas, dependency parse, sentences (from
//! the parse) and named entities, from the pure-Rust port in `spacy`.

use model::{ByteSpan, Document, EntityMention, Layer, Sentence, Stage, StageError, Token};
use spacy::pipeline::SpacyPipeline;
use std::path::Path;

/// Runs a loaded spaCy CNN pipeline over a document.
pub struct SpacyStage {
    pipeline: SpacyPipeline,
}

impl SpacyStage {
    /// Loads a spaCy pipeline directory (config.cfg plus component folders).
    pub fn load(model_dir: &Path) -> Result<Self, spacy::Error> {
        Ok(Self {
            pipeline: SpacyPipeline::load(model_dir)?,
        })
    }

    /// The loaded pipeline, for callers that want it directly.
    pub fn pipeline(&self) -> &SpacyPipeline {
        &self.pipeline
    }
}

impl Stage for SpacyStage {
    fn name(&self) -> &'static str {
        "spacy"
    }

    fn requires(&self) -> &[Layer] {
        &[]
    }

    fn provides(&self) -> &[Layer] {
        &[
            Layer::Sentences,
            Layer::Tokens,
            Layer::Tags,
            Layer::Parse,
            Layer::Entities,
        ]
    }

    fn run(&self, doc: &mut Document) -> Result<(), StageError> {
        let a = self.pipeline.analyze(&doc.text);
        let l = &mut doc.layers;
        l.tokens = a
            .tokens
            .into_iter()
            .map(|t| Token {
                span: ByteSpan::new(t.start, t.end),
                tag: t.tag,
                pos: t.pos,
                lemma: t.lemma,
                head: u32::try_from(t.head).unwrap_or(u32::MAX),
                dep: t.dep,
            })
            .collect();
        l.sentences = a
            .sentences
            .into_iter()
            .map(|(s, e)| trim(&doc.text, s, e))
            .filter(|s| !s.is_empty())
            .map(|span| Sentence { span })
            .collect();
        l.entities = a
            .entities
            .into_iter()
            .map(|(s, e, label)| EntityMention::new(ByteSpan::new(s, e), label))
            .collect();
        Ok(())
    }
}

/// The span without leading and trailing whitespace.
fn trim(text: &str, start: usize, end: usize) -> ByteSpan {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    ByteSpan::new(start + lead, start + lead + t.len())
}
