//! ECB+ article linking: do articles about the same seminal event share a
//! merged event, and do articles about the look-alike event not?
//!
//! ECB+ (`ecbplus-dev/N/N_Mecb.xml`, `N_Mecbplus.xml`) holds, per topic N,
//! two sub-topics: two similar but different real events (two earthquakes,
//! two rehab check-ins). Text is rebuilt by joining each sentence's tokens
//! with single spaces, sentences separated by a newline, with a token → byte
//! map. Article dates come from EventStoryLine (`eventstoryline-dev/v1.5`,
//! the `DCT="TRUE"` time expression) where it covers the document (it covers
//! the `ecbplus` sub-topics only).
//!
//! **Metric.** Two articles are *linked* when they share at least one merged
//! event that is not a statement (type `OTHER` with mode `statement` does not
//! count: "X said" links nothing). Gold: two articles are linked when they
//! have the same topic and sub-topic. Precision, recall and F1 are over all
//! unordered article pairs of the corpus, plus the fraction of predicted
//! links that cross topics.

use crate::score::ratio;
use model::{ByteSpan, Document, Event, EventType, Sentence};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EcbError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not well-formed ECB+ XML.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Which of a topic's two events an article is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubTopic {
    /// The original ECB article set (`N_Mecb.xml`).
    Ecb,
    /// The added look-alike event (`N_Mecbplus.xml`).
    EcbPlus,
}

/// One ECB+ article.
#[derive(Debug, Clone)]
pub struct EcbDoc {
    /// The article as a document (`id` is `ecbplus_<file stem>`).
    pub doc: Document,
    /// Topic number.
    pub topic: u32,
    /// Sub-topic.
    pub sub: SubTopic,
    /// Byte span of each token, in file order.
    pub token_spans: Vec<ByteSpan>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EcbError + '_ {
    move |source| EcbError::Io {
        path: path.into(),
        source,
    }
}

/// Reads one ECB+ XML file into a document with sentences.
pub fn read_doc(path: &Path) -> Result<EcbDoc, EcbError> {
    let xml = std::fs::read_to_string(path).map_err(io(path))?;
    let fmt_err = |message: String| EcbError::Format {
        path: path.into(),
        message,
    };
    let tree = roxmltree::Document::parse(&xml).map_err(|e| fmt_err(e.to_string()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| fmt_err("file name is not UTF-8".into()))?;
    let stem = name.trim_end_matches(".xml");
    let (topic, rest) = stem
        .split_once('_')
        .ok_or_else(|| fmt_err("file name is not N_M(ecb|ecbplus).xml".into()))?;
    let topic: u32 = topic
        .parse()
        .map_err(|_| fmt_err(format!("topic {topic:?} is not a number")))?;
    let sub = if rest.ends_with("ecbplus") {
        SubTopic::EcbPlus
    } else if rest.ends_with("ecb") {
        SubTopic::Ecb
    } else {
        return Err(fmt_err("file name is not N_M(ecb|ecbplus).xml".into()));
    };
    let mut text = String::new();
    let mut token_spans = Vec::new();
    let mut sentences = Vec::new();
    let mut cur: Option<(String, usize)> = None; // (sentence attr, start)
    for t in tree.descendants().filter(|n| n.has_tag_name("token")) {
        let s = t.attribute("sentence").unwrap_or("0").to_string();
        let word = t.text().unwrap_or("").trim();
        match &cur {
            Some((id, start)) if *id != s => {
                sentences.push(Sentence {
                    span: ByteSpan::new(*start, text.len()),
                });
                text.push('\n');
                cur = Some((s, text.len()));
            }
            None => cur = Some((s, text.len())),
            _ => {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push(' ');
                }
            }
        }
        let start = text.len();
        text.push_str(word);
        token_spans.push(ByteSpan::new(start, text.len()));
    }
    if let Some((_, start)) = cur {
        sentences.push(Sentence {
            span: ByteSpan::new(start, text.len()),
        });
    }
    let mut doc = Document::new(format!("ecbplus_{stem}"), text);
    doc.layers.sentences = sentences;
    doc.meta.path = Some(path.display().to_string());
    Ok(EcbDoc {
        doc,
        topic,
        sub,
        token_spans,
    })
}

/// The article date of an EventStoryLine file (its `DCT="TRUE"` value).
fn storyline_date(path: &Path) -> Option<chrono::NaiveDate> {
    let xml = std::fs::read_to_string(path).ok()?;
    let tree = roxmltree::Document::parse(&xml).ok()?;
    let v = tree
        .descendants()
        .find(|n| n.attribute("DCT") == Some("TRUE"))?
        .attribute("value")?;
    chrono::NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
}

/// Reads every article of an ECB+ directory (topic folders `1`, `2`, ...),
/// dated from a sibling `eventstoryline-dev/v1.5` when present. Sorted by id.
pub fn read_corpus(dir: &Path) -> Result<Vec<EcbDoc>, EcbError> {
    let story = dir
        .parent()
        .map(|p| p.join("eventstoryline-dev").join("v1.5"));
    let mut out = Vec::new();
    for t in std::fs::read_dir(dir).map_err(io(dir))? {
        let t = t.map_err(io(dir))?.path();
        if !t.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&t).map_err(io(&t))? {
            let f = f.map_err(io(&t))?.path();
            if f.extension().and_then(|e| e.to_str()) != Some("xml") {
                continue;
            }
            let mut d = read_doc(&f)?;
            if let (Some(story), Some(name)) = (&story, f.file_name().and_then(|n| n.to_str())) {
                let sp = story.join(d.topic.to_string()).join(format!("{name}.xml"));
                d.doc.meta.date = storyline_date(&sp);
            }
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    Ok(out)
}

/// Pairwise article-linking scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairScores {
    /// Articles scored.
    pub docs: usize,
    /// Gold linked pairs (same topic and sub-topic).
    pub gold_pairs: usize,
    /// Predicted linked pairs (sharing a non-statement merged event).
    pub predicted_pairs: usize,
    /// Predicted pairs that are gold pairs.
    pub correct_pairs: usize,
    /// Predicted pairs whose articles are in different topics.
    pub cross_topic_pairs: usize,
    /// Predicted pairs in the same topic but the other sub-topic.
    pub cross_subtopic_pairs: usize,
    /// Merged events in the run.
    pub events: usize,
}

impl PairScores {
    /// Correct / predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct_pairs, self.predicted_pairs)
    }
    /// Correct / gold.
    pub fn recall(&self) -> f64 {
        ratio(self.correct_pairs, self.gold_pairs)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        crate::score::f1(self.precision(), self.recall())
    }
    /// Fraction of predicted pairs that cross topics.
    pub fn cross_topic_rate(&self) -> f64 {
        ratio(self.cross_topic_pairs, self.predicted_pairs)
    }
}

impl fmt::Display for PairScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ECB+ article linking over {} articles ({} merged events)",
            self.docs, self.events
        )?;
        writeln!(
            f,
            "  pairs: gold {} predicted {} correct {}",
            self.gold_pairs, self.predicted_pairs, self.correct_pairs
        )?;
        writeln!(
            f,
            "  P {:.3} R {:.3} F1 {:.3}",
            self.precision(),
            self.recall(),
            self.f1()
        )?;
        write!(
            f,
            "  predicted pairs crossing topics: {} ({:.2}%), crossing sub-topics: {}",
            self.cross_topic_pairs,
            100.0 * self.cross_topic_rate(),
            self.cross_subtopic_pairs
        )
    }
}

/// Scores article linking given the articles and the merged events of a run.
pub fn score(articles: &[EcbDoc], events: &[Event]) -> PairScores {
    let idx: BTreeMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.doc.id.as_str(), i))
        .collect();
    let mut linked: BTreeSet<(usize, usize)> = BTreeSet::new();
    for e in events {
        if e.kind == EventType::Other && e.mode.as_deref() == Some("statement") {
            continue;
        }
        let ds: BTreeSet<usize> = e
            .sources
            .iter()
            .filter_map(|s| idx.get(s.doc.as_str()).copied())
            .collect();
        let ds: Vec<usize> = ds.into_iter().collect();
        for (k, &a) in ds.iter().enumerate() {
            for &b in &ds[k + 1..] {
                linked.insert((a, b));
            }
        }
    }
    let mut s = PairScores {
        docs: articles.len(),
        events: events.len(),
        ..PairScores::default()
    };
    let mut groups: BTreeMap<(u32, SubTopic), usize> = BTreeMap::new();
    for a in articles {
        *groups.entry((a.topic, a.sub)).or_default() += 1;
    }
    s.gold_pairs = groups.values().map(|&n| n * n.saturating_sub(1) / 2).sum();
    for &(a, b) in &linked {
        let (x, y) = (&articles[a], &articles[b]);
        s.predicted_pairs += 1;
        if x.topic != y.topic {
            s.cross_topic_pairs += 1;
        } else if x.sub != y.sub {
            s.cross_subtopic_pairs += 1;
        } else {
            s.correct_pairs += 1;
        }
    }
    s
}

/// Reads the corpus at `dir`, lets `run` analyse the documents and merge
/// their events, and scores article linking.
pub fn evaluate(
    dir: &Path,
    run: &dyn Fn(&mut Vec<Document>) -> Vec<Event>,
) -> Result<PairScores, EcbError> {
    let articles = read_corpus(dir)?;
    let mut docs: Vec<Document> = articles.iter().map(|a| a.doc.clone()).collect();
    let events = run(&mut docs);
    Ok(score(&articles, &events))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DatePrecision, EventStatus, Source};

    fn art(id: &str, topic: u32, sub: SubTopic) -> EcbDoc {
        EcbDoc {
            doc: Document::new(id, "x"),
            topic,
            sub,
            token_spans: Vec::new(),
        }
    }

    fn event(kind: EventType, mode: Option<&str>, docs: &[&str]) -> Event {
        Event {
            id: "v1".into(),
            date: None,
            date_end: None,
            date_precision: DatePrecision::Unknown,
            date_source: None,
            kind,
            mode: mode.map(String::from),
            status: EventStatus::Occurred,
            headline: String::new(),
            actors: Vec::new(),
            recipients: Vec::new(),
            place: None,
            sources: docs
                .iter()
                .map(|d| Source {
                    doc: d.to_string(),
                    start: 0,
                    end: 1,
                    sentence: "x".into(),
                    trigger: "x".into(),
                    trigger_start: 0,
                    trigger_end: 1,
                    time_text: None,
                    quote: None,
                })
                .collect(),
        }
    }

    #[test]
    fn pairs_are_scored_against_subtopics() {
        use SubTopic::*;
        let arts = [
            art("a", 1, Ecb),
            art("b", 1, Ecb),
            art("c", 1, EcbPlus),
            art("d", 2, Ecb),
        ];
        let events = [
            event(EventType::Assault, None, &["a", "b", "c"]),
            event(EventType::Other, Some("statement"), &["a", "d"]),
            event(EventType::Coerce, None, &["c", "d"]),
        ];
        let s = score(&arts, &events);
        assert_eq!(s.gold_pairs, 1);
        assert_eq!(s.predicted_pairs, 4); // ab ac bc cd
        assert_eq!(s.correct_pairs, 1);
        assert_eq!(s.cross_subtopic_pairs, 2);
        assert_eq!(s.cross_topic_pairs, 1);
        assert!((s.recall() - 1.0).abs() < 1e-9);
        assert!((s.precision() - 0.25).abs() < 1e-9);
    }

    #[test]
    fn text_is_tokens_joined_with_spaces() {
        let dir = std::env::temp_dir().join(format!("ecb-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("3_1ecbplus.xml");
        std::fs::write(
            &p,
            r#"<Document doc_name="3_1ecbplus.xml"><token t_id="1" sentence="0" number="0">A</token><token t_id="2" sentence="0" number="1">&amp;</token><token t_id="3" sentence="1" number="0">Bé</token><token t_id="4" sentence="1" number="1">.</token><Markables/></Document>"#,
        )
        .unwrap();
        let d = read_doc(&p).unwrap();
        assert_eq!(d.doc.text, "A &\nBé .");
        assert_eq!((d.topic, d.sub), (3, SubTopic::EcbPlus));
        assert_eq!(d.doc.span_text(d.token_spans[2]), "Bé");
        assert_eq!(d.doc.layers.sentences.len(), 2);
        assert_eq!(d.doc.span_text(d.doc.layers.sentences[1].span), "Bé .");
        std::fs::remove_dir_all(&dir).ok();
    }
}
