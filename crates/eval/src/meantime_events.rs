//! MEANTIME cross-document event coreference: "here are the merged events of
//! a run, how well do they group the event mentions MEANTIME says are one
//! real-world event across articles?"
//!
//! Gold: the event mentions of `intra_cross-doc_annotation` that refer to a
//! cross-document event instance (an `instance_id`, the same in several
//! files); each instance is one key cluster. Response: each merged event of
//! the run is one cluster of its sources' triggers. A source aligns to a gold
//! mention of the same document whose span overlaps its trigger (each gold
//! mention at most once, first come in source order).
//!
//! Reported:
//! - mention recall: gold mentions some source aligns to;
//! - coreference on **all gold mentions**: key = every gold mention,
//!   response = aligned sources, grouped as the run grouped them (mentions the
//!   run missed cost recall);
//! - coreference on **found gold mentions only**: key restricted to the gold
//!   mentions the run found, so the score reflects the grouping alone.
//!
//! Each with MUC, B³, CEAF-e and CoNLL F1 from [`crate::coref`].

use crate::coref::{self, CorefScores, Prf};
use crate::meantime::{MeantimeError, MtDoc, read_corpus};
use model::{Document, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A gold or aligned mention: (document index in the corpus, start, end).
type Gm = (usize, u32, u32);

/// Scores of a run's merged events against MEANTIME's cross-document events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventCorefScores {
    /// Documents read.
    pub documents: usize,
    /// Gold mentions of cross-document event instances.
    pub gold_mentions: usize,
    /// Cross-document event instances.
    pub gold_events: usize,
    /// Merged events in the run.
    pub predicted_events: usize,
    /// Sources (event mentions) in the run.
    pub predicted_mentions: usize,
    /// Gold mentions found: recall over gold, precision over the run's sources
    /// (low by construction: MEANTIME annotates cross-document events only).
    pub mentions: Prf,
    /// Coreference with every gold mention in the key.
    pub all_gold: CorefScores,
    /// Coreference with only the found gold mentions in the key.
    pub found_only: CorefScores,
}

impl std::fmt::Display for EventCorefScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "MEANTIME cross-document events: {} documents, {} gold mentions of {} events; run: {} sources in {} merged events",
            self.documents,
            self.gold_mentions,
            self.gold_events,
            self.predicted_mentions,
            self.predicted_events
        )?;
        writeln!(f, "gold mentions found (overlap): {}", self.mentions)?;
        for (name, s) in [
            ("all gold mentions", &self.all_gold),
            ("found gold mentions only", &self.found_only),
        ] {
            writeln!(
                f,
                "event coreference, {name}: MUC {} | B3 {} | CEAF-e {} | CoNLL F1 {:.1}",
                s.muc,
                s.b3,
                s.ceaf_e,
                100.0 * s.conll_f1
            )?;
        }
        Ok(())
    }
}

/// Evaluates cross-document event coreference on MEANTIME: reads the corpus
/// under `dir` (the `intra_cross-doc_annotation` folder), builds one document
/// per file (rebuilt text, sentences, date), lets `run` analyse them and
/// return its merged events, and scores the events' sources.
pub fn evaluate_events(
    dir: &Path,
    run: &dyn Fn(&mut [Document]) -> Vec<Event>,
) -> Result<EventCorefScores, MeantimeError> {
    let corpus = read_corpus(dir)?;
    let mut docs: Vec<Document> = corpus.iter().map(MtDoc::to_document).collect();
    let events = run(&mut docs);
    Ok(score_events(&corpus, &events))
}

/// True for the key of a cross-document instance (local ones are `<doc>#<m_id>`).
fn cross_document(instance: &str) -> bool {
    !instance.contains('#')
}

/// Scores merged events against the corpus's cross-document event instances.
/// Sources are matched to documents by id.
pub fn score_events(corpus: &[MtDoc], events: &[Event]) -> EventCorefScores {
    let doc_index: BTreeMap<&str, usize> = corpus
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut gold: BTreeMap<&str, Vec<Gm>> = BTreeMap::new();
    let mut gold_by_doc: Vec<Vec<Gm>> = vec![Vec::new(); corpus.len()];
    for (d, doc) in corpus.iter().enumerate() {
        for m in &doc.events {
            let Some(inst) = m.instance.as_deref().filter(|i| cross_document(i)) else {
                continue;
            };
            let g = (d, m.span.start, m.span.end);
            if gold_by_doc[d].contains(&g) {
                continue;
            }
            gold.entry(inst).or_default().push(g);
            gold_by_doc[d].push(g);
        }
    }
    // align sources to gold mentions
    let mut used: BTreeSet<Gm> = BTreeSet::new();
    let mut response: Vec<Vec<Gm>> = Vec::new();
    let mut predicted_mentions = 0;
    for e in events {
        let mut cluster = Vec::new();
        let mut seen: BTreeSet<(usize, u32, u32)> = BTreeSet::new();
        for s in &e.sources {
            let Some(&d) = doc_index.get(s.doc.as_str()) else {
                continue;
            };
            if !seen.insert((d, s.trigger_start, s.trigger_end)) {
                continue;
            }
            predicted_mentions += 1;
            let hit = gold_by_doc[d]
                .iter()
                .find(|g| !used.contains(*g) && g.1 < s.trigger_end && s.trigger_start < g.2)
                .copied();
            if let Some(g) = hit {
                used.insert(g);
                cluster.push(g);
            }
        }
        if !cluster.is_empty() {
            response.push(cluster);
        }
    }
    let key: Vec<Vec<Gm>> = gold.values().cloned().collect();
    let found_key: Vec<Vec<Gm>> = key
        .iter()
        .map(|c| c.iter().filter(|g| used.contains(*g)).copied().collect())
        .filter(|c: &Vec<Gm>| !c.is_empty())
        .collect();
    let gold_mentions = key.iter().map(Vec::len).sum();
    EventCorefScores {
        documents: corpus.len(),
        gold_mentions,
        gold_events: key.len(),
        predicted_events: events.len(),
        predicted_mentions,
        mentions: Prf::from_counts(used.len(), predicted_mentions, gold_mentions),
        all_gold: coref::score(&key, &response),
        found_only: coref::score(&found_key, &response),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meantime::MtMention;
    use model::{ByteSpan, DatePrecision, EventStatus, EventType, Source};

    fn mention(id: &str, start: u32, end: u32, inst: &str) -> MtMention {
        MtMention {
            m_id: id.into(),
            tokens: Vec::new(),
            span: ByteSpan { start, end },
            syntactic_type: String::new(),
            instance: Some(inst.into()),
            instance_type: None,
            external_ref: None,
        }
    }

    fn doc(id: &str, events: Vec<MtMention>) -> MtDoc {
        MtDoc {
            id: id.into(),
            corpus: "c".into(),
            text: "x".repeat(100),
            tokens: Vec::new(),
            entities: Vec::new(),
            events,
            date: None,
        }
    }

    fn event(sources: &[(&str, u32, u32)]) -> Event {
        Event {
            id: "v".into(),
            date: None,
            date_end: None,
            date_precision: DatePrecision::Unknown,
            date_source: None,
            kind: EventType::Other,
            mode: None,
            status: EventStatus::Occurred,
            headline: String::new(),
            actors: Vec::new(),
            recipients: Vec::new(),
            place: None,
            sources: sources
                .iter()
                .map(|&(d, s, e)| Source {
                    doc: d.into(),
                    start: 0,
                    end: 100,
                    sentence: String::new(),
                    trigger: String::new(),
                    trigger_start: s,
                    trigger_end: e,
                    time_text: None,
                    quote: None,
                })
                .collect(),
        }
    }

    #[test]
    fn perfect_grouping_scores_one_and_local_instances_are_ignored() {
        let corpus = [
            doc(
                "a",
                vec![mention("1", 0, 5, "ev1"), mention("2", 10, 15, "a#2")],
            ),
            doc("b", vec![mention("1", 20, 25, "ev1")]),
        ];
        let s = score_events(&corpus, &[event(&[("a", 1, 4), ("b", 20, 25)])]);
        assert_eq!((s.gold_mentions, s.gold_events), (2, 1));
        assert!((s.all_gold.b3.f1 - 1.0).abs() < 1e-9);
        assert!((s.all_gold.conll_f1 - 1.0).abs() < 1e-9);
        assert!((s.mentions.recall - 1.0).abs() < 1e-9);
    }

    #[test]
    fn split_event_loses_recall_and_missed_mentions_count_only_in_all_gold() {
        let corpus = [
            doc(
                "a",
                vec![mention("1", 0, 5, "ev1"), mention("3", 30, 35, "ev1")],
            ),
            doc("b", vec![mention("1", 20, 25, "ev1")]),
        ];
        // the run found two of three mentions and did not merge them
        let s = score_events(&corpus, &[event(&[("a", 0, 5)]), event(&[("b", 20, 25)])]);
        assert!(s.all_gold.b3.recall < 0.5);
        assert!((s.found_only.b3.precision - 1.0).abs() < 1e-9);
        assert!((s.found_only.b3.recall - 0.5).abs() < 1e-9);
        assert!((s.mentions.recall - 2.0 / 3.0).abs() < 1e-9);
    }
}
