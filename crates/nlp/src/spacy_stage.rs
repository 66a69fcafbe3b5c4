//! The spaCy stages: tokens, tags, lemmas, dependency parse, sentences (from
//! the parse) and named entities, from the pure-Rust port in `spacy`.
//!
//! News text comes in lines: a headline, a dateline, paragraphs. spaCy's
//! parser, given a whole article, often runs a headline into the first
//! sentence. The stage therefore analyses each non-blank line on its own, so
//! a line break always ends a sentence (MEANTIME with its headline and date
//! on their own lines: sentence-boundary F1 0.923 for whole-document parsing;
//! see `eventline eval sentences` for the figure with blocks). Within a line
//! the output is exactly spaCy's, up to [`MAX_BLOCK_BYTES`].
//!
//! A longer line (a whole article without line breaks, a scraped page) is
//! analysed in pieces of whole sentences, found by the rule-based
//! [`crate::segment::Segmenter`], each at most [`MAX_BLOCK_BYTES`] long: the
//! parser keeps a precomputed row of several kilobytes per token for the
//! text it is given, so one call on a 4 MB line held 3.7 GB. Pieces keep
//! the stage's memory bounded and proportional to the document's layers.

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
        let segmenter = crate::segment::Segmenter::new();
        let pieces = blocks(&doc.text)
            .into_iter()
            .flat_map(|(s, e)| pieces(&doc.text, s, e, MAX_BLOCK_BYTES, &segmenter));
        for (start, end) in pieces {
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

/// Longest text, in bytes, given to spaCy in one call: about 12,000 words.
/// A news paragraph is far shorter; a longer line is cut into pieces of
/// whole sentences.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;

/// The block `start..end` of `text` as pieces of at most `max` bytes: the
/// block itself when it fits, else runs of whole sentences (rule-based
/// segmentation); a sentence longer than `max` is cut after the last
/// whitespace before the limit (or, without any, at a char boundary).
/// Pieces are trimmed, in order, and never empty.
fn pieces(
    text: &str,
    start: usize,
    end: usize,
    max: usize,
    segmenter: &crate::segment::Segmenter,
) -> Vec<(usize, usize)> {
    if end - start <= max {
        return vec![(start, end)];
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    let push = |a: usize, b: usize, out: &mut Vec<(usize, usize)>| match out.last_mut() {
        // extend the current piece while it fits
        Some(last) if b - last.0 <= max => last.1 = b,
        _ => out.push((a, b)),
    };
    for sent in segmenter.split(&text[start..end]) {
        let (mut a, b) = (start + sent.start as usize, start + sent.end as usize);
        while b - a > max {
            let mut cut = a + max;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            if cut == a {
                // a limit smaller than one character: the character alone
                cut = a + text[a..].chars().next().map_or(1, char::len_utf8);
            }
            if let Some(ws) = text[a..cut].rfind(char::is_whitespace).filter(|&w| w > 0) {
                cut = a + ws;
            }
            let t = trim(text, a, cut);
            if !t.is_empty() {
                push(t.start as usize, t.end as usize, &mut out);
            }
            a = cut;
        }
        let t = trim(text, a, b);
        if !t.is_empty() {
            push(t.start as usize, t.end as usize, &mut out);
        }
    }
    out
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

    /// Issue 12: a 4 MB article on one line went to spaCy in one call and
    /// peaked at 3.7 GB; long lines are now cut into pieces of whole sentences.
    #[test]
    fn long_lines_are_cut_into_pieces_of_whole_sentences() {
        let seg = crate::segment::Segmenter::new();
        let line = "The council met on Monday. Officials said the bridge would reopen. \
                    Traffic was light.";
        let text = format!("Headline\n{line}\n");
        let (s, e) = blocks(&text)[1];
        // a block that fits is one piece
        assert_eq!(pieces(&text, s, e, 1000, &seg), [(s, e)]);
        // otherwise whole sentences, packed while they fit
        let got: Vec<&str> = pieces(&text, s, e, 70, &seg)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "The council met on Monday. Officials said the bridge would reopen.",
                "Traffic was light."
            ]
        );
        // a sentence longer than the limit is cut at whitespace, never inside a word
        let long = "Über alles wird gesprochen und niemand hört zu ".repeat(20);
        let long = long.trim();
        let got = pieces(long, 0, long.len(), 40, &seg);
        assert!(got.len() > 20, "{got:?}");
        for w in got.windows(2) {
            assert!(w[0].1 < w[1].0, "{got:?}");
        }
        for &(a, b) in &got {
            assert!(b - a <= 40 && a < b);
            assert_eq!(&long[a..b], long[a..b].trim());
        }
        let words: Vec<&str> = got
            .iter()
            .flat_map(|&(a, b)| long[a..b].split_whitespace())
            .collect();
        assert_eq!(words, long.split_whitespace().collect::<Vec<_>>());
        // one word longer than the limit: cut at a char boundary
        let word = "ü".repeat(30);
        let got = pieces(&word, 0, word.len(), 7, &seg);
        assert_eq!(got.iter().map(|&(a, b)| b - a).sum::<usize>(), word.len());
    }

    #[test]
    fn stage_output_keeps_spans_and_heads_in_document_coordinates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models/en_core_web_sm-3.8.0");
        let stage = SpacyStage::load(&dir).expect("the bundled model loads");
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
