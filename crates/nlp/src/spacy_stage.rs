//! The spaCy stages: tokens, tags, lemmas, dependency parse, sentences (from
//! the parse) and named entities, from the pure-Rust port in `spacy`.
//!
//! News text comes in lines: a headline, a dateline, paragraphs. spaCy's
//! parser, given a whole article, often runs a headline into the first
//! sentence. The stage therefore analyses each non-blank line on its own, so
//! a line break always ends a sentence (MEANTIME with its headline and date
//! on their own lines: sentence-boundary F1 0.923 for whole-document parsing;
//! see `eventline eval sentences` for the figure with blocks). Within a line
//! the output is exactly spaCy's.

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
        let (mut tokens, mut sentences, mut entities) = (Vec::new(), Vec::new(), Vec::new());
        for (start, end) in blocks(&doc.text) {
            let a = self.pipeline.analyze(&doc.text[start..end]);
            let base = tokens.len();
            tokens.extend(a.tokens.into_iter().map(|t| Token {
                span: ByteSpan::new(start + t.start, start + t.end),
                tag: t.tag,
                pos: t.pos,
                lemma: t.lemma,
                head: u32::try_from(base + t.head).unwrap_or(u32::MAX),
                dep: t.dep,
            }));
            sentences.extend(
                a.sentences
                    .into_iter()
                    .map(|(s, e)| trim(&doc.text, start + s, start + e))
                    .filter(|s| !s.is_empty())
                    .map(|span| Sentence { span }),
            );
            entities.extend(a.entities.into_iter().map(|(s, e, label)| {
                EntityMention::new(ByteSpan::new(start + s, start + e), label)
            }));
        }
        let l = &mut doc.layers;
        l.tokens = tokens;
        l.sentences = sentences;
        l.entities = entities;
        Ok(())
    }
}

/// The non-blank lines of `text`, trimmed, as byte ranges.
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let body = line.trim();
        if !body.is_empty() {
            out.push((pos + lead, pos + lead + body.len()));
        }
        pos += line.len();
    }
    out
}

/// The span without leading and trailing whitespace.
fn trim(text: &str, start: usize, end: usize) -> ByteSpan {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    ByteSpan::new(start + lead, start + lead + t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_trimmed_non_blank_lines() {
        let t = "Headline here\n\n  First para. Second.\r\n\nLast";
        let b: Vec<&str> = blocks(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(b, ["Headline here", "First para. Second.", "Last"]);
        assert!(blocks("").is_empty());
        assert!(blocks(" \n\t\n").is_empty());
    }

    #[test]
    fn stage_output_keeps_spans_and_heads_in_document_coordinates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models/en_core_web_sm-3.8.0");
        if !dir.join("config.cfg").is_file() {
            eprintln!("skipping: bundled model not found");
            return;
        }
        let stage = SpacyStage::load(&dir).unwrap();
        let mut d = Document::new(
            "t",
            "Talks end in Cairo\n\nThe minister met the envoy in Paris on Monday. He left.",
        );
        stage.run(&mut d).unwrap();
        d.check_spans().unwrap();
        let sents: Vec<&str> = d
            .layers
            .sentences
            .iter()
            .map(|s| d.span_text(s.span))
            .collect();
        assert_eq!(
            sents,
            [
                "Talks end in Cairo",
                "The minister met the envoy in Paris on Monday.",
                "He left."
            ]
        );
        for (i, t) in d.layers.tokens.iter().enumerate() {
            let h = &d.layers.tokens[t.head as usize];
            // heads stay within the token's own sentence
            let si = d.sentence_at(t.span.start);
            assert_eq!(si, d.sentence_at(h.span.start), "token {i}");
        }
        let ents: Vec<&str> = d
            .layers
            .entities
            .iter()
            .map(|e| d.span_text(e.span))
            .collect();
        assert!(ents.contains(&"Paris"), "{ents:?}");
    }
}
