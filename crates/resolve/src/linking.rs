//! Cross-document entity linking by key: "this article's entity: which
//! real-world entity is it, without reading any other article?"
//!
//! Within one document, [`crate::entities::EntityLinker`] groups mentions into
//! local entities (short forms join full names, acronyms their expansion,
//! demonyms their country, role phrases the person holding the role). Across
//! documents, each local entity has a **link key** computed from it alone:
//!
//! - a geocoded place (or a demonym joined to its country): `geo:<GeoNames id>`;
//! - a person named with two or more name tokens: `per:<given>:<family>`, the
//!   consonant skeletons of the transliteration keys of the first and last
//!   tokens (Abbas Araghchi / Abbas Araqchi, Mohammed / Muhammad fold alike;
//!   middle names do not matter);
//! - any other entity: its class and folded name tokens (`org:united nations`);
//! - a person named by one token only ("Assad") has a **lone key**: it joins
//!   the one full name whose family name it fits among all stored full names
//!   (the persistent index of person keys by family skeleton); when none or
//!   several fit, it is an entity of its own (`per1:<token>`).
//!
//! The entity id is a hash of the key (`e` + 12 hex digits), so it depends on
//! content only, never on ingest order. Only lone keys depend on other
//! documents, and only through the set of full names of one family skeleton:
//! when that set changes, the lone mentions of that skeleton are re-decided
//! (see [`decide_lone`]).

use crate::entities::names::{name_keys, skeleton, tokens_equiv};
use crate::entities::{kind_class as class, kind_priority};
use model::{Entity, Geo};
use std::collections::{BTreeMap, BTreeSet};

/// How a local entity links across documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKey {
    /// The key is the entity: every local entity with this key is one entity.
    Fixed(String),
    /// A person named by one token; resolved against the full names of its family.
    Lone {
        /// Consonant skeleton of the token: the index key of candidate full names.
        family: String,
        /// The token's transliteration key.
        token: String,
    },
}

/// A full person name in the family index: its fixed key and the
/// transliteration key of its last token.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FamilyName {
    /// The fixed key (`per:...`).
    pub key: String,
    /// Transliteration key of the family (last) name token.
    pub last: String,
}

/// The link key of a local entity (the record the within-document linker
/// returns for one document).
pub fn link_key(e: &Entity) -> LinkKey {
    if let Some(g) = &e.geo {
        return LinkKey::Fixed(format!("geo:{}", g.geonames_id));
    }
    let keys = name_keys(&e.name);
    if keys.is_empty() {
        return LinkKey::Fixed(format!(
            "{}:{}",
            class(&e.kind),
            crate::entities::names::fold(&e.name)
        ));
    }
    if e.kind == "PERSON" {
        if keys.len() == 1 {
            return LinkKey::Lone {
                family: skeleton(&keys[0]),
                token: keys[0].clone(),
            };
        }
        let first = &keys[0];
        let last = keys.last().expect("two or more keys");
        return LinkKey::Fixed(format!("per:{}:{}", skeleton(first), skeleton(last)));
    }
    LinkKey::Fixed(format!("{}:{}", class(&e.kind), keys.join(" ")))
}

/// For a fixed person key of a local entity, its entry in the family index:
/// the skeleton it is filed under and the name it stands for.
pub fn family_entry(e: &Entity, key: &LinkKey) -> Option<(String, FamilyName)> {
    let LinkKey::Fixed(k) = key else { return None };
    if !k.starts_with("per:") {
        return None;
    }
    let keys = name_keys(&e.name);
    let last = keys.last()?.clone();
    Some((
        skeleton(&last),
        FamilyName {
            key: k.clone(),
            last,
        },
    ))
}

/// Resolves a lone name against the full names filed under its family
/// skeleton: the one full name whose family name it fits, else its own key.
pub fn decide_lone(token: &str, family: &BTreeSet<FamilyName>) -> String {
    let fits: BTreeSet<&str> = family
        .iter()
        .filter(|f| tokens_equiv(token, &f.last))
        .map(|f| f.key.as_str())
        .collect();
    match fits.len() {
        1 => fits.into_iter().next().expect("one").to_string(),
        _ => format!("per1:{token}"),
    }
}

/// The entity id of a fixed key: `e` and the first 12 hex digits of its
/// 64-bit FNV-1a hash. Content-derived: the same key gives the same id in
/// every store, whatever the ingest order.
pub fn entity_id(key: &str) -> String {
    format!("e{:012x}", fnv1a(key.as_bytes()) >> 16)
}

/// 64-bit FNV-1a: a small, stable, dependency-free hash for ids.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One real-world entity from the local entities linked to it (in any
/// order: the result depends on the set only). Mentions add up; aliases are
/// the union; the type is the majority by mentions; the place the most
/// mentioned GeoNames id; the name, for people and organizations, the
/// fullest (most tokens), then most mentioned, form, and for others the most
/// mentioned.
pub fn aggregate(id: &str, locals: &[&Entity]) -> Entity {
    let mut votes: BTreeMap<&str, u32> = BTreeMap::new();
    let mut names: BTreeMap<&str, u32> = BTreeMap::new();
    let mut geos: BTreeMap<u64, (u32, &Geo)> = BTreeMap::new();
    let mut aliases: BTreeSet<&str> = BTreeSet::new();
    let mut mentions = 0u32;
    for e in locals {
        mentions += e.mentions;
        *votes.entry(e.kind.as_str()).or_default() += e.mentions;
        *names.entry(e.name.as_str()).or_default() += e.mentions;
        aliases.extend(e.aliases.iter().map(String::as_str));
        if let Some(g) = &e.geo {
            geos.entry(g.geonames_id).or_insert((0, g)).0 += e.mentions;
        }
    }
    let kind = votes
        .iter()
        .max_by_key(|(k, v)| (**v, kind_priority(k)))
        .map(|(k, _)| k.to_string())
        .unwrap_or_else(|| "OTHER".to_string());
    let person_like = matches!(kind.as_str(), "PERSON" | "ORG");
    let name = names
        .iter()
        .max_by_key(|(n, f)| {
            let toks = name_keys(n).len() as u32;
            let key = if person_like {
                (toks, **f)
            } else {
                (**f, toks)
            };
            (key, std::cmp::Reverse(n.to_string()))
        })
        .map(|(n, _)| n.to_string())
        .unwrap_or_default();
    let geo = geos
        .iter()
        .max_by_key(|(id, (v, _))| (*v, std::cmp::Reverse(**id)))
        .map(|(_, (_, g))| (*g).clone());
    Entity {
        id: id.to_string(),
        name,
        kind,
        aliases: aliases.into_iter().map(str::to_string).collect(),
        mentions,
        geo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(name: &str, kind: &str) -> Entity {
        Entity {
            id: "e1".into(),
            name: name.into(),
            kind: kind.into(),
            aliases: vec![name.into()],
            mentions: 1,
            geo: None,
        }
    }

    #[test]
    fn transliterations_share_a_key() {
        let a = link_key(&ent("Abbas Araghchi", "PERSON"));
        let b = link_key(&ent("Abbas Araqchi", "PERSON"));
        assert_eq!(a, b);
        let c = link_key(&ent("Mohammed bin Salman", "PERSON"));
        let d = link_key(&ent("Muhammad bin Salman", "PERSON"));
        assert_eq!(c, d);
        assert_ne!(a, c);
    }

    #[test]
    fn lone_names_join_the_one_full_name_of_their_family() {
        let full = ent("Bashar al-Assad", "PERSON");
        let key = link_key(&full);
        let (fam, entry) = family_entry(&full, &key).expect("person");
        let LinkKey::Lone { family, token } = link_key(&ent("Assad", "PERSON")) else {
            panic!("lone")
        };
        assert_eq!(fam, family);
        let mut index = BTreeSet::from([entry]);
        let LinkKey::Fixed(k) = &key else { panic!() };
        assert_eq!(&decide_lone(&token, &index), k);
        // a second Assad: the lone name is ambiguous and stands alone
        let other = ent("Hafez al-Assad", "PERSON");
        index.insert(family_entry(&other, &link_key(&other)).expect("person").1);
        assert_eq!(decide_lone(&token, &index), format!("per1:{token}"));
        assert_ne!(decide_lone(&token, &index), *k);
    }

    #[test]
    fn ids_are_content_hashes() {
        assert_eq!(entity_id("per:x:y"), entity_id("per:x:y"));
        assert_ne!(entity_id("per:x:y"), entity_id("per:x:z"));
        assert_eq!(entity_id("a").len(), 13);
    }

    #[test]
    fn aggregate_depends_on_the_set_only() {
        let a = Entity {
            mentions: 3,
            ..ent("Araghchi", "PERSON")
        };
        let b = ent("Abbas Araqchi", "PERSON");
        let x = aggregate("e", &[&a, &b]);
        let y = aggregate("e", &[&b, &a]);
        assert_eq!(x, y);
        assert_eq!(x.name, "Abbas Araqchi");
        assert_eq!(x.mentions, 4);
    }
}
