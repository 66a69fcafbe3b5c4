//! MEANTIME (NewsReader, CC BY 4.0): "here is the corpus folder, give me its
//! documents, entity and event mentions, and cross-document instances".
//!
//! Reads `intra_cross-doc_annotation/corpus_*/*.xml`. A document's text is
//! rebuilt by joining its tokens with single spaces (the token → byte map is
//! kept, and sentences come from the `sentence` attribute). Mentions are
//! linked to instances by `REFERS_TO`; an instance with an `instance_id` is
//! cross-document (the same id in several files is one real-world entity or
//! event), one without is local to its file.
//!
//! [`evaluate_entities`] scores an entity-linking run: mention detection
//! (exact span and overlap) and cross-document entity coreference (MUC, B³,
//! CEAF-e, CoNLL F1) against the named mentions of persons, organizations and
//! locations.

use crate::coref::{self, CorefScores, Prf};
use model::{ByteSpan, Document, Sentence};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors reading MEANTIME.
#[derive(Debug, thiserror::Error)]
pub enum MeantimeError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not well-formed XML.
    #[error("{path}: {message}")]
    Xml {
        /// The path.
        path: PathBuf,
        /// Parser message.
        message: String,
    },
    /// No document was found.
    #[error("no MEANTIME documents under {0}")]
    Empty(PathBuf),
}

/// One token of a MEANTIME document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtToken {
    /// The `t_id` attribute.
    pub t_id: u32,
    /// Sentence number.
    pub sentence: u32,
    /// Bytes in the rebuilt text.
    pub span: ByteSpan,
}

/// One entity or event mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtMention {
    /// The markable id (`m_id`), unique within the file.
    pub m_id: String,
    /// Anchored token ids, in order.
    pub tokens: Vec<u32>,
    /// From the first to the last anchored token, in the rebuilt text.
    pub span: ByteSpan,
    /// `syntactic_type` (`NAM`, `NOM`, `PRO`, ...; empty when not given).
    pub syntactic_type: String,
    /// Instance key: the cross-document `instance_id`, or `<doc>#<m_id>` of a
    /// document-local instance; `None` when the mention refers to no instance.
    pub instance: Option<String>,
    /// Instance type: `ent_type` for entities (`PER`, `ORG`, `LOC`, `PRO`, `FIN`, `MIX`),
    /// `class` for events (`OTHER`, `SPEECH_COGNITIVE`, `GRAMMATICAL`).
    pub instance_type: Option<String>,
    /// `external_ref` of the instance (a DBpedia page), when given.
    pub external_ref: Option<String>,
}

/// One MEANTIME document.
#[derive(Debug, Clone, PartialEq)]
pub struct MtDoc {
    /// File stem, e.g. `100911_Northrop_Grumman_and_Airbus_parent_EADS_defeat_Boeing`.
    pub id: String,
    /// Corpus folder (`corpus_airbus`, ...).
    pub corpus: String,
    /// Tokens joined by single spaces.
    pub text: String,
    /// Tokens with their byte spans.
    pub tokens: Vec<MtToken>,
    /// Entity mentions.
    pub entities: Vec<MtMention>,
    /// Event mentions.
    pub events: Vec<MtMention>,
    /// The article's creation date (`YYYY-MM-DD`) when given.
    pub date: Option<String>,
}

impl MtDoc {
    /// A `model::Document` with the rebuilt text, sentences and date (no other layers).
    pub fn to_document(&self) -> Document {
        let mut d = Document::new(self.id.clone(), self.text.clone());
        d.meta.date = self
            .date
            .as_deref()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        let mut sents: BTreeMap<u32, ByteSpan> = BTreeMap::new();
        for t in &self.tokens {
            sents
                .entry(t.sentence)
                .and_modify(|s| s.end = t.span.end)
                .or_insert(t.span);
        }
        d.layers.sentences = sents.into_values().map(|span| Sentence { span }).collect();
        d
    }
}

/// Reads every `corpus_*/*.xml` under `dir` (the `intra_cross-doc_annotation` folder),
/// sorted by corpus and file name.
pub fn read_corpus(dir: &Path) -> Result<Vec<MtDoc>, MeantimeError> {
    let io = |path: &Path, source| MeantimeError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    let mut corpora: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    corpora.sort();
    for c in corpora {
        let mut fs: Vec<PathBuf> = std::fs::read_dir(&c)
            .map_err(|e| io(&c, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        fs.sort();
        files.extend(fs);
    }
    if files.is_empty() {
        return Err(MeantimeError::Empty(dir.to_path_buf()));
    }
    files.iter().map(|f| read_doc(f)).collect()
}

/// Reads one MEANTIME XML file.
pub fn read_doc(path: &Path) -> Result<MtDoc, MeantimeError> {
    let raw = std::fs::read_to_string(path).map_err(|source| MeantimeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let xml = roxmltree::Document::parse(&raw).map_err(|e| MeantimeError::Xml {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let corpus = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = xml.root_element();

    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut by_tid: BTreeMap<u32, ByteSpan> = BTreeMap::new();
    for t in root.children().filter(|n| n.has_tag_name("token")) {
        let word = t.text().unwrap_or("").trim();
        let word = if word.is_empty() { "_" } else { word };
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let span = ByteSpan::new(start, text.len());
        let t_id = t
            .attribute("t_id")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let sentence = t
            .attribute("sentence")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        by_tid.insert(t_id, span);
        tokens.push(MtToken {
            t_id,
            sentence,
            span,
        });
    }

    // instances and mentions
    struct Inst {
        key: String,
        kind: Option<String>,
        external_ref: Option<String>,
    }
    let mut instances: BTreeMap<String, Inst> = BTreeMap::new();
    let mut mentions: Vec<(bool, MtMention)> = Vec::new();
    let mut date = None;
    let markables = root.children().find(|n| n.has_tag_name("Markables"));
    for n in markables
        .iter()
        .flat_map(|m| m.children())
        .filter(|n| n.is_element())
    {
        let m_id = n.attribute("m_id").unwrap_or("").to_string();
        match n.tag_name().name() {
            "ENTITY" | "EVENT" => {
                let key = match n.attribute("instance_id") {
                    Some(i) if !i.is_empty() => i.to_string(),
                    _ => format!("{id}#{m_id}"),
                };
                let kind = n
                    .attribute("ent_type")
                    .or_else(|| n.attribute("class"))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                let external_ref = n
                    .attribute("external_ref")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                instances.insert(
                    m_id,
                    Inst {
                        key,
                        kind,
                        external_ref,
                    },
                );
            }
            tag @ ("ENTITY_MENTION" | "EVENT_MENTION") => {
                let toks: Vec<u32> = n
                    .children()
                    .filter(|c| c.has_tag_name("token_anchor"))
                    .filter_map(|c| c.attribute("t_id").and_then(|s| s.parse().ok()))
                    .collect();
                let spans: Vec<ByteSpan> =
                    toks.iter().filter_map(|t| by_tid.get(t).copied()).collect();
                let (Some(first), Some(last)) = (spans.iter().min(), spans.iter().max()) else {
                    continue;
                };
                mentions.push((
                    tag == "ENTITY_MENTION",
                    MtMention {
                        m_id,
                        tokens: toks,
                        span: ByteSpan {
                            start: first.start,
                            end: last.end,
                        },
                        syntactic_type: n.attribute("syntactic_type").unwrap_or("").to_string(),
                        instance: None,
                        instance_type: None,
                        external_ref: None,
                    },
                ));
            }
            "TIMEX3" if n.attribute("functionInDocument") == Some("CREATION_TIME") => {
                date = n
                    .attribute("value")
                    .filter(|v| v.len() >= 10)
                    .map(|v| v[..10].to_string());
            }
            _ => {}
        }
    }
    // REFERS_TO: source mentions → target instance
    let mut refers: BTreeMap<String, String> = BTreeMap::new();
    for r in root.descendants().filter(|n| n.has_tag_name("REFERS_TO")) {
        let Some(target) = r
            .children()
            .find(|c| c.has_tag_name("target"))
            .and_then(|c| c.attribute("m_id"))
        else {
            continue;
        };
        for s in r.children().filter(|c| c.has_tag_name("source")) {
            if let Some(m) = s.attribute("m_id") {
                refers.insert(m.to_string(), target.to_string());
            }
        }
    }
    let mut entities = Vec::new();
    let mut events = Vec::new();
    for (is_entity, mut m) in mentions {
        if let Some(inst) = refers.get(&m.m_id).and_then(|t| instances.get(t)) {
            m.instance = Some(inst.key.clone());
            m.instance_type = inst.kind.clone();
            m.external_ref = inst.external_ref.clone();
        }
        if is_entity {
            entities.push(m);
        } else {
            events.push(m);
        }
    }
    entities.sort_by_key(|m| (m.span.start, m.span.end));
    events.sort_by_key(|m| (m.span.start, m.span.end));
    Ok(MtDoc {
        id,
        corpus,
        text,
        tokens,
        entities,
        events,
        date,
    })
}

/// True for a gold entity mention that is a name: `syntactic_type` NAM or PRE.NAM
/// (a name used as a premodifier, "US automakers"), or no type given and every
/// word capitalized.
pub fn is_name_mention(doc: &MtDoc, m: &MtMention) -> bool {
    match m.syntactic_type.as_str() {
        "NAM" | "PRE.NAM" => true,
        "" => doc.text[m.span.range()]
            .split(' ')
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
            .all(|w| w.chars().next().is_some_and(char::is_uppercase)),
        _ => false,
    }
}

/// Results of [`evaluate_entities`].
#[derive(Debug, Clone, Default)]
pub struct EntityScores {
    /// Documents evaluated.
    pub documents: usize,
    /// Gold name mentions (PER, ORG, LOC instances).
    pub gold_mentions: usize,
    /// Predicted linked mentions.
    pub predicted_mentions: usize,
    /// Gold entities (instances) among those mentions.
    pub gold_entities: usize,
    /// Predicted entities.
    pub predicted_entities: usize,
    /// Mention detection, exact span.
    pub mentions_exact: Prf,
    /// Mention detection, any overlap (one-to-one).
    pub mentions_overlap: Prf,
    /// Cross-document coreference with predicted mentions aligned to gold by exact span.
    pub coref_exact: CorefScores,
    /// Cross-document coreference with predicted mentions aligned to gold by overlap.
    pub coref_overlap: CorefScores,
    /// Cross-document coreference restricted to gold mentions the run found (overlap),
    /// i.e. the linking quality alone.
    pub coref_found: CorefScores,
}

impl std::fmt::Display for EntityScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "MEANTIME entities: {} documents, {} gold name mentions of {} entities, {} predicted mentions of {} entities",
            self.documents,
            self.gold_mentions,
            self.gold_entities,
            self.predicted_mentions,
            self.predicted_entities
        )?;
        writeln!(f, "mention detection (exact):   {}", self.mentions_exact)?;
        writeln!(f, "mention detection (overlap): {}", self.mentions_overlap)?;
        for (name, s) in [
            ("exact-span mentions", &self.coref_exact),
            ("overlap-aligned mentions", &self.coref_overlap),
            ("found gold mentions only", &self.coref_found),
        ] {
            writeln!(
                f,
                "cross-doc coreference, {name}: MUC {} | B3 {} | CEAF-e {} | CoNLL F1 {:.1}",
                s.muc,
                s.b3,
                s.ceaf_e,
                100.0 * s.conll_f1
            )?;
        }
        Ok(())
    }
}

/// Entity types scored: persons, organizations, locations (the types NER finds).
const SCORED_TYPES: [&str; 3] = ["PER", "ORG", "LOC"];

/// Predicted mention labels compared with them (nationalities count: MEANTIME
/// annotates "American" as a mention of the United States).
const PREDICTED_LABELS: [&str; 6] = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"];

/// Evaluates entity linking on MEANTIME: reads the corpus under `dir`, builds one
/// `model::Document` per file (rebuilt text, sentences, date), lets `run` fill and link
/// the entity layers (setting `EntityMention::entity`), and scores name mentions of
/// persons, organizations and locations.
pub fn evaluate_entities(
    dir: &Path,
    run: &dyn Fn(&mut [Document]),
) -> Result<EntityScores, MeantimeError> {
    let corpus = read_corpus(dir)?;
    let mut docs: Vec<Document> = corpus.iter().map(MtDoc::to_document).collect();
    run(&mut docs);
    Ok(score_entities(&corpus, &docs))
}

/// A mention in the whole corpus: (document index, start, end).
type Gm = (usize, u32, u32);

/// Scores linked documents (same order as `corpus`) against MEANTIME's gold.
pub fn score_entities(corpus: &[MtDoc], docs: &[Document]) -> EntityScores {
    let mut gold: BTreeMap<String, Vec<Gm>> = BTreeMap::new();
    let mut gold_by_doc: Vec<Vec<Gm>> = vec![Vec::new(); corpus.len()];
    for (d, doc) in corpus.iter().enumerate() {
        for m in &doc.entities {
            let (Some(inst), Some(kind)) = (&m.instance, &m.instance_type) else {
                continue;
            };
            if !SCORED_TYPES.contains(&kind.as_str()) || !is_name_mention(doc, m) {
                continue;
            }
            let g = (d, m.span.start, m.span.end);
            if gold_by_doc[d].contains(&g) {
                continue;
            }
            gold.entry(inst.clone()).or_default().push(g);
            gold_by_doc[d].push(g);
        }
    }
    let mut pred: BTreeMap<String, Vec<Gm>> = BTreeMap::new();
    let mut pred_by_doc: Vec<Vec<Gm>> = vec![Vec::new(); docs.len()];
    for (d, doc) in docs.iter().enumerate() {
        for m in &doc.layers.entities {
            if !PREDICTED_LABELS.contains(&m.label.as_str()) {
                continue;
            }
            if let Some(e) = &m.entity {
                let p = (d, m.span.start, m.span.end);
                if pred_by_doc[d].contains(&p) {
                    continue;
                }
                pred.entry(e.clone()).or_default().push(p);
                pred_by_doc[d].push(p);
            }
        }
    }
    // alignments
    let mut exact_map: BTreeMap<Gm, Gm> = BTreeMap::new();
    let mut overlap_map: BTreeMap<Gm, Gm> = BTreeMap::new();
    for d in 0..corpus.len().min(docs.len()) {
        let mut used: Vec<bool> = vec![false; gold_by_doc[d].len()];
        for &p in &pred_by_doc[d] {
            if let Some(i) = gold_by_doc[d].iter().position(|&g| g == p) {
                exact_map.insert(p, p);
                used[i] = true;
                overlap_map.insert(p, p);
            }
        }
        for &p in &pred_by_doc[d] {
            if overlap_map.contains_key(&p) {
                continue;
            }
            if let Some(i) = gold_by_doc[d]
                .iter()
                .enumerate()
                .position(|(i, g)| !used[i] && g.1 < p.2 && p.1 < g.2)
            {
                used[i] = true;
                overlap_map.insert(p, gold_by_doc[d][i]);
            }
        }
    }
    let gold_clusters: Vec<Vec<Gm>> = gold.values().cloned().collect();
    let n_gold: usize = gold_clusters.iter().map(Vec::len).sum();
    let n_pred: usize = pred.values().map(Vec::len).sum();
    let remap = |map: &BTreeMap<Gm, Gm>| -> Vec<Vec<Gm>> {
        pred.values()
            .map(|c| {
                c.iter()
                    .map(|p| map.get(p).copied().unwrap_or(*p))
                    .collect()
            })
            .collect()
    };
    let resp_exact = remap(&exact_map);
    let resp_overlap = remap(&overlap_map);
    // found-only: restrict both sides to aligned gold mentions
    let found: std::collections::BTreeSet<Gm> = overlap_map.values().copied().collect();
    let key_found: Vec<Vec<Gm>> = gold_clusters
        .iter()
        .map(|c| {
            c.iter()
                .copied()
                .filter(|g| found.contains(g))
                .collect::<Vec<_>>()
        })
        .filter(|c: &Vec<Gm>| !c.is_empty())
        .collect();
    let resp_found: Vec<Vec<Gm>> = resp_overlap
        .iter()
        .map(|c| {
            c.iter()
                .copied()
                .filter(|g| found.contains(g))
                .collect::<Vec<_>>()
        })
        .filter(|c: &Vec<Gm>| !c.is_empty())
        .collect();
    EntityScores {
        documents: corpus.len(),
        gold_mentions: n_gold,
        predicted_mentions: n_pred,
        gold_entities: gold_clusters.len(),
        predicted_entities: pred.len(),
        mentions_exact: Prf::from_counts(exact_map.len(), n_pred, n_gold),
        mentions_overlap: Prf::from_counts(overlap_map.len(), n_pred, n_gold),
        coref_exact: coref::score(&gold_clusters, &resp_exact),
        coref_overlap: coref::score(&gold_clusters, &resp_overlap),
        coref_found: coref::score(&key_found, &resp_found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus in `../shared/data`; the tests that read it are ignored
    /// (with the reason) when it is absent, see `build.rs`.
    fn data() -> PathBuf {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/meantime/intra_cross-doc_annotation"
        ))
    }

    #[test]
    #[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
    fn reads_corpus_with_cross_document_instances() {
        let dir = data();
        let docs = read_corpus(&dir).expect("reads");
        assert_eq!(docs.len(), 120);
        let d = &docs[0];
        assert!(
            d.text
                .starts_with("Northrop Grumman and Airbus parent EADS defeat Boeing")
        );
        for m in d.entities.iter().chain(&d.events) {
            assert!(d.text.is_char_boundary(m.span.start as usize));
        }
        // cross-document instances: the same instance id in several files
        let mut files_per_instance: BTreeMap<&str, std::collections::BTreeSet<&str>> =
            BTreeMap::new();
        for d in &docs {
            for m in &d.entities {
                if let Some(i) = &m.instance {
                    files_per_instance.entry(i).or_default().insert(&d.id);
                }
            }
        }
        assert!(files_per_instance.values().any(|f| f.len() >= 5));
        assert!(docs.iter().all(|d| !d.events.is_empty()));
        let doc = docs[0].to_document();
        assert!(doc.layers.sentences.len() > 5);
        assert_eq!(
            doc.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2008-03-01")
        );
    }

    #[test]
    #[cfg_attr(not(shared_data), ignore = "../shared/data not found")]
    fn gold_run_scores_perfectly() {
        let dir = data();
        let corpus = read_corpus(&dir).expect("reads");
        let mut docs: Vec<Document> = corpus.iter().map(MtDoc::to_document).collect();
        for (doc, mt) in docs.iter_mut().zip(&corpus) {
            for m in &mt.entities {
                if let (Some(i), Some(k)) = (&m.instance, &m.instance_type)
                    && SCORED_TYPES.contains(&k.as_str())
                    && is_name_mention(mt, m)
                {
                    let mut em = model::EntityMention::new(m.span, "ORG");
                    em.entity = Some(i.clone());
                    doc.layers.entities.push(em);
                }
            }
        }
        let s = score_entities(&corpus, &docs);
        assert!((s.mentions_exact.f1 - 1.0).abs() < 1e-9);
        assert!((s.coref_exact.conll_f1 - 1.0).abs() < 1e-9, "{s}");
    }
}
