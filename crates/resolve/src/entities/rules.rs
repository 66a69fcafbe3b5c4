//! "Which phrases name an entity by rule?": acronym definitions ("Name
//! (ACR)") and role phrases in the parse ("Iran's top diplomat", "Foreign
//! Minister Abbas Araqchi"), read against the role table (`data/roles.tsv`)
//! and the gazetteer's countries and demonyms.

use super::names::{initials, is_acronym, name_keys};
use super::{EntityLinker, Role, clean_surface, entity_type};
use crate::geo::{GeoContext, PlaceKind};
use model::{ByteSpan, Document, EntityMention, Token, label};
use std::collections::{BTreeMap, BTreeSet};

impl EntityLinker {
    /// "Name (ACR)" definitions in a document: acronym → (name keys, label of the name).
    pub(super) fn acronym_definitions(
        &self,
        doc: &Document,
    ) -> BTreeMap<String, (Vec<String>, String)> {
        let mut out = BTreeMap::new();
        for m in &doc.layers.entities {
            if entity_type(&m.label).is_none() {
                continue;
            }
            let rest = &doc.text[m.span.end as usize..];
            let Some(inner) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix("(")) else {
                continue;
            };
            let Some(close) = inner.find(')') else {
                continue;
            };
            let acr: String = inner[..close].chars().filter(|c| *c != '.').collect();
            let name = clean_surface(doc.span_text(m.span));
            if !is_acronym(&acr) || name_keys(&name).len() < 2 {
                continue;
            }
            // the acronym starts with the name's first initial
            if !initials(&name).starts_with(acr.chars().next().unwrap_or(' ')) {
                continue;
            }
            out.entry(acr)
                .or_insert((name_keys(&name), m.label.clone()));
        }
        out
    }

    /// Canonical role named by the words (longest matching suffix).
    fn canonical_role(&self, words: &[String]) -> Option<String> {
        (0..words.len()).find_map(|i| self.roles.get(&words[i..]).cloned())
    }

    /// Roles attached to person mentions (by the mention span), and unnamed role
    /// phrases (span, role) that may be linked to a holder.
    pub(super) fn roles_in(&self, doc: &Document) -> (SpanRoles, SpanRoles) {
        let toks = &doc.layers.tokens;
        let mut person_roles = Vec::new();
        let mut role_mentions = Vec::new();
        if toks.is_empty() {
            return (person_roles, role_mentions);
        }
        let ents = &doc.layers.entities;
        let tok_at = |off: u32| toks.partition_point(|t| t.span.end <= off);
        // token -> first mention containing it, built once (linear, not a scan per token)
        let mut ent_at: Vec<Option<usize>> = vec![None; toks.len()];
        for (i, m) in ents.iter().enumerate() {
            for t in tok_at(m.span.start)..toks.len() {
                if toks[t].span.start >= m.span.end {
                    break;
                }
                if ent_at[t].is_none() && m.span.contains(toks[t].span) {
                    ent_at[t] = Some(i);
                }
            }
        }
        let ent_of_tok = |t: usize| ent_at[t].map(|i| &ents[i]);
        let ent_spans: BTreeSet<ByteSpan> = ents.iter().map(|e| e.span).collect();
        // does a person mention overlap a span: O(log n) by the running maximum of ends
        let mut persons: Vec<ByteSpan> = ents
            .iter()
            .filter(|e| e.label == label::PERSON)
            .map(|e| e.span)
            .collect();
        persons.sort_unstable();
        let person_max_end: Vec<u32> = persons
            .iter()
            .scan(0, |e, s| {
                *e = s.end.max(*e);
                Some(*e)
            })
            .collect();
        let person_hits = |span: ByteSpan| {
            let hi = persons.partition_point(|s| s.start < span.end);
            hi > 0 && person_max_end[hi - 1] > span.start
        };
        let sent_of = |t: usize| doc.sentence_at(toks[t].span.start);
        for m in ents.iter().filter(|m| m.label == label::PERSON) {
            let first = tok_at(m.span.start);
            let last = tok_at(m.span.end.saturating_sub(1));
            if first >= toks.len() || last >= toks.len() {
                continue;
            }
            // left modifiers: "Iran's top diplomat | Abbas Araghchi"
            let chain = self.left_chain(doc, first, last, &sent_of);
            if let Some((role, span)) = self.role_of(doc, &chain, None) {
                person_roles.push((m.span, role.clone()));
                let has_country = role.1.is_some();
                if (has_country || role.0.contains(' ')) && !ent_spans.contains(&span) {
                    role_mentions.push((span, role));
                }
            }
            // apposition: "Abbas Araghchi, Iran's foreign minister,"
            let root = (first..=last)
                .find(|&t| (toks[t].head as usize) < first || (toks[t].head as usize) > last)
                .unwrap_or(last);
            // the name is itself an apposition: "Iran's top diplomat | Abbas Araghchi"
            let h = toks[root].head as usize;
            if toks[root].dep == "appos" && h < first && ent_of_tok(h).is_none() {
                let mut all = self.left_chain(doc, h, h, &sent_of);
                all.push(h);
                if let Some((role, span)) = self.role_of(doc, &all, Some(h)) {
                    person_roles.push((m.span, role.clone()));
                    if (role.1.is_some() || role.0.contains(' ')) && !ent_spans.contains(&span) {
                        role_mentions.push((span, role));
                    }
                }
            }
            // dependents of the root lie in its sentence: no scan to the end of the document
            let root_sent = sent_of(root);
            for a in (last + 1..toks.len())
                .take_while(|&a| sent_of(a) == root_sent)
                .filter(|&a| toks[a].head as usize == root && toks[a].dep == "appos")
            {
                if ent_of_tok(a).is_some_and(|e| e.label == label::PERSON) {
                    continue;
                }
                let chain = self.left_chain(doc, a, a, &sent_of);
                let mut all = chain.clone();
                all.push(a);
                if let Some((role, _)) = self.role_of(doc, &all, Some(a)) {
                    person_roles.push((m.span, role));
                }
            }
        }
        // unnamed role phrases
        for (t, tok) in toks.iter().enumerate() {
            let w = doc.span_text(tok.span).to_lowercase();
            if !self.role_heads.contains(&w) || !matches!(tok.tag.as_str(), "NN" | "NNP") {
                continue;
            }
            if ent_of_tok(t).is_some() {
                continue;
            }
            let head = tok.head as usize;
            if head != t && ent_of_tok(head).is_some_and(|e| e.label == label::PERSON) {
                continue; // "Foreign Minister | Abbas Araqchi": the named case, handled above
            }
            if t + 1 < toks.len() && ent_of_tok(t + 1).is_some_and(|e| e.label == label::PERSON) {
                continue;
            }
            let mut chain = self.left_chain(doc, t, t, &sent_of);
            chain.push(t);
            if let Some((role, span)) = self.role_of(doc, &chain, Some(t))
                && !person_hits(span)
            {
                role_mentions.push((span, role));
            }
        }
        (person_roles, role_mentions)
    }

    /// Tokens left of `first` (in order) that modify the phrase ending at `last`:
    /// compounds, adjectives, possessives and their case markers, determiners.
    fn left_chain(
        &self,
        doc: &Document,
        first: usize,
        last: usize,
        sent_of: &dyn Fn(usize) -> Option<usize>,
    ) -> Vec<usize> {
        let toks = &doc.layers.tokens;
        let mut k = first;
        while k > 0 {
            let t = k - 1;
            if sent_of(t) != sent_of(first) {
                break;
            }
            let tok = &toks[t];
            // possessive marker: "Iran 's" attaches through its possessor
            if tok.dep == "case" && t > 0 && tok.head as usize == t - 1 {
                let p = t - 1;
                let ph = toks[p].head as usize;
                if ph > t && ph <= last && toks[p].dep == "poss" && sent_of(p) == sent_of(first) {
                    k = p;
                    continue;
                }
                break;
            }
            let h = tok.head as usize;
            let attached = h > t && h <= last;
            if !attached
                || !matches!(
                    tok.dep.as_str(),
                    "compound" | "amod" | "poss" | "case" | "det" | "nmod" | "npadvmod"
                )
            {
                break;
            }
            k = t;
        }
        (k..first).collect()
    }

    /// The role a phrase names (its tokens in order, `head` the role noun when
    /// the phrase stands alone) and the phrase's span without a leading determiner.
    fn role_of(
        &self,
        doc: &Document,
        chain: &[usize],
        head: Option<usize>,
    ) -> Option<(Role, ByteSpan)> {
        let toks = &doc.layers.tokens;
        let g = self.gazetteer;
        let mut country: Option<String> = None;
        let mut words: Vec<String> = Vec::new();
        let mut start: Option<u32> = None;
        for &t in chain {
            let tok: &Token = &toks[t];
            let w = doc.span_text(tok.span);
            if tok.dep == "det" || tok.tag == "POS" || w == "'s" || w == "’s" {
                if start.is_some() && tok.dep != "det" {
                    continue;
                }
                if tok.dep == "det" {
                    continue;
                }
            }
            if start.is_none() {
                start = Some(tok.span.start);
            }
            if let Some(iso) = g.demonym_country(w) {
                country = Some(iso.to_string());
                continue;
            }
            let in_place = containing(&doc.layers.entities, tok.span, |e| {
                matches!(e.label.as_str(), "GPE" | "NORP")
            });
            if let Some(e) = in_place {
                let name = clean_surface(doc.span_text(e.span));
                if let Some((p, _)) = g.resolve(&name, &GeoContext::default())
                    && p.kind == PlaceKind::Country
                {
                    country = Some(p.country.clone());
                    continue;
                }
                if let Some(iso) = g.demonym_country(&name) {
                    country = Some(iso.to_string());
                    continue;
                }
            }
            words.push(w.to_lowercase());
        }
        let end = match head {
            Some(h) => toks[h].span.end,
            None => toks[*chain.last()?].span.end,
        };
        // "foreign minister of Iran"
        if let Some(h) = head {
            for (c, ct) in toks.iter().enumerate().skip(h + 1).take(4) {
                if ct.head as usize == h
                    && ct.dep == "prep"
                    && doc.span_text(ct.span) == "of"
                    && let Some(obj) = toks
                        .iter()
                        .enumerate()
                        .skip(c + 1)
                        .take(4)
                        .find(|(_, o)| o.head as usize == c && o.dep == "pobj")
                    && let Some(e) =
                        containing(&doc.layers.entities, obj.1.span, |e| e.label == label::GPE)
                    && let Some((p, _)) = g.resolve(
                        &clean_surface(doc.span_text(e.span)),
                        &GeoContext::default(),
                    )
                    && p.kind == PlaceKind::Country
                {
                    country = Some(p.country.clone());
                }
            }
        }
        let start = start?;
        let role = self.canonical_role(&words)?;
        // every word must belong to the role phrase or be a country word: "top diplomat", not "new top diplomat"
        let phrase_len = (0..words.len())
            .find(|&i| self.roles.contains_key(&words[i..]))
            .map(|i| words.len() - i)?;
        if phrase_len != words.len() {
            return None;
        }
        Some(((role, country), ByteSpan { start, end }))
    }
}

/// Roles found at spans.
pub(super) type SpanRoles = Vec<(ByteSpan, Role)>;

/// True when a role phrase fits a person's known roles (same role; same country
/// when both state one, or, with `exact`, the country is stated on both sides or neither).
pub(super) fn role_fits(role: &Role, have: &BTreeSet<Role>, exact: bool) -> bool {
    have.iter().any(|(r, c)| {
        r == &role.0
            && match (&role.1, c) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                _ => !exact,
            }
    })
}

/// The first mention (in layer order, which is text order) containing `span`
/// that `pred` accepts; mentions starting more than 512 bytes before `span`
/// are not tried, so a lookup costs O(log n), not a scan of the document.
fn containing(
    ents: &[EntityMention],
    span: ByteSpan,
    pred: impl Fn(&EntityMention) -> bool,
) -> Option<&EntityMention> {
    let hi = ents.partition_point(|e| e.span.start <= span.start);
    let lo = ents[..hi].partition_point(|e| e.span.start.saturating_add(512) < span.start);
    ents[lo..hi]
        .iter()
        .find(|e| e.span.contains(span) && pred(e))
}
