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
//!
//! The within-document linker is `local.rs`; the rule mentions it adds
//! (acronym definitions, role phrases) come from `rules.rs`; the merge
//! across documents is `across.rs`; edits of the entity layer are
//! `mentions.rs`; name keys and their comparisons are `names.rs`.

mod across;
mod local;
mod mentions;
pub mod names;
mod rules;

pub use across::full_names_compatible;
pub use mentions::insert_mentions;

use crate::geo::{Gazetteer, Place};
use model::{ByteSpan, Document, Entity, MentionOrigin, UnionFind, label};
use names::{is_acronym, strip_possessive};
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
}

type ByteSpanKey = (usize, u32, u32);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_labels_are_not_entities() {
        assert_eq!(entity_type("DATE"), None);
        assert_eq!(entity_type("WORK_OF_ART"), Some("OTHER"));
        assert_eq!(entity_type("GPE"), Some("GPE"));
    }
}
