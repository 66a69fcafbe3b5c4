//! Sentence-boundary accuracy: "how often does a splitter put sentence
//! boundaries where the annotators did?"
//!
//! MEANTIME and ECB+ documents are pre-tokenized, each token carrying a
//! `sentence="N"` attribute. A document's text is rebuilt by joining its
//! tokens with single spaces (so punctuation is detached: `Paris .`), the
//! splitter runs on that text, and two figures are scored against the gold
//! sentences:
//!
//! - **boundaries**: the end offset of every sentence but a document's last;
//!   a predicted boundary is right when a gold sentence ends at the same
//!   byte. Precision, recall and F1 over all documents.
//! - **exact sentences**: the share of gold sentences whose span the
//!   splitter produced exactly.
//!
//! [`Layout::ArticleLines`] rebuilds the first gold sentences of each
//! document on lines of their own, as a headline and a date line arrive in
//! a real article (MEANTIME's Wikinews texts open with the title, then the
//! date, neither with final punctuation: in flat text they cannot be told
//! from the first sentence). TempEval-3's `.tml` files carry no sentence
//! annotation, so they are not scored here.

use crate::score::ratio;
use model::ByteSpan;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// Reading the corpus failed.
#[derive(Debug, thiserror::Error)]
pub enum SentenceEvalError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// No annotated document was found.
    #[error("{0}: no documents with sentence-annotated tokens")]
    NoDocuments(PathBuf),
}

/// How a document's tokens are joined into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// All tokens joined by single spaces.
    Flat,
    /// The first `n` gold sentences each end with a newline (headline,
    /// date line); the rest is joined by spaces.
    ArticleLines(u32),
}

/// Boundary and sentence counts, summed over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceScores {
    /// Documents scored.
    pub docs: usize,
    /// Gold sentences.
    pub gold_sentences: usize,
    /// Predicted sentences.
    pub predicted_sentences: usize,
    /// Gold boundaries (sentence ends other than a document's last).
    pub gold_boundaries: usize,
    /// Predicted boundaries.
    pub predicted_boundaries: usize,
    /// Predicted boundaries that match a gold one.
    pub correct_boundaries: usize,
    /// Gold sentences reproduced exactly.
    pub exact_sentences: usize,
}

impl SentenceScores {
    /// Boundary precision.
    pub fn precision(&self) -> f64 {
        ratio(self.correct_boundaries, self.predicted_boundaries)
    }

    /// Boundary recall.
    pub fn recall(&self) -> f64 {
        ratio(self.correct_boundaries, self.gold_boundaries)
    }

    /// Boundary F1.
    pub fn f1(&self) -> f64 {
        crate::score::f1(self.precision(), self.recall())
    }

    /// Share of gold sentences reproduced exactly.
    pub fn exact_fraction(&self) -> f64 {
        ratio(self.exact_sentences, self.gold_sentences)
    }

    /// Adds one document's gold and predicted sentence spans.
    pub fn add_document(&mut self, gold: &[ByteSpan], predicted: &[ByteSpan]) {
        let ends = |s: &[ByteSpan]| -> BTreeSet<u32> {
            s.iter()
                .take(s.len().saturating_sub(1))
                .map(|x| x.end)
                .collect()
        };
        let (g, p) = (ends(gold), ends(predicted));
        let predicted_set: BTreeSet<ByteSpan> = predicted.iter().copied().collect();
        self.docs += 1;
        self.gold_sentences += gold.len();
        self.predicted_sentences += predicted.len();
        self.gold_boundaries += g.len();
        self.predicted_boundaries += p.len();
        self.correct_boundaries += g.intersection(&p).count();
        self.exact_sentences += gold.iter().filter(|s| predicted_set.contains(s)).count();
    }
}

impl fmt::Display for SentenceScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} docs, {} gold / {} predicted sentences; boundaries P {:.3} R {:.3} F1 {:.3} \
             ({} of {} gold, {} predicted); exact sentences {:.3} ({} of {})",
            self.docs,
            self.gold_sentences,
            self.predicted_sentences,
            self.precision(),
            self.recall(),
            self.f1(),
            self.correct_boundaries,
            self.gold_boundaries,
            self.predicted_boundaries,
            self.exact_fraction(),
            self.exact_sentences,
            self.gold_sentences,
        )
    }
}

/// One pre-tokenized document: its tokens with their gold sentence numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDoc {
    /// File path.
    pub path: PathBuf,
    /// (sentence number, token text), in document order.
    pub tokens: Vec<(u32, String)>,
}

impl TokenDoc {
    /// Rebuilds the text and the gold sentence spans.
    pub fn text_and_sentences(&self, layout: Layout) -> (String, Vec<ByteSpan>) {
        let mut text = String::new();
        let mut sents: Vec<ByteSpan> = Vec::new();
        let mut cur: Option<(u32, usize)> = None; // (sentence, start)
        let mut index = 0u32; // ordinal of the current sentence
        for (s, tok) in &self.tokens {
            if let Some((cs, start)) = cur
                && cs != *s
            {
                sents.push(ByteSpan::new(start, text.len()));
                let own_line = matches!(layout, Layout::ArticleLines(n) if index < n);
                text.push(if own_line { '\n' } else { ' ' });
                index += 1;
                cur = None;
            } else if cur.is_some() {
                text.push(' ');
            }
            if cur.is_none() {
                cur = Some((*s, text.len()));
            }
            text.push_str(tok);
        }
        if let Some((_, start)) = cur {
            sents.push(ByteSpan::new(start, text.len()));
        }
        (text, sents)
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Reads `<token ... sentence="N" ...>text</token>` elements from a MEANTIME or ECB+ file.
pub fn read_tokens(xml: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<token ") {
        rest = &rest[i..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..gt];
        let body = &rest[gt + 1..];
        let Some(close) = body.find("</token>") else {
            break;
        };
        let sentence = tag.find("sentence=\"").and_then(|a| {
            let v = &tag[a + 10..];
            v[..v.find('"')?].parse::<u32>().ok()
        });
        if let Some(s) = sentence {
            let t = unescape(body[..close].trim());
            if !t.is_empty() {
                out.push((s, t));
            }
        }
        rest = &body[close..];
    }
    out
}

/// All `.xml` files under `dir` with sentence-annotated tokens, in path order.
pub fn read_corpus(dir: &Path) -> Result<Vec<TokenDoc>, SentenceEvalError> {
    let mut files = Vec::new();
    collect_xml(dir, &mut files)?;
    files.sort();
    let mut docs = Vec::new();
    for path in files {
        let xml = std::fs::read_to_string(&path).map_err(|source| SentenceEvalError::Io {
            path: path.clone(),
            source,
        })?;
        let tokens = read_tokens(&xml);
        if !tokens.is_empty() {
            docs.push(TokenDoc { path, tokens });
        }
    }
    if docs.is_empty() {
        return Err(SentenceEvalError::NoDocuments(dir.to_path_buf()));
    }
    Ok(docs)
}

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SentenceEvalError> {
    let io = |source| SentenceEvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        if p.is_dir() {
            collect_xml(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Scores a splitter on pre-tokenized documents.
pub fn evaluate_docs(
    docs: &[TokenDoc],
    layout: Layout,
    split: &dyn Fn(&str) -> Vec<ByteSpan>,
) -> SentenceScores {
    let mut scores = SentenceScores::default();
    for d in docs {
        let (text, gold) = d.text_and_sentences(layout);
        scores.add_document(&gold, &split(&text));
    }
    scores
}

/// Scores a splitter on MEANTIME (`dir`: e.g. `meantime/intra-doc_annotation`),
/// tokens joined flat with spaces.
pub fn evaluate_meantime(
    dir: &Path,
    split: &dyn Fn(&str) -> Vec<ByteSpan>,
) -> Result<SentenceScores, SentenceEvalError> {
    evaluate_meantime_with(dir, Layout::Flat, split)
}

/// Scores a splitter on MEANTIME with the given layout.
pub fn evaluate_meantime_with(
    dir: &Path,
    layout: Layout,
    split: &dyn Fn(&str) -> Vec<ByteSpan>,
) -> Result<SentenceScores, SentenceEvalError> {
    Ok(evaluate_docs(&read_corpus(dir)?, layout, split))
}

/// Scores a splitter on ECB+ (`dir`: e.g. `ecbplus-dev`), tokens joined flat with spaces.
pub fn evaluate_ecbplus(
    dir: &Path,
    split: &dyn Fn(&str) -> Vec<ByteSpan>,
) -> Result<SentenceScores, SentenceEvalError> {
    Ok(evaluate_docs(&read_corpus(dir)?, Layout::Flat, split))
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Document>
<token t_id="1" sentence="0" number="0">Title</token>
<token t_id="2" sentence="0" number="1">here</token>
<token t_id="3" sentence="1" number="2">A</token>
<token t_id="4" sentence="1" number="3">&amp;</token>
<token t_id="5" sentence="1" number="4">B</token>
<token t_id="6" sentence="1" number="5">.</token>
<token t_id="7" sentence="2" number="6">End</token>
<token t_id="8" sentence="2" number="7">.</token>
</Document>"#;

    #[test]
    fn tokens_rebuild_text_and_gold_spans() {
        let d = TokenDoc {
            path: PathBuf::from("x.xml"),
            tokens: read_tokens(XML),
        };
        let (text, gold) = d.text_and_sentences(Layout::Flat);
        assert_eq!(text, "Title here A & B . End .");
        let got: Vec<&str> = gold.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(got, ["Title here", "A & B .", "End ."]);
        let (text, _) = d.text_and_sentences(Layout::ArticleLines(1));
        assert_eq!(text, "Title here\nA & B . End .");
    }

    #[test]
    fn scores_count_boundaries_and_exact_sentences() {
        let gold = [
            ByteSpan::new(0, 10),
            ByteSpan::new(11, 18),
            ByteSpan::new(19, 24),
        ];
        // Misses the first boundary, finds the second, adds a spurious one.
        let predicted = [
            ByteSpan::new(0, 18),
            ByteSpan::new(19, 21),
            ByteSpan::new(22, 24),
        ];
        let mut s = SentenceScores::default();
        s.add_document(&gold, &predicted);
        assert_eq!(
            (
                s.gold_boundaries,
                s.predicted_boundaries,
                s.correct_boundaries
            ),
            (2, 2, 1)
        );
        assert_eq!(s.exact_sentences, 0);
        assert!((s.f1() - 0.5).abs() < 1e-9);
        let mut perfect = SentenceScores::default();
        perfect.add_document(&gold, &gold);
        assert_eq!(perfect.f1(), 1.0);
        assert_eq!(perfect.exact_fraction(), 1.0);
        assert!(perfect.to_string().contains("F1 1.000"));
    }
}
