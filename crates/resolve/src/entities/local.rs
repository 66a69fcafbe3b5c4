//! "Which mentions of this document are one entity?": the within-document
//! linker. Adds the rule mentions (acronyms of "Name (ACR)" definitions,
//! role phrases), geocodes place names and demonyms, groups mentions by
//! key into local clusters, and joins short forms and acronyms to the
//! names they stand for.

use super::mentions::{insert_mentions, remove_mentions, rule_mention};
use super::names::{self, initials, is_acronym, is_contiguous_part, name_keys, tokens_equiv};
use super::rules::role_fits;
use super::{EntityLinker, Local, Men, Role, clean_surface, entity_type, kind_class};
use crate::geo::{GeoContext, Place, PlaceKind};
use model::{ByteSpan, Document, EntityMention, MentionOrigin, label};
use std::collections::{BTreeMap, BTreeSet};

impl EntityLinker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn link_document(
        &self,
        d: usize,
        doc: &mut Document,
        mens: &mut Vec<Men>,
        locals: &mut Vec<Local>,
        acronyms: &mut BTreeMap<String, BTreeSet<Vec<String>>>,
        places: &mut Vec<Place>,
    ) {
        let g = self.gazetteer;
        // 1. acronym definitions "Name (ACR)" and rule mentions for the acronym
        let defs = self.acronym_definitions(doc);
        let mut rule: Vec<EntityMention> = Vec::new();
        // overlap tests in O(log n) (long documents): model mentions by the
        // running maximum of their ends, rule mentions (never overlapping
        // one another) by start
        let mut ents: Vec<ByteSpan> = doc.layers.entities.iter().map(|m| m.span).collect();
        ents.sort_unstable();
        let max_end: Vec<u32> = ents
            .iter()
            .scan(0, |e, s| {
                *e = s.end.max(*e);
                Some(*e)
            })
            .collect();
        let hits_model = |span: ByteSpan| {
            let hi = ents.partition_point(|s| s.start < span.end);
            hi > 0 && max_end[hi - 1] > span.start
        };
        let mut taken: BTreeMap<u32, u32> = BTreeMap::new();
        let hits_rule = |taken: &BTreeMap<u32, u32>, span: ByteSpan| {
            taken
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, &e)| e > span.start)
        };
        for (acr, (_, lbl)) in &defs {
            for span in find_word(&doc.text, acr) {
                if !hits_model(span) && !hits_rule(&taken, span) {
                    taken.insert(span.start, span.end);
                    rule.push(rule_mention(span, lbl));
                }
            }
        }
        // 2. role mentions (need the parse); computed on the layer before insertion
        let (person_roles, role_mentions) = self.roles_in(doc);
        for (span, _) in &role_mentions {
            if !hits_rule(&taken, *span) {
                taken.insert(span.start, span.end);
                rule.push(rule_mention(*span, label::PERSON));
            }
        }
        if !rule.is_empty() {
            insert_mentions(doc, rule);
        }

        // 3. usable mentions
        let first_men = mens.len();
        for (idx, m) in doc.layers.entities.iter().enumerate() {
            let Some(kind) = entity_type(&m.label) else {
                continue;
            };
            let raw = doc.span_text(m.span);
            let text = clean_surface(raw);
            let keys = name_keys(&text);
            if keys.is_empty() {
                continue;
            }
            mens.push(Men {
                doc: d,
                idx,
                span: m.span,
                text,
                kind,
                keys,
                origin: m.origin,
                place: None,
            });
        }
        let doc_mens: Vec<usize> = (first_men..mens.len()).collect();

        // 4. geocoding, two passes: context from unambiguous places, then resolve
        let place_like = |m: &Men| match m.kind {
            "GPE" | "LOC" => true,
            // "Aleppo" labelled NORP: a place's own name that is no demonym
            "NORP" => {
                g.demonym_place(&m.text).is_none()
                    && g.candidates(&m.text).first().is_some_and(|(p, primary)| {
                        *primary && (p.kind != PlaceKind::City || p.population >= 100_000)
                    })
            }
            // a model label error on a bare country name
            _ => {
                m.origin != MentionOrigin::Rule
                    && g.candidates(&m.text)
                        .first()
                        .is_some_and(|(p, primary)| *primary && p.kind == PlaceKind::Country)
            }
        };
        // context evidence: (folded surface, place) of demonyms, countries and unambiguous places
        let mut evidence: Vec<(String, Place)> = Vec::new();
        for &i in &doc_mens {
            let m = &mens[i];
            if m.kind == "NORP" && !place_like(m) {
                if let Some(iso) = g.demonym_country(&m.text)
                    && let Some(p) = g.country(iso)
                {
                    evidence.push((names::fold(&m.text), p.clone()));
                }
            } else if place_like(m)
                && let Some((p, margin)) = g.resolve(&m.text, &GeoContext::default())
                && (p.kind == PlaceKind::Country || margin >= 2.0)
            {
                evidence.push((names::fold(&m.text), p.clone()));
            }
        }
        // a mention's own name is no evidence for itself ("Singapore" the city-state);
        // built once per distinct name, not once per mention (linear in long documents)
        let mut ctx_cache: BTreeMap<String, std::rc::Rc<GeoContext>> = BTreeMap::new();
        let mut ctx_without = |text: &str| {
            let key = names::fold(text);
            let ctx = ctx_cache.entry(key).or_insert_with_key(|key| {
                let mut ctx = GeoContext::default();
                for (k, p) in &evidence {
                    if k != key {
                        ctx.add_place(p);
                    }
                }
                std::rc::Rc::new(ctx)
            });
            std::rc::Rc::clone(ctx)
        };
        for (k, &i) in doc_mens.iter().enumerate() {
            let m = &mens[i];
            let found: Option<Place> = if m.kind == "NORP" && g.demonym_place(&m.text).is_some() {
                g.demonym_place(&m.text).cloned()
            } else if place_like(m) {
                // "City, Container" patterns
                let prev = k.checked_sub(1).map(|j| &mens[doc_mens[j]]);
                let next = doc_mens.get(k + 1).map(|&j| &mens[j]);
                let contained: Vec<Place> = next
                    .filter(|n| between(&doc.text, m.span, n.span) == ", ")
                    .map(|n| g.lookup(&n.text))
                    .unwrap_or_default();
                let container: Vec<Place> = prev
                    .filter(|p| between(&doc.text, p.span, m.span) == ", ")
                    .map(|p| g.lookup(&p.text))
                    .unwrap_or_default();
                let bonus = |p: &Place| {
                    let inside = contained.iter().any(|c| contains(c, p));
                    let holds = container.iter().any(|c| contains(p, c));
                    if inside || holds { 5.0 } else { 0.0 }
                };
                g.resolve_with(&m.text, &ctx_without(&m.text), &bonus)
                    .map(|(p, _)| p.clone())
            } else {
                None
            };
            if let Some(p) = found {
                let pi = match places.iter().position(|q| q.geonames_id == p.geonames_id) {
                    Some(pi) => pi,
                    None => {
                        places.push(p);
                        places.len() - 1
                    }
                };
                mens[i].place = Some(pi);
            }
        }

        // 5. local clusters by key
        let first_local = locals.len();
        let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
        let mut role_by_span: BTreeMap<ByteSpan, &Role> = BTreeMap::new();
        for (s, r) in &role_mentions {
            role_by_span.entry(*s).or_insert(r);
        }
        let role_men: BTreeMap<usize, Role> = doc_mens
            .iter()
            .filter_map(|&i| {
                let m = &mens[i];
                (m.origin == MentionOrigin::Rule)
                    .then(|| role_by_span.get(&m.span))
                    .flatten()
                    .map(|r| (i, (*r).clone()))
            })
            .collect();
        for &i in &doc_mens {
            if role_men.contains_key(&i) {
                continue;
            }
            let m = &mens[i];
            let (key, kind, place) = match m.place {
                Some(p) => (
                    format!("geo:{}", places[p].geonames_id),
                    "GPE",
                    Some(places[p].geonames_id),
                ),
                None => (
                    format!("{}:{}", kind_class(m.kind), m.keys.join(" ")),
                    m.kind,
                    None,
                ),
            };
            let l = *by_key.entry(key).or_insert_with(|| {
                locals.push(Local {
                    doc: d,
                    kind,
                    keys: m.keys.clone(),
                    place,
                    mentions: Vec::new(),
                    roles: BTreeSet::new(),
                });
                locals.len() - 1
            });
            locals[l].mentions.push(i);
            if m.keys.len() > locals[l].keys.len() {
                locals[l].keys = m.keys.clone();
            }
        }
        let doc_locals: Vec<usize> = (first_local..locals.len()).collect();
        let mut alias: BTreeMap<usize, usize> = BTreeMap::new(); // local -> local it joins

        // 6. person short forms (and single-token mislabels of a person's name)
        let persons: Vec<usize> = doc_locals
            .iter()
            .copied()
            .filter(|&l| locals[l].kind == "PERSON")
            .collect();
        for &l in &doc_locals {
            let lo = &locals[l];
            let mislabel = lo.kind != "PERSON"
                && lo.place.is_none()
                && lo.keys.len() == 1
                && lo.kind != "NORP";
            if lo.kind != "PERSON" && !mislabel {
                continue;
            }
            let cands: Vec<usize> = persons
                .iter()
                .copied()
                .filter(|&p| {
                    p != l
                        && locals[p].keys.len() > lo.keys.len()
                        && is_contiguous_part(&lo.keys, &locals[p].keys)
                        && (!mislabel
                            || tokens_equiv(&lo.keys[0], locals[p].keys.last().expect("non-empty")))
                })
                .collect();
            // most mentions, then earliest
            if let Some(&best) = cands
                .iter()
                .max_by_key(|&&p| (locals[p].mentions.len(), std::cmp::Reverse(p)))
            {
                alias.insert(l, best);
            }
        }

        // 7. acronyms: "Name (ACR)" definitions and initials of a multi-word name in the document
        for (acr, (exp_keys, _)) in &defs {
            acronyms
                .entry(acr.clone())
                .or_default()
                .insert(exp_keys.clone());
        }
        for &l in &doc_locals {
            let lo = &locals[l];
            if lo.keys.len() != 1 || lo.place.is_some() {
                continue;
            }
            let surface = &mens[lo.mentions[0]].text;
            if !is_acronym(surface) {
                continue;
            }
            let acr: String = surface.chars().filter(|c| *c != '.').collect();
            let defined = defs.get(&acr).map(|(k, _)| k.clone());
            let target = doc_locals.iter().copied().find(|&o| {
                o != l
                    && locals[o].keys.len() >= 2
                    && match &defined {
                        Some(k) => &locals[o].keys == k,
                        None => {
                            matches!(
                                locals[o].kind,
                                "ORG" | "FAC" | "GPE" | "LOC" | "NORP" | "OTHER" | "EVENT"
                            ) && initials(&mens[locals[o].mentions[0]].text) == acr
                        }
                    }
            });
            if let Some(t) = target {
                alias.insert(l, t);
                if defined.is_none() {
                    let k = locals[t].keys.clone();
                    acronyms.entry(acr).or_default().insert(k);
                }
            }
        }

        // fold aliases into their targets (follow chains)
        for (&from, _) in alias.clone().iter() {
            let mut to = alias[&from];
            let mut guard = 0;
            while let Some(&n) = alias.get(&to) {
                if n == from || guard > 8 {
                    break;
                }
                to = n;
                guard += 1;
            }
            let ms = std::mem::take(&mut locals[from].mentions);
            let kind = locals[to].kind;
            for &m in &ms {
                mens[m].kind = kind;
            }
            locals[to].mentions.extend(ms);
        }

        // 8. roles of the people, and the role mentions' holders
        for (span, role) in person_roles {
            if let Some(l) = doc_locals
                .iter()
                .copied()
                .find(|&l| locals[l].mentions.iter().any(|&m| mens[m].span == span))
            {
                locals[l].roles.insert(role);
            } else if let Some(l) = doc_locals.iter().copied().find(|&l| {
                locals[l]
                    .mentions
                    .iter()
                    .any(|&m| mens[m].span.overlaps(span))
            }) {
                locals[l].roles.insert(role);
            }
        }
        for (&i, role) in &role_men {
            let holders: Vec<usize> = doc_locals
                .iter()
                .copied()
                .filter(|&l| locals[l].kind == "PERSON" && !locals[l].mentions.is_empty())
                .filter(|&l| role_fits(role, &locals[l].roles, false))
                .collect();
            let exact: Vec<usize> = holders
                .iter()
                .copied()
                .filter(|&l| role_fits(role, &locals[l].roles, true))
                .collect();
            let pick = if exact.len() == 1 {
                Some(exact[0])
            } else if exact.is_empty() && holders.len() == 1 {
                Some(holders[0])
            } else {
                None
            };
            match pick {
                Some(h) => locals[h].mentions.push(i),
                // an unresolved role phrase is not an entity: its rule mention is removed again
                None => mens[i].keys.clear(),
            }
        }
        // drop emptied locals' leftovers by leaving them empty (skipped below)
        for &l in &doc_locals {
            locals[l].mentions.retain(|&m| !mens[m].keys.is_empty());
            locals[l].mentions.sort_unstable();
            locals[l].mentions.dedup();
        }
        // unresolved role mentions are removed from the document again
        let dead: BTreeSet<usize> = doc_mens
            .iter()
            .copied()
            .filter(|&m| mens[m].keys.is_empty())
            .map(|m| mens[m].idx)
            .collect();
        if !dead.is_empty() {
            let remap = remove_mentions(doc, &dead);
            for &m in &doc_mens {
                if let Some(n) = remap[mens[m].idx] {
                    mens[m].idx = n;
                }
            }
        }
    }
}

fn between(text: &str, a: ByteSpan, b: ByteSpan) -> &str {
    if a.end <= b.start {
        &text[a.end as usize..b.start as usize]
    } else {
        ""
    }
}

/// True when `outer` (a country or state) contains `inner`.
fn contains(outer: &Place, inner: &Place) -> bool {
    if outer.geonames_id == inner.geonames_id || outer.country != inner.country {
        return false;
    }
    match outer.kind {
        PlaceKind::Country => inner.kind != PlaceKind::Country,
        PlaceKind::Admin1 => inner.kind == PlaceKind::City && inner.admin1 == outer.admin1,
        _ => false,
    }
}

/// Whole-word occurrences of `word` in `text`.
fn find_word(text: &str, word: &str) -> Vec<ByteSpan> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(word) {
        let j = i + word.len();
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after_ok = j == bytes.len() || !bytes[j].is_ascii_alphanumeric();
        if before_ok && after_ok {
            out.push(ByteSpan::new(i, j));
        }
    }
    out
}
