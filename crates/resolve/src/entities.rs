//! Entities: "these mentions, across all documents: which real-world entity is each?"
//!
//! [`EntityLinker::link`] works in two steps.
//!
//! **Within a document** mentions with the same folded name form one local
//! cluster; a person's short forms join the full name that contains them
//! (Assad → Bashar al-Assad, bin Zayed → Mohammed bin Zayed al-Nahyan); an
//! acronym joins the organization it abbreviates, from a "Name (ACR)" pattern
//! or from the initials of a name in the document; place names are geocoded
//! (see [`crate::geo`]) and a demonym ("Iranian") joins its country. Role
//! phrases found in the parse ("Iran's top diplomat", "the Iranian Foreign
//! Minister") are added as rule mentions of the person the document names
//! with that role ("Foreign Minister Abbas Araqchi").
//!
//! **Across documents** clusters merge by GeoNames id for places, by a
//! transliteration-aware name key for people and organizations
//! (Araghchi / Araqchi, Esmaeil Baghaei / Ismail Baqaei, Mohammed / Muhammad):
//! two full names merge when their given and family names agree; a lone
//! family name joins the one full name it fits, using co-occurring entities
//! when several fit.
//!
//! Invariants: the result does not depend on the order of the documents
//! (they are processed sorted by id); entity ids are `e1`, `e2`, ... in order of
//! first mention (document id, then offset).

pub mod names;

use crate::geo::{Gazetteer, GeoContext, Place, PlaceKind};
use model::{ByteSpan, Document, Entity, EntityMention, MentionOrigin, Token, UnionFind, label};
use names::{
    initials, is_acronym, is_contiguous_part, name_keys, skeleton, strip_possessive, tokens_equiv,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const ROLES_TSV: &str = include_str!("../data/roles.tsv");

/// Labels that are quantities or times, not entities for the timeline.
const NUMERIC_LABELS: [&str; 7] = [
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
];

/// Maps a NER label to the contract's entity type, or `None` for numeric labels.
pub fn entity_type(label: &str) -> Option<&'static str> {
    if NUMERIC_LABELS.contains(&label) {
        return None;
    }
    Some(match label {
        label::PERSON => "PERSON",
        label::ORG => "ORG",
        label::GPE => "GPE",
        label::LOC => "LOC",
        label::NORP => "NORP",
        label::FAC => "FAC",
        label::EVENT => "EVENT",
        _ => "OTHER",
    })
}

/// Links entity mentions within and across documents.
pub struct EntityLinker {
    gazetteer: &'static Gazetteer,
    /// role phrase (folded words) → canonical role
    roles: BTreeMap<Vec<String>, String>,
    /// last words of role phrases
    role_heads: BTreeSet<String>,
}

impl Default for EntityLinker {
    fn default() -> Self {
        Self::new()
    }
}

/// A role: canonical name and the country it is held for, when stated.
type Role = (String, Option<String>);

/// One usable mention.
#[derive(Debug, Clone)]
struct Men {
    doc: usize,
    idx: usize,
    span: ByteSpan,
    text: String,
    kind: &'static str,
    keys: Vec<String>,
    origin: MentionOrigin,
    place: Option<usize>,
}

/// A within-document cluster.
#[derive(Debug, Clone)]
struct Local {
    doc: usize,
    kind: &'static str,
    keys: Vec<String>,
    place: Option<u64>,
    mentions: Vec<usize>,
    roles: BTreeSet<Role>,
}

impl EntityLinker {
    /// A linker over the embedded gazetteer and role table.
    pub fn new() -> Self {
        Self::with_gazetteer(Gazetteer::embedded())
    }

    /// A linker over the given gazetteer.
    pub fn with_gazetteer(gazetteer: &'static Gazetteer) -> Self {
        let mut roles = BTreeMap::new();
        let mut role_heads = BTreeSet::new();
        let rows = nlp::tsv::rows::<(String, String)>("roles.tsv", ROLES_TSV)
            .unwrap_or_else(|e| panic!("bundled {e}"));
        for (_, (phrase, canon)) in rows {
            let words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
            if let Some(last) = words.last() {
                role_heads.insert(last.clone());
            }
            roles.insert(words, canon);
        }
        Self {
            gazetteer,
            roles,
            role_heads,
        }
    }

    /// Links every entity mention of every document (within and across documents), adds rule mentions
    /// (titles, demonym links), sets `EntityMention::entity` to the entity id, and returns the entities sorted by id.
    pub fn link(&self, docs: &mut [Document]) -> Vec<Entity> {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by(|&a, &b| docs[a].id.cmp(&docs[b].id).then(a.cmp(&b)));

        // within-document work; rule mentions are inserted into the documents here
        let mut mens: Vec<Men> = Vec::new();
        let mut locals: Vec<Local> = Vec::new();
        let mut acronyms: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
        let mut places: Vec<Place> = Vec::new();
        for &d in &order {
            self.link_document(
                d,
                &mut docs[d],
                &mut mens,
                &mut locals,
                &mut acronyms,
                &mut places,
            );
        }

        // across documents
        let mut dsu = UnionFind::new(locals.len());
        self.merge_across(&locals, &mens, &acronyms, &docs[..], &mut dsu);

        // entities: roots ordered by first mention (doc order, offset)
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for l in 0..locals.len() {
            let r = dsu.find(l);
            groups.entry(r).or_default().push(l);
        }
        let mut rank: HashMap<usize, usize> = HashMap::new();
        for (pos, &d) in order.iter().enumerate() {
            rank.insert(d, pos);
        }
        let mut ents: Vec<(ByteSpanKey, Vec<usize>)> = groups
            .into_values()
            .filter(|ls| ls.iter().any(|&l| !locals[l].mentions.is_empty()))
            .map(|ls| {
                let mut ms: Vec<usize> = ls
                    .iter()
                    .flat_map(|&l| locals[l].mentions.clone())
                    .collect();
                ms.sort_by_key(|&m| (rank[&mens[m].doc], mens[m].span.start, mens[m].span.end));
                ms.dedup();
                let first = &mens[ms[0]];
                ((rank[&first.doc], first.span.start, first.span.end), ms)
            })
            .collect();
        ents.sort_by_key(|e| e.0);

        let mut out = Vec::with_capacity(ents.len());
        for (n, (_, ms)) in ents.into_iter().enumerate() {
            let id = format!("e{}", n + 1);
            out.push(self.make_entity(&id, &ms, &mens, &places));
            for &m in &ms {
                let mm = &mens[m];
                docs[mm.doc].layers.entities[mm.idx].entity = Some(id.clone());
            }
        }
        out
    }

    fn make_entity(&self, id: &str, ms: &[usize], mens: &[Men], places: &[Place]) -> Entity {
        // type: majority over model/gazetteer mentions; demonyms of a country do not vote
        let mut votes: BTreeMap<&str, u32> = BTreeMap::new();
        let mut forms: BTreeMap<&str, (u32, usize)> = BTreeMap::new();
        let mut geo_votes: BTreeMap<usize, u32> = BTreeMap::new();
        for &m in ms {
            let mm = &mens[m];
            if let Some(p) = mm.place {
                *geo_votes.entry(p).or_default() += 1;
            }
            let demonym = mm.kind == "NORP" && mm.place.is_some();
            if mm.origin != MentionOrigin::Rule && !demonym {
                *votes.entry(mm.kind).or_default() += 1;
                let e = forms.entry(mm.text.as_str()).or_insert((0, m));
                e.0 += 1;
            }
        }
        let aliases: BTreeSet<String> = ms.iter().map(|&m| mens[m].text.clone()).collect();
        let kind = if !geo_votes.is_empty() && votes.is_empty() {
            "GPE"
        } else {
            votes
                .iter()
                .max_by_key(|(k, v)| (**v, kind_priority(k)))
                .map(|(k, _)| *k)
                .unwrap_or("OTHER")
        };
        let kind = if !geo_votes.is_empty() && !matches!(kind, "LOC" | "FAC" | "GPE") {
            "GPE"
        } else if kind == "PERSON" && aliases.iter().any(|a| is_acronym(a)) {
            // people have no acronyms
            "ORG"
        } else {
            kind
        };
        let geo = geo_votes
            .iter()
            .max_by_key(|(p, v)| (**v, std::cmp::Reverse(**p)))
            .map(|(&p, _)| places[p].to_geo());
        let name = if forms.is_empty() {
            ms.iter()
                .map(|&m| mens[m].text.clone())
                .next()
                .unwrap_or_default()
        } else {
            let person_like = matches!(kind, "PERSON" | "ORG");
            let rank = |(text, (freq, m)): (&&str, &(u32, usize))| {
                let toks = mens[*m].keys.len() as u32;
                let key = if person_like {
                    (toks, *freq)
                } else {
                    (*freq, toks)
                };
                (key, std::cmp::Reverse(text.to_string()))
            };
            forms
                .iter()
                .max_by_key(|x| rank(*x))
                .map(|(t, _)| t.to_string())
                .unwrap_or_default()
        };
        Entity {
            id: id.to_string(),
            name,
            kind: kind.to_string(),
            aliases: aliases.into_iter().collect(),
            mentions: ms.len() as u32,
            geo,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn link_document(
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

    /// "Name (ACR)" definitions in a document: acronym → (name keys, label of the name).
    fn acronym_definitions(&self, doc: &Document) -> BTreeMap<String, (Vec<String>, String)> {
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
    fn roles_in(&self, doc: &Document) -> (SpanRoles, SpanRoles) {
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

    fn merge_across(
        &self,
        locals: &[Local],
        mens: &[Men],
        acronyms: &BTreeMap<String, BTreeSet<Vec<String>>>,
        docs: &[Document],
        dsu: &mut UnionFind,
    ) {
        let live: Vec<usize> = (0..locals.len())
            .filter(|&l| !locals[l].mentions.is_empty())
            .collect();
        // places by GeoNames id; other non-person kinds by exact key
        let mut first_by_key: BTreeMap<String, usize> = BTreeMap::new();
        for &l in &live {
            let lo = &locals[l];
            let key = match (lo.place, lo.kind) {
                (Some(id), _) => format!("geo:{id}"),
                (None, "PERSON") => continue,
                (None, k) => format!("{}:{}", kind_class(k), lo.keys.join(" ")),
            };
            match first_by_key.get(&key) {
                Some(&f) => {
                    dsu.union(f, l);
                }
                None => {
                    first_by_key.insert(key, l);
                }
            }
        }
        // acronyms defined anywhere join their expansion
        for &l in &live {
            let lo = &locals[l];
            if lo.keys.len() != 1 || lo.place.is_some() || lo.kind == "PERSON" {
                continue;
            }
            let surface: String = mens[lo.mentions[0]]
                .text
                .chars()
                .filter(|c| *c != '.')
                .collect();
            let Some(exps) = acronyms.get(&surface) else {
                continue;
            };
            if exps.len() != 1 {
                continue;
            }
            let exp = exps.iter().next().expect("one");
            if let Some(&t) = live
                .iter()
                .find(|&&o| &locals[o].keys == exp && locals[o].kind != "PERSON")
            {
                dsu.union(l, t);
            }
        }
        // people: full names grouped by the family name's consonant skeleton
        let persons: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&l| locals[l].kind == "PERSON")
            .collect();
        let mut by_family: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &l in &persons {
            let last = locals[l].keys.last().expect("non-empty keys");
            by_family.entry(skeleton(last)).or_default().push(l);
        }
        for family in by_family.values() {
            let multi: Vec<usize> = family
                .iter()
                .copied()
                .filter(|&l| locals[l].keys.len() >= 2)
                .collect();
            for (i, &a) in multi.iter().enumerate() {
                for &b in &multi[i + 1..] {
                    if full_names_compatible(&locals[a].keys, &locals[b].keys) {
                        dsu.union(a, b);
                    }
                }
            }
        }
        // lone family names: the one full name they fit, else by shared context
        let ctx_of = |dsu: &mut UnionFind, l: usize| -> BTreeSet<usize> {
            let d = locals[l].doc;
            live.iter()
                .copied()
                .filter(|&o| o != l && locals[o].doc == d)
                .map(|o| dsu.find(o))
                .collect()
        };
        let singles: Vec<usize> = persons
            .iter()
            .copied()
            .filter(|&l| locals[l].keys.len() == 1)
            .collect();
        let mut lone_by_key: BTreeMap<String, usize> = BTreeMap::new();
        for &s in &singles {
            let key = &locals[s].keys[0];
            let mut cands: BTreeSet<usize> = BTreeSet::new();
            if let Some(family) = by_family.get(&skeleton(key)) {
                for &o in family {
                    if locals[o].keys.len() >= 2
                        && tokens_equiv(key, locals[o].keys.last().expect("non-empty"))
                    {
                        cands.insert(dsu.find(o));
                    }
                }
            }
            let pick = if cands.len() == 1 {
                cands.iter().next().copied()
            } else if cands.len() > 1 {
                let mine = ctx_of(dsu, s);
                let mut scored: Vec<(usize, usize)> = cands
                    .iter()
                    .map(|&c| {
                        let members: Vec<usize> =
                            live.iter().copied().filter(|&o| dsu.find(o) == c).collect();
                        let theirs: BTreeSet<usize> =
                            members.into_iter().flat_map(|o| ctx_of(dsu, o)).collect();
                        (mine.intersection(&theirs).count(), c)
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                (scored[0].0 > 0 && (scored.len() == 1 || scored[0].0 > scored[1].0))
                    .then_some(scored[0].1)
            } else {
                None
            };
            match pick {
                Some(c) => {
                    dsu.union(s, c);
                }
                None => match lone_by_key.get(key) {
                    Some(&f) => {
                        dsu.union(f, s);
                    }
                    None => {
                        lone_by_key.insert(key.clone(), s);
                    }
                },
            }
        }
        let _ = docs;
    }
}

type ByteSpanKey = (usize, u32, u32);

/// Roles found at spans.
type SpanRoles = Vec<(ByteSpan, Role)>;

/// True when a role phrase fits a person's known roles (same role; same country
/// when both state one, or, with `exact`, the country is stated on both sides or neither).
fn role_fits(role: &Role, have: &BTreeSet<Role>, exact: bool) -> bool {
    have.iter().any(|(r, c)| {
        r == &role.0
            && match (&role.1, c) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                _ => !exact,
            }
    })
}

/// Two full names (≥ 2 tokens each) name the same person: the shorter is an ordered
/// subsequence of the longer and both agree on the first and the last token
/// ("Mohammed bin Zayed" / "Mohammed bin Zayed al-Nahyan" also merge: first tokens
/// agree and the shorter is a prefix).
pub fn full_names_compatible(a: &[String], b: &[String]) -> bool {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if s.len() < 2 || !tokens_equiv(&s[0], &l[0]) {
        return false;
    }
    let last_agrees = tokens_equiv(s.last().expect("len>=2"), l.last().expect("len>=2"));
    let prefix = s.len() >= 3 && s.iter().zip(l).all(|(x, y)| tokens_equiv(x, y));
    (last_agrees || prefix) && names::is_subsequence(s, l)
}

/// Priority among entity types when votes tie.
pub(crate) fn kind_priority(k: &str) -> u8 {
    match k {
        "PERSON" => 7,
        "GPE" => 6,
        "ORG" => 5,
        "LOC" => 4,
        "FAC" => 3,
        "NORP" => 2,
        "EVENT" => 1,
        _ => 0,
    }
}

/// Mentions of different labels that may still be one entity share a class.
pub(crate) fn kind_class(k: &str) -> &'static str {
    match k {
        "PERSON" => "per",
        "GPE" | "LOC" | "FAC" => "place",
        "NORP" => "norp",
        _ => "org",
    }
}

/// "the Foo's" → "Foo": possessive and a leading article dropped, whitespace normalized.
fn clean_surface(s: &str) -> String {
    let s = strip_possessive(s.trim()).trim_end_matches(['-', '–']);
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

fn rule_mention(span: ByteSpan, lbl: &str) -> EntityMention {
    EntityMention {
        span,
        label: lbl.to_string(),
        entity: None,
        origin: MentionOrigin::Rule,
    }
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

/// Inserts mentions into a document's entity layer in text order (start, then
/// longer first), skipping exact duplicates, and keeps event arguments pointing
/// at the same mentions; an argument without a mention that lies inside (or
/// around) a new mention now points at it.
pub fn insert_mentions(doc: &mut Document, new: Vec<EntityMention>) {
    let old = std::mem::take(&mut doc.layers.entities);
    let n_old = old.len();
    let mut all: Vec<(EntityMention, Option<usize>)> = old
        .into_iter()
        .enumerate()
        .map(|(i, m)| (m, Some(i)))
        .collect();
    let mut spans: BTreeSet<ByteSpan> = all.iter().map(|(m, _)| m.span).collect();
    for m in new {
        if spans.insert(m.span) {
            all.push((m, None));
        }
    }
    all.sort_by(|a, b| {
        a.0.span
            .start
            .cmp(&b.0.span.start)
            .then(b.0.span.end.cmp(&a.0.span.end))
            .then(a.1.unwrap_or(usize::MAX).cmp(&b.1.unwrap_or(usize::MAX)))
    });
    let mut remap = vec![0u32; n_old];
    for (new_i, (_, old_i)) in all.iter().enumerate() {
        if let Some(o) = old_i {
            remap[*o] = new_i as u32;
        }
    }
    let added: Vec<(u32, ByteSpan)> = all
        .iter()
        .enumerate()
        .filter(|(_, (_, o))| o.is_none())
        .map(|(i, (m, _))| (i as u32, m.span))
        .collect();
    doc.layers.entities = all.into_iter().map(|(m, _)| m).collect();
    // `added` is in text order: only mentions starting up to MAX_LOOKBACK bytes
    // before the argument are tried (linear in long documents)
    const MAX_LOOKBACK: u32 = 512;
    let fix = |a: &mut model::Argument| match a.mention {
        Some(i) => a.mention = remap.get(i as usize).copied(),
        None => {
            let lo = added.partition_point(|(_, s)| s.start + MAX_LOOKBACK < a.span.start);
            if let Some((i, _)) = added[lo..]
                .iter()
                .take_while(|(_, s)| s.start <= a.span.end)
                .find(|(_, s)| s.contains(a.span) || a.span.contains(*s))
            {
                a.mention = Some(*i);
            }
        }
    };
    for e in &mut doc.layers.events {
        e.actors.iter_mut().for_each(fix);
        e.recipients.iter_mut().for_each(fix);
        if let Some(p) = e.place.as_mut() {
            fix(p);
        }
    }
}

/// Removes the mentions at the given indices; returns the old → new index map and
/// keeps event arguments consistent (an argument pointing at a removed mention loses it).
fn remove_mentions(doc: &mut Document, dead: &BTreeSet<usize>) -> Vec<Option<usize>> {
    let old = std::mem::take(&mut doc.layers.entities);
    let mut remap = vec![None; old.len()];
    for (i, m) in old.into_iter().enumerate() {
        if !dead.contains(&i) {
            remap[i] = Some(doc.layers.entities.len());
            doc.layers.entities.push(m);
        }
    }
    let fix = |a: &mut model::Argument| {
        if let Some(i) = a.mention {
            a.mention = remap.get(i as usize).copied().flatten().map(|x| x as u32);
        }
    };
    for e in &mut doc.layers.events {
        e.actors.iter_mut().for_each(fix);
        e.recipients.iter_mut().for_each(fix);
        if let Some(p) = e.place.as_mut() {
            fix(p);
        }
    }
    remap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_labels_are_not_entities() {
        assert_eq!(entity_type("DATE"), None);
        assert_eq!(entity_type("WORK_OF_ART"), Some("OTHER"));
        assert_eq!(entity_type("GPE"), Some("GPE"));
    }

    #[test]
    fn insert_keeps_text_order_and_event_arguments() {
        let mut d = Document::new("d", "Iran's top diplomat met Assad.");
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(0, 4), "GPE"));
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(24, 29), "PERSON"));
        d.layers.events.push(model::EventMention {
            trigger: ByteSpan::new(20, 23),
            sentence: 0,
            kind: model::EventType::Consult,
            mode: None,
            status: model::EventStatus::Occurred,
            actors: vec![
                model::Argument {
                    span: ByteSpan::new(11, 19),
                    mention: None,
                },
                model::Argument {
                    span: ByteSpan::new(24, 29),
                    mention: Some(1),
                },
            ],
            recipients: vec![],
            place: None,
            timex: None,
            date: None,
            date_precision: model::DatePrecision::Unknown,
            quote: None,
        });
        insert_mentions(&mut d, vec![rule_mention(ByteSpan::new(0, 19), "PERSON")]);
        let texts: Vec<&str> = d
            .layers
            .entities
            .iter()
            .map(|m| d.span_text(m.span))
            .collect();
        assert_eq!(texts, ["Iran's top diplomat", "Iran", "Assad"]);
        assert_eq!(d.layers.events[0].actors[0].mention, Some(0));
        assert_eq!(d.layers.events[0].actors[1].mention, Some(2));
    }
}
