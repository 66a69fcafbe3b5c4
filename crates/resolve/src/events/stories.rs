//! Stories: which articles tell of the same story?
//!
//! Before events are merged across documents, the documents being merged are
//! grouped by what they are about (as cross-document event coreference
//! systems do: Lee et al. 2012, Barhom et al. 2019). Each document is a
//! sparse TF-IDF vector over
//! - the lemmas of its content words (nouns, proper nouns, verbs, adjectives,
//!   numbers), and
//! - the resolved ids of its entity mentions (weighted [`ENTITY_WEIGHT`]),
//!
//! where words of the first [`LEAD_SENTENCES`] sentences (headline and lead)
//! count [`LEAD_WEIGHT`] times. Term frequencies are sublinear (`1 + ln tf`);
//! the inverse document frequency `ln(1 + N / df)` is computed over the
//! documents being merged, so it adapts to the input corpus (and a word all
//! of a few articles share still counts). Vectors are L2-normalized.
//!
//! Documents are clustered by average-link agglomerative clustering over
//! cosine similarity, merging the most similar pair of clusters while their
//! average similarity is at least [`THRESHOLD`]. Each cluster of at least
//! [`MIN_SPLIT_SIZE`] documents is then clustered again with the inverse
//! document frequencies of its own documents and [`SPLIT_THRESHOLD`]: what
//! all of them share (the kind of event: "quake", "magnitude") weighs little
//! there, and what tells two similar stories apart (who, where, when) weighs
//! more, so two earthquakes in one corpus become two stories. Similarities are computed
//! only for pairs of documents sharing a term through an inverted index;
//! terms found in more than [`MAX_DF_SHARE`] of the documents (and more than
//! [`MIN_DF_CAP`] documents, and always those in more than [`MAX_DF_CAP`])
//! are too common to tell stories apart and are left out of the dot
//! products, so the work grows with the pairs that share a distinctive word
//! or entity, not with the square of the corpus.
//!
//! With a learned model ([`Params::model`]; off by default) both passes
//! cluster not by the cosine itself but by a probability that two
//! documents tell one story
//! ([`StoryModel`], weights in `data/story_model.tsv`): a logistic model
//! over the word cosine, whether the years the two name conflict, and the
//! named entities their leads share ([`pair_features`]). It is fit on ECB+ development
//! topics, and its thresholds chosen by two-fold cross-validation by topic,
//! by `cargo run -p eventline-pipeline --example eval_events -- ecbplus
//! --train-stories --write`. The model scores every pair of a window's
//! documents: quadratic in the window, which the window rule bounds (at
//! most 1,000 documents, `resolve::window`). It is off by default: its
//! held-out gain on ECB+ is small (mean F1 0.832 against 0.823, with lower
//! precision on one half), and on small sets of articles it joins two
//! stories that share one person (the first two tests below).
//!
//! The result does not depend on the input order beyond document ids: ties
//! are broken by the smaller index, and callers pass documents in a fixed
//! order.

use model::{Document, UnionFind};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// Sentences at the top of an article (headline, lead) whose words count more.
pub const LEAD_SENTENCES: usize = 3;
/// How many times a lead word counts.
pub const LEAD_WEIGHT: f64 = 8.0;
/// How many times an entity mention counts, relative to a word.
pub const ENTITY_WEIGHT: f64 = 2.0;
/// Average cosine similarity at or above which two clusters of documents join.
pub const THRESHOLD: f64 = 0.1;
/// Average cosine similarity, with word weights computed within a story
/// cluster, at or above which its documents stay together.
pub const SPLIT_THRESHOLD: f64 = 0.1;
/// Story clusters of fewer documents are not split again.
pub const MIN_SPLIT_SIZE: usize = 4;
/// Terms in more than this share of the documents do not propose pairs.
pub const MAX_DF_SHARE: f64 = 0.05;
/// ... unless they are in at most this many documents.
pub const MIN_DF_CAP: usize = 50;
/// Terms in more than this many documents never propose pairs, whatever the
/// corpus size: the pair work per term stays bounded (at most
/// `MAX_DF_CAP² / 2`), so the whole grows with the vocabulary, not with the
/// square of the corpus.
pub const MAX_DF_CAP: usize = 200;

/// How many times a time expression's year and month count, relative to a word.
pub const TIME_WEIGHT: f64 = 8.0;

/// The learned pair model (`data/story_model.tsv`, made by
/// `cargo run -p eventline-pipeline --example eval_events -- ecbplus
/// --train-stories --write`).
const STORY_MODEL_TSV: &str = include_str!("../../data/story_model.tsv");

/// Pair probabilities below this are left out of the clustering (counted
/// as 0 in the averages), so the pairs kept stay few.
const MIN_PROBABILITY: f64 = 0.02;

/// The weights and threshold of the clustering (the constants above by default).
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// See [`LEAD_WEIGHT`].
    pub lead_weight: f64,
    /// See [`ENTITY_WEIGHT`].
    pub entity_weight: f64,
    /// See [`TIME_WEIGHT`].
    pub time_weight: f64,
    /// See [`THRESHOLD`] (without a model; a model has its own).
    pub threshold: f64,
    /// See [`SPLIT_THRESHOLD`] (without a model; a model has its own). At
    /// most 0, the story clusters stay whole, with or without a model.
    pub split_threshold: f64,
    /// The learned pair model; `None` (the default) clusters by word
    /// similarity alone (with [`Params::threshold`]).
    pub model: Option<&'static StoryModel>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            lead_weight: LEAD_WEIGHT,
            entity_weight: ENTITY_WEIGHT,
            time_weight: TIME_WEIGHT,
            threshold: THRESHOLD,
            split_threshold: SPLIT_THRESHOLD,
            model: None,
        }
    }
}

/// Parts of speech whose lemmas describe what a document is about.
const CONTENT_POS: &[&str] = &["NOUN", "PROPN", "VERB", "ADJ", "NUM"];

/// Whether an entity mention is web-address junk ("http://...", "www.x.com").
fn is_junk(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("http") || t.contains("www.") || t.contains('/') || t.contains(".com")
}

/// Where an article's headline and lead end: the end of its first
/// [`LEAD_SENTENCES`] sentences (0 for a document without sentences).
pub fn lead_end(doc: &Document) -> u32 {
    let n = LEAD_SENTENCES.min(doc.layers.sentences.len());
    n.checked_sub(1)
        .map_or(0, |last| doc.layers.sentences[last].span.end)
}

/// Term counts of one document (weighted by lead and kind).
fn terms(doc: &Document, p: &Params) -> BTreeMap<String, f64> {
    let lead_end = lead_end(doc);
    let w = |start: u32| if start < lead_end { p.lead_weight } else { 1.0 };
    let mut tf: BTreeMap<String, f64> = BTreeMap::new();
    for e in &doc.layers.entities {
        let Some(id) = &e.entity else { continue };
        if is_junk(doc.span_text(e.span)) {
            continue;
        }
        *tf.entry(format!("\u{1}{id}")).or_default() += p.entity_weight * w(e.span.start);
    }
    // the year and month the article's time expressions (and its date) name
    let mut times: Vec<(String, f64)> = Vec::new();
    for x in &doc.layers.timexes {
        let v = x.value.as_str();
        if v.len() >= 4 && v[..4].bytes().all(|b| b.is_ascii_digit()) {
            times.push((v[..4].to_string(), w(x.span.start)));
            if v.len() >= 7
                && v.as_bytes()[4] == b'-'
                && v[5..7].bytes().all(|b| b.is_ascii_digit())
            {
                times.push((v[..7].to_string(), w(x.span.start)));
            }
        }
    }
    if let Some(d) = doc.meta.date {
        let v = d.format("%Y-%m").to_string();
        times.push((v[..4].to_string(), p.lead_weight));
        times.push((v, p.lead_weight));
    }
    for (t, x) in times {
        *tf.entry(format!("\u{2}{t}")).or_default() += p.time_weight * x;
    }
    for t in &doc.layers.tokens {
        if !CONTENT_POS.contains(&t.pos.as_str()) {
            continue;
        }
        let word = doc.span_text(t.span);
        if word.chars().count() < 3 || !word.chars().any(char::is_alphanumeric) || is_junk(word) {
            continue;
        }
        let lemma = if t.lemma.is_empty() {
            word.to_lowercase()
        } else {
            t.lemma.to_lowercase()
        };
        *tf.entry(lemma).or_default() += w(t.span.start);
    }
    tf
}

/// A document's sparse unit vector: (term index, weight), sorted by term.
type Vector = Vec<(usize, f64)>;

/// The TF-IDF unit vectors of the documents, and each term's document frequency.
fn vectors(counts: &[&BTreeMap<String, f64>]) -> (Vec<Vector>, Vec<usize>) {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for c in counts {
        for t in c.keys() {
            let n = index.len();
            index.entry(t.as_str()).or_insert(n);
        }
    }
    let mut df = vec![0usize; index.len()];
    for c in counts {
        for t in c.keys() {
            df[index[t.as_str()]] += 1;
        }
    }
    let n = counts.len() as f64;
    let vecs = counts
        .iter()
        .map(|c| {
            let mut v: Vector = c
                .iter()
                .map(|(t, &f)| {
                    let k = index[t.as_str()];
                    (k, (1.0 + f.ln().max(0.0)) * (1.0 + n / df[k] as f64).ln())
                })
                .filter(|&(_, x)| x > 0.0)
                .collect();
            v.sort_by_key(|&(k, _)| k);
            let norm = v.iter().map(|&(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, x) in v.iter_mut() {
                    *x /= norm;
                }
            }
            v
        })
        .collect();
    (vecs, df)
}

/// How alike the documents are in the first clustering pass, keyed by
/// (smaller index, larger index): without a model, the cosine of the pairs
/// that share a distinctive term (above zero; the learned model's `word`
/// feature); with one, the join probability (see [`similarities_of`]).
pub fn similarities(docs: &[Document], p: &Params) -> BTreeMap<(usize, usize), f64> {
    let counts: Vec<BTreeMap<String, f64>> = docs.iter().map(|d| terms(d, p)).collect();
    let docs: Vec<&Document> = docs.iter().collect();
    similarities_of(
        &docs,
        &counts.iter().collect::<Vec<_>>(),
        p.model.map(|m| &m.join),
    )
}

/// How alike each pair of documents is, keyed by (smaller index, larger
/// index): with a learned model ([`Params::model`]) the probability that
/// the two tell one story (pairs under [`MIN_PROBABILITY`] left out), else
/// the cosine of their TF-IDF vectors. Word weights come from these
/// documents' frequencies.
fn similarities_of(
    docs: &[&Document],
    counts: &[&BTreeMap<String, f64>],
    model: Option<&PairModel>,
) -> BTreeMap<(usize, usize), f64> {
    let words = word_similarities(counts);
    let Some(model) = model else {
        return words;
    };
    let facts: Vec<DocFacts> = docs.iter().map(|d| DocFacts::of(d)).collect();
    let mut out = BTreeMap::new();
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            let word = words.get(&(a, b)).copied().unwrap_or(0.0);
            let f = pair_features(word, &facts[a], &facts[b]);
            let prob = model.probability(&f);
            if prob >= MIN_PROBABILITY {
                out.insert((a, b), prob);
            }
        }
    }
    out
}

/// What the pair features read of one document besides its words: the
/// years it names (its time expressions and its date) and the named
/// entities of its lead.
#[derive(Debug)]
pub struct DocFacts {
    years: BTreeSet<i32>,
    lead_entities: BTreeSet<String>,
}

impl DocFacts {
    /// The facts of one document.
    pub fn of(doc: &Document) -> Self {
        let mut years: BTreeSet<i32> = doc
            .layers
            .timexes
            .iter()
            .filter_map(|x| x.value.get(..4)?.parse().ok())
            .collect();
        if let Some(d) = doc.meta.date {
            years.insert(chrono::Datelike::year(&d));
        }
        let end = lead_end(doc);
        let lead_entities = doc
            .layers
            .entities
            .iter()
            .filter(|e| e.span.start < end && !is_junk(doc.span_text(e.span)))
            .filter_map(|e| e.entity.clone())
            .collect();
        Self {
            years,
            lead_entities,
        }
    }
}

/// Names of the pair features, in the order of [`pair_features`] and of
/// the model's weights.
pub const FEATURES: [&str; FEATURE_COUNT] = [
    "word",
    "year_conflict",
    "lead_entities",
    "lead_entity_conflict",
];

/// How many pair features there are.
pub const FEATURE_COUNT: usize = 4;

/// The features of a document pair: their TF-IDF cosine (`word`); whether
/// both name years and none in common (`year_conflict`); the named entities
/// their leads share (at most 3, over 3: `lead_entities`); and whether both
/// leads name entities and none in common (`lead_entity_conflict`).
pub fn pair_features(word: f64, a: &DocFacts, b: &DocFacts) -> [f64; FEATURE_COUNT] {
    let conflict = !a.years.is_empty() && !b.years.is_empty() && a.years.is_disjoint(&b.years);
    let shared = a
        .lead_entities
        .intersection(&b.lead_entities)
        .count()
        .min(3);
    [
        word,
        f64::from(u8::from(conflict)),
        shared as f64 / 3.0,
        f64::from(u8::from(
            shared == 0 && !a.lead_entities.is_empty() && !b.lead_entities.is_empty(),
        )),
    ]
}

/// A logistic model of "these two documents tell one story" over
/// [`FEATURES`], and the average probability at or above which clusters of
/// documents join.
#[derive(Debug, Clone, PartialEq)]
pub struct PairModel {
    /// The intercept.
    pub bias: f64,
    /// One weight per feature, in the order of [`FEATURES`].
    pub weights: [f64; FEATURE_COUNT],
    /// Average pair probability at or above which two clusters join.
    pub threshold: f64,
}

impl PairModel {
    /// The probability that two documents with these features tell one story.
    pub fn probability(&self, f: &[f64; FEATURE_COUNT]) -> f64 {
        let z = self.bias + self.weights.iter().zip(f).map(|(w, x)| w * x).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// The learned story model: one pair model for each pass of the clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryModel {
    /// The first pass, over a window's documents (word weights of the window).
    pub join: PairModel,
    /// The second pass, within each story of the first (word weights of the
    /// story's documents): it tells apart two happenings of one kind.
    pub split: PairModel,
}

/// The passes of [`StoryModel`], as the table names them.
const PASSES: [&str; 2] = ["join", "split"];

impl StoryModel {
    /// The bundled model (`data/story_model.tsv`).
    pub fn bundled() -> &'static StoryModel {
        static MODEL: std::sync::OnceLock<StoryModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            StoryModel::parse("story_model.tsv", STORY_MODEL_TSV)
                .expect("the bundled story model is well formed")
        })
    }

    /// Reads a model table: rows `pass<TAB>name<TAB>value`, the pass
    /// `join` or `split`, the name `bias`, `threshold` or one of
    /// [`FEATURES`]; every value given once.
    pub fn parse(file: &str, text: &str) -> Result<Self, nlp::tsv::TsvError> {
        let error = |line: u64, message: String| nlp::tsv::TsvError {
            file: file.into(),
            line,
            message,
        };
        let empty = PairModel {
            bias: f64::NAN,
            weights: [f64::NAN; FEATURE_COUNT],
            threshold: f64::NAN,
        };
        let mut passes = [empty.clone(), empty];
        for (line, (pass, name, value)) in nlp::tsv::rows::<(String, String, f64)>(file, text)? {
            let Some(k) = PASSES.iter().position(|p| *p == pass) else {
                return Err(error(line, format!("unknown pass {pass:?}")));
            };
            let m = &mut passes[k];
            let slot = match name.as_str() {
                "bias" => &mut m.bias,
                "threshold" => &mut m.threshold,
                n => match FEATURES.iter().position(|f| *f == n) {
                    Some(i) => &mut m.weights[i],
                    None => return Err(error(line, format!("unknown feature {n:?}"))),
                },
            };
            if !slot.is_nan() {
                return Err(error(line, format!("{pass} {name} given twice")));
            }
            *slot = value;
        }
        for (pass, m) in PASSES.iter().zip(&passes) {
            let values = [("bias", m.bias), ("threshold", m.threshold)]
                .into_iter()
                .chain(FEATURES.iter().copied().zip(m.weights));
            for (name, v) in values {
                if !v.is_finite() {
                    return Err(error(0, format!("no finite value for {pass} {name}")));
                }
            }
        }
        let [join, split] = passes;
        Ok(StoryModel { join, split })
    }

    /// The table [`StoryModel::parse`] reads.
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        for (pass, m) in PASSES.iter().zip([&self.join, &self.split]) {
            out.push_str(&format!("{pass}\tbias\t{}\n", m.bias));
            for (name, w) in FEATURES.iter().zip(m.weights) {
                out.push_str(&format!("{pass}\t{name}\t{w}\n"));
            }
            out.push_str(&format!("{pass}\tthreshold\t{}\n", m.threshold));
        }
        out
    }
}

/// Cosine similarities of the TF-IDF vectors of documents given by their
/// term counts (pairs sharing a distinctive term only).
fn word_similarities(counts: &[&BTreeMap<String, f64>]) -> BTreeMap<(usize, usize), f64> {
    let (vecs, df) = vectors(counts);
    let cap = ((counts.len() as f64 * MAX_DF_SHARE) as usize).clamp(MIN_DF_CAP, MAX_DF_CAP);
    let mut postings: Vec<Vec<(usize, f64)>> = vec![Vec::new(); df.len()];
    for (d, v) in vecs.iter().enumerate() {
        for &(k, x) in v {
            if df[k] >= 2 && df[k] <= cap {
                postings[k].push((d, x));
            }
        }
    }
    let mut sims: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for list in &postings {
        for (i, &(a, x)) in list.iter().enumerate() {
            for &(b, y) in &list[i + 1..] {
                *sims.entry((a.min(b), a.max(b))).or_default() += x * y;
            }
        }
    }
    sims
}

/// A candidate merge of two clusters, ordered by average similarity, then
/// by the smaller indices (deterministic ties).
struct Candidate {
    avg: f64,
    a: usize,
    b: usize,
    /// Versions of `a` and `b` when the candidate was computed.
    va: u32,
    vb: u32,
}

impl PartialEq for Candidate {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Candidate {
    fn cmp(&self, o: &Self) -> Ordering {
        self.avg
            .total_cmp(&o.avg)
            .then_with(|| o.a.cmp(&self.a))
            .then_with(|| o.b.cmp(&self.b))
    }
}

/// Clusters the documents by what they are about: the cluster number of
/// each document (numbered by their smallest document index, so singletons
/// keep distinct numbers). Average-link over cosine similarity, stopping at
/// [`THRESHOLD`].
pub fn cluster_documents(docs: &[Document]) -> Vec<usize> {
    cluster_documents_with(docs, &Params::default())
}

/// [`cluster_documents`] with the given weights and threshold.
pub fn cluster_documents_with(docs: &[Document], p: &Params) -> Vec<usize> {
    let counts: Vec<BTreeMap<String, f64>> = docs.iter().map(|d| terms(d, p)).collect();
    let all: Vec<&BTreeMap<String, f64>> = counts.iter().collect();
    let doc_refs: Vec<&Document> = docs.iter().collect();
    let join = p.model.map(|m| &m.join);
    let mut story = cluster_with(
        docs.len(),
        &similarities_of(&doc_refs, &all, join),
        join.map_or(p.threshold, |m| m.threshold),
    );
    if p.split_threshold <= 0.0 {
        return story;
    }
    // each story cluster again, with the word weights of its own documents:
    // what all of them share (the kind of event) weighs little, what tells
    // two similar stories apart (who, where, when) weighs more
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &b) in story.iter().enumerate() {
        members.entry(b).or_default().push(i);
    }
    for ms in members.values().filter(|ms| ms.len() >= MIN_SPLIT_SIZE) {
        let local: Vec<&BTreeMap<String, f64>> = ms.iter().map(|&i| &counts[i]).collect();
        let local_docs: Vec<&Document> = ms.iter().map(|&i| doc_refs[i]).collect();
        let split = p.model.map(|m| &m.split);
        let sub = cluster_with(
            ms.len(),
            &similarities_of(&local_docs, &local, split),
            split.map_or(p.split_threshold, |m| m.threshold),
        );
        for (j, &i) in ms.iter().enumerate() {
            story[i] = ms[sub[j]];
        }
    }
    story
}

/// Average-link agglomerative clustering of `n` items with sparse pairwise
/// similarities (absent pairs count 0), merging while the best average is at
/// least `threshold`. Returns each item's cluster, numbered by its smallest
/// member.
pub fn cluster_with(n: usize, sims: &BTreeMap<(usize, usize), f64>, threshold: f64) -> Vec<usize> {
    // sum of similarities between live clusters, by cluster (its smallest member)
    let mut links: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
    for (&(a, b), &s) in sims {
        links[a].insert(b, s);
        links[b].insert(a, s);
    }
    let mut size = vec![1usize; n];
    let mut version = vec![0u32; n];
    let mut alive = vec![true; n];
    let mut sets = UnionFind::new(n);
    let mut heap = BinaryHeap::new();
    for (&(a, b), &s) in sims {
        if s >= threshold {
            heap.push(Candidate {
                avg: s,
                a,
                b,
                va: 0,
                vb: 0,
            });
        }
    }
    while let Some(c) = heap.pop() {
        if !alive[c.a] || !alive[c.b] || version[c.a] != c.va || version[c.b] != c.vb {
            continue;
        }
        // merge b into a (a < b)
        let (a, b) = (c.a.min(c.b), c.a.max(c.b));
        alive[b] = false;
        size[a] += size[b];
        version[a] += 1;
        let lb = std::mem::take(&mut links[b]);
        links[a].remove(&b);
        for (x, s) in lb {
            if x == a {
                continue;
            }
            *links[a].entry(x).or_default() += s;
            links[x].remove(&b);
        }
        let around: Vec<(usize, f64)> = links[a].iter().map(|(&x, &s)| (x, s)).collect();
        for (x, s) in around {
            links[x].insert(a, s);
            let avg = s / (size[a] * size[x]) as f64;
            if avg >= threshold {
                let (p, q) = (a.min(x), a.max(x));
                heap.push(Candidate {
                    avg,
                    a: p,
                    b: q,
                    va: version[p],
                    vb: version[q],
                });
            }
        }
        sets.union(a, b);
    }
    // a merged cluster joined one with a smaller index: its root
    sets.roots()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{ByteSpan, EntityMention, Sentence, Token};

    /// A one-sentence document whose words are nouns (lemma: the lowercase
    /// word) and whose entities are `(words, id)`.
    fn doc(id: &str, text: &str, ents: &[(&str, &str)]) -> Document {
        let mut d = Document::new(id, text);
        d.layers.sentences = vec![Sentence {
            span: ByteSpan::new(0, text.len()),
        }];
        let mut at = 0;
        for w in text.split(' ') {
            let mut t = Token::new(ByteSpan::new(at, at + w.len()));
            t.pos = "NOUN".into();
            t.lemma = w.to_lowercase();
            d.layers.tokens.push(t);
            at += w.len() + 1;
        }
        for (w, e) in ents {
            let s = text.find(w).unwrap();
            let mut m = EntityMention::new(ByteSpan::new(s, s + w.len()), "PERSON");
            m.entity = Some(e.to_string());
            d.layers.entities.push(m);
        }
        d
    }

    #[test]
    fn one_shared_participant_does_not_join_two_stories() {
        let docs = [
            doc(
                "a",
                "Governor Palin church destroyed arson fire Wasilla damage",
                &[("Palin", "e1"), ("Wasilla", "e2")],
            ),
            doc(
                "b",
                "Wasilla church fire arson suspected Palin congregation damage",
                &[("Palin", "e1"), ("Wasilla", "e2")],
            ),
            doc(
                "c",
                "Palin resigned office Juneau announcement surprise legislature budget successor Parnell",
                &[("Palin", "e1"), ("Juneau", "e3")],
            ),
        ];
        assert_eq!(cluster_documents(&docs), vec![0, 0, 2]);
    }

    #[test]
    fn two_earthquakes_are_two_stories() {
        // three words tell the kind of event; eight words and a place tell
        // each earthquake; two hundred unrelated articles make the corpus
        let q = |id: &str, text: &str, place: &str, e: &str| {
            doc(
                id,
                &format!("earthquake magnitude quake {text}"),
                &[(place, e)],
            )
        };
        let one = "Sumatra tsunami Padang hotels collapsed warning fishermen coast";
        let two = "Chile Santiago copper mines airport closed Valparaiso port";
        let mut docs = vec![
            q("a", one, "Sumatra", "e1"),
            q("b", one, "Sumatra", "e1"),
            q("c", one, "Sumatra", "e1"),
            q("d", two, "Chile", "e2"),
            q("e", two, "Chile", "e2"),
            q("f", two, "Chile", "e2"),
        ];
        for i in 0..200 {
            let words: Vec<String> = (0..5).map(|k| format!("w{i}x{k}")).collect();
            docs.push(doc(&format!("z{i}"), &words.join(" "), &[]));
        }
        let whole = Params {
            threshold: 0.15,
            split_threshold: 0.0,
            ..Params::default()
        };
        let split = Params {
            split_threshold: 0.12,
            ..whole
        };
        // one story cluster about earthquakes, then one per earthquake
        assert_eq!(cluster_documents_with(&docs, &whole)[..6], [0; 6]);
        assert_eq!(
            cluster_documents_with(&docs, &split)[..6],
            [0, 0, 0, 3, 3, 3]
        );
    }

    #[test]
    fn web_addresses_are_not_entities() {
        assert!(is_junk("http://www.example.com/news"));
        assert!(is_junk("Reuters.com"));
        assert!(!is_junk("Reuters"));
    }

    #[test]
    fn average_link_joins_close_pairs_and_keeps_far_ones_apart() {
        // 0-1 close, 2-3 close, 1-2 weakly linked
        let sims: BTreeMap<(usize, usize), f64> =
            [((0, 1), 0.8), ((2, 3), 0.7), ((1, 2), 0.3)].into();
        assert_eq!(cluster_with(5, &sims, 0.2), vec![0, 0, 2, 2, 4]);
        // with a low threshold the two pairs join (average 0.3 / 4 = 0.075)
        assert_eq!(cluster_with(4, &sims, 0.05), vec![0, 0, 0, 0]);
    }

    #[test]
    fn the_bundled_story_model_reads_and_writes_back() {
        let m = StoryModel::bundled();
        assert_eq!(StoryModel::parse("t.tsv", &m.to_tsv()).as_ref(), Ok(m));
        assert!(m.join.threshold > 0.0 && m.split.threshold > 0.0);
    }

    #[test]
    fn a_malformed_story_model_names_its_line() {
        let good = StoryModel::bundled().to_tsv();
        let unknown = good.replacen("join\tword\t", "join\twords\t", 1);
        let e = StoryModel::parse("m.tsv", &unknown).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("m.tsv", 2));
        assert!(e.message.contains("words"), "{e}");
        let missing: String = good
            .lines()
            .filter(|l| !l.starts_with("split\tbias"))
            .map(|l| format!("{l}\n"))
            .collect();
        let e = StoryModel::parse("m.tsv", &missing).unwrap_err();
        assert!(e.message.contains("split bias"), "{e}");
        let twice = format!("{good}join\tbias\t1\n");
        assert!(StoryModel::parse("m.tsv", &twice).is_err());
        let text = good.replacen("join\tword\t", "join\tword\tmany ", 1);
        assert!(StoryModel::parse("m.tsv", &text).is_err());
    }

    #[test]
    fn pair_features_read_years_and_lead_entities() {
        let year = |d: &mut Document, y: &str| {
            d.layers.timexes.push(model::Timex {
                span: ByteSpan::new(0, 4),
                kind: model::TimexType::Date,
                value: y.into(),
            });
        };
        let mut a = doc("a", "Floods swamped villages", &[("Floods", "e1")]);
        let mut b = doc("b", "Floods hit villages again", &[("Floods", "e1")]);
        let c = doc("c", "Rains reached towns", &[("Rains", "e2")]);
        let f = |x: &Document, y: &Document| pair_features(0.5, &DocFacts::of(x), &DocFacts::of(y));
        assert_eq!(f(&a, &b), [0.5, 0.0, 1.0 / 3.0, 0.0]);
        assert_eq!(f(&a, &c), [0.5, 0.0, 0.0, 1.0]);
        year(&mut a, "2019");
        year(&mut b, "2023");
        assert_eq!(f(&a, &b), [0.5, 1.0, 1.0 / 3.0, 0.0]);
        year(&mut b, "2019-05");
        assert_eq!(f(&a, &b)[1], 0.0, "a year in common");
        // the bundled model: a year apart is less likely one story
        let m = &StoryModel::bundled().join;
        let same = m.probability(&[0.3, 0.0, 1.0 / 3.0, 0.0]);
        let apart = m.probability(&[0.3, 1.0, 1.0 / 3.0, 0.0]);
        let more_words = m.probability(&[0.5, 0.0, 1.0 / 3.0, 0.0]);
        assert!(
            apart < same && same < more_words,
            "{apart} {same} {more_words}"
        );
    }
}
