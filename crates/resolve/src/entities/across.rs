//! "Which local clusters of different documents are one entity?": places
//! by GeoNames id, other kinds by key, acronyms by their expansion, people
//! by transliteration-aware full names, and lone family names by the one
//! full name they fit (or by shared context).

use super::names::{self, skeleton, tokens_equiv};
use super::{EntityLinker, Local, Men, kind_class};
use model::{Document, UnionFind};
use std::collections::{BTreeMap, BTreeSet};

impl EntityLinker {
    pub(super) fn merge_across(
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
