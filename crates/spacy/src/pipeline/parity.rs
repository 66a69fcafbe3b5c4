//! Parity measurement against goldens written by `scripts/spacy_golden.py`
//! (the real spaCy's output in the serde form of `model::Document`).
//!
//! Token-level figures are over the golden tokens: a golden token counts as
//! identical when a predicted token has the same byte span; its tag, POS,
//! lemma and label are compared on such matched tokens, and its head is
//! right when the predicted head token has the golden head's span. Entities
//! and sentences are scored as exact-match F1 over (start, end[, label])
//! byte spans.

use std::collections::BTreeSet;

use super::Analysis;

/// Accumulated parity counts over any number of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParityCounts {
    /// Documents compared.
    pub docs: usize,
    /// Golden tokens.
    pub gold_tokens: usize,
    /// Predicted tokens.
    pub pred_tokens: usize,
    /// Golden tokens with an identical predicted span.
    pub tokens_same: usize,
    /// Matched tokens with the same tag.
    pub tags_same: usize,
    /// Matched tokens with the same POS.
    pub pos_same: usize,
    /// Matched tokens with the same lemma.
    pub lemmas_same: usize,
    /// Matched tokens with the same head.
    pub heads_same: usize,
    /// Matched tokens with the same dependency label.
    pub deps_same: usize,
    /// Golden entities.
    pub gold_ents: usize,
    /// Predicted entities.
    pub pred_ents: usize,
    /// Entities identical in span and label.
    pub ents_same: usize,
    /// Golden sentences.
    pub gold_sents: usize,
    /// Predicted sentences.
    pub pred_sents: usize,
    /// Sentences with identical spans.
    pub sents_same: usize,
    /// Documents whose analyses are identical in every respect.
    pub docs_identical: usize,
}

fn span(v: &serde_json::Value) -> Option<(usize, usize)> {
    let s = v.get("span")?;
    Some((
        s.get("start")?.as_u64()? as usize,
        s.get("end")?.as_u64()? as usize,
    ))
}

fn str_field<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(|x| x.as_str()).unwrap_or("")
}

/// The text of a golden document.
pub fn golden_text(doc: &serde_json::Value) -> Option<&str> {
    doc.get("text")?.as_str()
}

/// Percentage helper (100 when the denominator is 0).
pub fn pct(num: usize, den: usize) -> f64 {
    if den == 0 {
        100.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

/// F1 in percent from matches, gold and predicted counts.
pub fn f1(same: usize, gold: usize, pred: usize) -> f64 {
    if gold + pred == 0 {
        100.0
    } else {
        200.0 * same as f64 / (gold + pred) as f64
    }
}

impl ParityCounts {
    /// Adds one document: `gold` is the golden JSON document, `pred` our
    /// analysis of its text.
    pub fn add(&mut self, gold: &serde_json::Value, pred: &Analysis) {
        let empty = Vec::new();
        let layers = &gold["layers"];
        let g_tokens = layers["tokens"].as_array().unwrap_or(&empty);
        let g_ents = layers["entities"].as_array().unwrap_or(&empty);
        let g_sents = layers["sentences"].as_array().unwrap_or(&empty);
        self.docs += 1;
        self.gold_tokens += g_tokens.len();
        self.pred_tokens += pred.tokens.len();
        let before = self.clone();
        let g_spans: Vec<Option<(usize, usize)>> = g_tokens.iter().map(span).collect();
        let by_span: std::collections::BTreeMap<(usize, usize), usize> = pred
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| ((t.start, t.end), i))
            .collect();
        for (gi, g) in g_tokens.iter().enumerate() {
            let Some(&pi) = g_spans[gi].as_ref().and_then(|s| by_span.get(s)) else {
                continue;
            };
            let p = &pred.tokens[pi];
            self.tokens_same += 1;
            self.tags_same += usize::from(p.tag == str_field(g, "tag"));
            self.pos_same += usize::from(p.pos == str_field(g, "pos"));
            self.lemmas_same += usize::from(p.lemma == str_field(g, "lemma"));
            self.deps_same += usize::from(p.dep == str_field(g, "dep"));
            let g_head = g
                .get("head")
                .and_then(|h| h.as_u64())
                .and_then(|h| g_spans.get(h as usize).copied().flatten());
            let p_head = pred.tokens.get(p.head).map(|t| (t.start, t.end));
            self.heads_same += usize::from(g_head.is_some() && g_head == p_head);
        }
        let g_ent_set: BTreeSet<(usize, usize, String)> = g_ents
            .iter()
            .filter_map(|e| span(e).map(|(s, t)| (s, t, str_field(e, "label").to_string())))
            .collect();
        let p_ent_set: BTreeSet<(usize, usize, String)> = pred.entities.iter().cloned().collect();
        self.gold_ents += g_ent_set.len();
        self.pred_ents += p_ent_set.len();
        self.ents_same += g_ent_set.intersection(&p_ent_set).count();
        let g_sent_set: BTreeSet<(usize, usize)> = g_sents.iter().filter_map(span).collect();
        let p_sent_set: BTreeSet<(usize, usize)> = pred.sentences.iter().copied().collect();
        self.gold_sents += g_sent_set.len();
        self.pred_sents += p_sent_set.len();
        self.sents_same += g_sent_set.intersection(&p_sent_set).count();
        let n = g_tokens.len();
        let identical = pred.tokens.len() == n
            && self.tokens_same - before.tokens_same == n
            && self.tags_same - before.tags_same == n
            && self.pos_same - before.pos_same == n
            && self.lemmas_same - before.lemmas_same == n
            && self.heads_same - before.heads_same == n
            && self.deps_same - before.deps_same == n
            && g_ent_set == p_ent_set
            && g_sent_set == p_sent_set;
        self.docs_identical += usize::from(identical);
    }

    /// Token boundaries identical, % of golden tokens.
    pub fn tokens_pct(&self) -> f64 {
        pct(self.tokens_same, self.gold_tokens.max(self.pred_tokens))
    }

    /// A printable table of the figures.
    pub fn table(&self) -> String {
        let rows = [
            ("documents", format!("{}", self.docs)),
            ("documents identical", format!("{}", self.docs_identical)),
            ("golden tokens", format!("{}", self.gold_tokens)),
            ("predicted tokens", format!("{}", self.pred_tokens)),
            (
                "token boundaries identical %",
                format!("{:.3}", self.tokens_pct()),
            ),
            (
                "tags identical %",
                format!("{:.3}", pct(self.tags_same, self.gold_tokens)),
            ),
            (
                "POS identical %",
                format!("{:.3}", pct(self.pos_same, self.gold_tokens)),
            ),
            (
                "lemmas identical %",
                format!("{:.3}", pct(self.lemmas_same, self.gold_tokens)),
            ),
            (
                "heads identical %",
                format!("{:.3}", pct(self.heads_same, self.gold_tokens)),
            ),
            (
                "deps identical %",
                format!("{:.3}", pct(self.deps_same, self.gold_tokens)),
            ),
            (
                "entities (span+label) exact F1 %",
                format!(
                    "{:.3}  ({} same / {} golden / {} predicted)",
                    f1(self.ents_same, self.gold_ents, self.pred_ents),
                    self.ents_same,
                    self.gold_ents,
                    self.pred_ents
                ),
            ),
            (
                "sentence spans exact F1 %",
                format!(
                    "{:.3}  ({} same / {} golden / {} predicted)",
                    f1(self.sents_same, self.gold_sents, self.pred_sents),
                    self.sents_same,
                    self.gold_sents,
                    self.pred_sents
                ),
            ),
        ];
        let mut out = String::new();
        for (k, v) in rows {
            out.push_str(&format!("| {k:<34} | {v:<40} |\n"));
        }
        out
    }
}
