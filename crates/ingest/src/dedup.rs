//! Near-duplicates: "is this article a reprint of one we already have?"
//!
//! Texts are compared as sets of word 3-shingles (lowercased alphanumeric
//! words). Candidate pairs come from MinHash signatures (64 values, banded
//! 16 × 4 for locality-sensitive hashing), and each candidate is verified
//! on the exact shingle sets: Jaccard similarity at least
//! [`DedupOptions::min_jaccard`], or containment (the shorter text's
//! shingles found in the longer) at least [`DedupOptions::min_containment`],
//! which catches truncated reprints. Identical texts are always duplicates.
//!
//! All hashing is seeded with constants, so results are the same on every
//! run and machine.

use model::Document;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Thresholds for [`mark_duplicates_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedupOptions {
    /// Jaccard similarity of shingle sets at or above which two texts are duplicates.
    pub min_jaccard: f64,
    /// Share of the shorter text's shingles found in the longer one at or above
    /// which two texts are duplicates (needs at least 20 shingles in the shorter).
    pub min_containment: f64,
}

impl Default for DedupOptions {
    fn default() -> Self {
        Self {
            min_jaccard: 0.5,
            min_containment: 0.85,
        }
    }
}

const SHINGLE: usize = 3;
const PERMS: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = PERMS / BANDS;
const MIN_CONTAINMENT_SHINGLES: usize = 20;
/// One shingle in `SAMPLE` (by hash) is indexed to find truncated copies.
const SAMPLE: u64 = 4;
/// At most this many originals are indexed under one sampled shingle.
const MAX_POSTING: usize = 256;
/// Shared sampled shingles that make two documents a candidate pair.
const MIN_SHARED_SAMPLES: u32 = 2;

fn mix(mut z: u64) -> u64 {
    // splitmix64 finalizer
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn fnv(bytes: impl Iterator<Item = u8>, seed: u64) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325 ^ seed, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Hashes of the lowercased alphanumeric words of `text`, in order.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut lower = String::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let bytes = if w.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            lower.as_bytes()
        } else {
            w.as_bytes()
        };
        out.push(mix(fnv(bytes.iter().copied(), 0)));
    }
    out
}

/// Hashes of the word 3-shingles of `text`, with repeats (a text shorter
/// than three words gives one shingle of all its words).
fn shingle_seq(text: &str) -> Vec<u64> {
    let words = word_hashes(text);
    if words.is_empty() {
        return Vec::new();
    }
    if words.len() < SHINGLE {
        return vec![words.iter().fold(0, |h, &w| mix(h ^ w))];
    }
    words
        .windows(SHINGLE)
        .map(|w| {
            w.iter().fold(
                0x9e37_79b9_7f4a_7c15_u64,
                |h, &x| mix(h.rotate_left(17) ^ x),
            )
        })
        .collect()
}

/// The sorted, deduplicated shingle hashes of `text`.
pub fn shingles(text: &str) -> Vec<u64> {
    let mut s = shingle_seq(text);
    s.sort_unstable();
    s.dedup();
    s
}

/// A 64-bit SimHash of the text's word 3-shingles: texts that differ by a
/// light edit have fingerprints a few bits apart (compare with
/// `(a ^ b).count_ones()`). A compact key for indexing; [`mark_duplicates`]
/// decides on exact shingle overlap.
pub fn simhash(text: &str) -> u64 {
    let mut weights = [0i32; 64];
    for h in shingle_seq(text) {
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    weights.iter().enumerate().fold(
        0u64,
        |acc, (bit, &w)| if w > 0 { acc | 1 << bit } else { acc },
    )
}

/// (intersection size, |a|, |b|) of two sorted sets.
fn overlap(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard similarity and containment of two sorted shingle sets.
pub fn similarity(a: &[u64], b: &[u64]) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let inter = overlap(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    let smaller = a.len().min(b.len()) as f64;
    (inter / union, inter / smaller)
}

fn minhash(shingles: &[u64]) -> [u64; PERMS] {
    // Shingle hashes are already well mixed; one multiply-xorshift per
    // seed gives the permutations.
    let seeds: [u64; PERMS] = std::array::from_fn(|k| mix(k as u64 + 1));
    let mut sig = [u64::MAX; PERMS];
    for &s in shingles {
        for (m, &seed) in sig.iter_mut().zip(&seeds) {
            let x = (s ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let h = x ^ (x >> 29);
            if h < *m {
                *m = h;
            }
        }
    }
    sig
}

/// Marks wire reprints with the default thresholds; see [`mark_duplicates_with`].
pub fn mark_duplicates(docs: &mut [Document]) {
    mark_duplicates_with(docs, &DedupOptions::default());
}

/// Sets `duplicate_of` on every document that repeats an earlier one (same
/// story, light edits, possibly another outlet or id), pointing at the
/// original; clears it on the others. The original is the earliest by
/// (date, id), unknown dates last, so the result does not depend on the
/// order of `docs`. Chains collapse: every copy points at the first original.
pub fn mark_duplicates_with(docs: &mut [Document], opts: &DedupOptions) {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |d: &Document| (d.meta.date.is_none(), d.meta.date, d.id.clone());
        key(&docs[a]).cmp(&key(&docs[b]))
    });
    let sets: Vec<Vec<u64>> = docs.iter().map(|d| shingles(&d.text)).collect();
    let verify = |a: usize, b: usize| -> bool {
        if docs[a].id == docs[b].id {
            return false;
        }
        let (jac, cont) = similarity(&sets[a], &sets[b]);
        let small = sets[a].len().min(sets[b].len());
        jac >= opts.min_jaccard
            || (small >= MIN_CONTAINMENT_SHINGLES && cont >= opts.min_containment)
    };
    // Documents are visited in (date, id) order; each is compared with the
    // earlier ones only, so the first of a family is its original.
    let mut root: Vec<Option<usize>> = vec![None; docs.len()]; // by rank
    let mut first_with_text: HashMap<&str, usize> = HashMap::new();
    let mut buckets: HashMap<(usize, [u64; ROWS]), Vec<usize>> = HashMap::new();
    // Sampled shingles of originals only (copies add nothing new to find).
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (r, &i) in order.iter().enumerate() {
        // Identical text: a copy of the first with that text.
        let first = *first_with_text.entry(docs[i].text.as_str()).or_insert(r);
        if first != r && docs[order[first]].id != docs[i].id {
            root[r] = Some(root[first].unwrap_or(first));
            continue;
        }
        if sets[i].is_empty() {
            continue;
        }
        let sig = minhash(&sets[i]);
        let keys: Vec<(usize, [u64; ROWS])> = (0..BANDS)
            .map(|band| {
                let mut key = [0u64; ROWS];
                key.copy_from_slice(&sig[band * ROWS..(band + 1) * ROWS]);
                (band, key)
            })
            .collect();
        // Candidates from shared MinHash bands, earliest first.
        let banded: BTreeSet<usize> = keys
            .iter()
            .filter_map(|k| buckets.get(k))
            .flatten()
            .copied()
            .collect();
        let mut found = banded
            .into_iter()
            .find(|&e| verify(order[e], i))
            .map(|e| root[e].unwrap_or(e));
        // Then from shared sampled shingles (truncated copies).
        if found.is_none() {
            let mut shared: BTreeMap<usize, u32> = BTreeMap::new();
            for s in sets[i].iter().filter(|&&s| s % SAMPLE == 0) {
                for &o in postings.get(s).into_iter().flatten() {
                    *shared.entry(o).or_default() += 1;
                }
            }
            found = shared
                .into_iter()
                .filter(|&(_, n)| n >= MIN_SHARED_SAMPLES)
                .map(|(o, _)| o)
                .find(|&o| verify(order[o], i));
        }
        root[r] = found;
        for k in keys {
            buckets.entry(k).or_default().push(r);
        }
        if found.is_none() {
            for &s in sets[i].iter().filter(|&&s| s % SAMPLE == 0) {
                let list = postings.entry(s).or_default();
                if list.len() < MAX_POSTING {
                    list.push(r);
                }
            }
        }
    }
    for d in docs.iter_mut() {
        d.duplicate_of = None;
    }
    for (r, origin) in root.iter().enumerate() {
        if let Some(o) = origin {
            let id = docs[order[*o]].id.clone();
            docs[order[r]].duplicate_of = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const STORY: &str = "The foreign minister of the republic arrived in the capital on Sunday \
        evening for talks with the president about the fighting in the north. During the \
        meeting the minister praised the army's resistance and said his government would \
        keep supporting its ally. The two men also discussed the return of refugees, the \
        reopening of the border crossing and the reconstruction of the power grid, officials \
        said. The minister later flew on to a neighbouring country for talks with its leaders.";

    const LIGHT_EDIT: &str = "The foreign minister of the republic arrived in the capital late on \
        Sunday for talks with the president about the fighting in the north. During the \
        meeting the minister praised the army's resistance and said his government would \
        continue supporting its ally. The two men also discussed the return of refugees, the \
        reopening of the border crossing and the reconstruction of the power grid, officials \
        told reporters. The minister later flew on to a neighbouring country for talks with its leaders.";

    const SAME_TOPIC: &str = "Rebels seized most of the northern city on Saturday after a \
        lightning offensive, forcing government troops to withdraw, a war monitor said. The \
        foreign minister condemned the advance and promised that his country would help the \
        army push back. Thousands of residents fled south as shelling hit the outskirts of the \
        city, and the airport was closed to civilian flights. Aid groups warned of shortages \
        of food and fuel as winter approached.";

    fn doc(id: &str, date: Option<&str>, text: &str) -> Document {
        let mut d = Document::new(id, text);
        d.meta.date = date.map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        d
    }

    #[test]
    fn light_edit_reprint_is_found_and_points_at_the_earliest() {
        let mut docs = vec![
            doc("b-reprint", Some("2024-12-02"), LIGHT_EDIT),
            doc("a-original", Some("2024-12-01"), STORY),
            doc("c-other", Some("2024-12-01"), SAME_TOPIC),
        ];
        mark_duplicates(&mut docs);
        assert_eq!(docs[0].duplicate_of.as_deref(), Some("a-original"));
        assert_eq!(docs[1].duplicate_of, None);
        assert_eq!(docs[2].duplicate_of, None);
        let (jac, _) = similarity(&shingles(STORY), &shingles(LIGHT_EDIT));
        assert!(jac >= 0.5, "light edit jaccard {jac}");
        let d = (simhash(STORY) ^ simhash(LIGHT_EDIT)).count_ones();
        let far = (simhash(STORY) ^ simhash(SAME_TOPIC)).count_ones();
        assert!(
            d < far,
            "simhash distance {d} (edit) vs {far} (other story)"
        );
    }

    #[test]
    fn different_story_on_same_topic_is_not_a_duplicate() {
        let mut docs = vec![
            doc("x", Some("2024-12-01"), STORY),
            doc("y", Some("2024-12-01"), SAME_TOPIC),
        ];
        mark_duplicates(&mut docs);
        assert!(docs.iter().all(|d| d.duplicate_of.is_none()));
    }

    #[test]
    fn exact_copy_under_another_id_counts_and_order_does_not_matter() {
        let mk = || {
            vec![
                doc("z", None, "Short text."),
                doc("m", Some("2024-01-02"), "Short text."),
                doc("k", Some("2024-01-02"), "Short text."),
            ]
        };
        let mut a = mk();
        mark_duplicates(&mut a);
        let mut b = mk();
        b.reverse();
        mark_duplicates(&mut b);
        b.reverse();
        assert_eq!(a, b);
        // Earliest by (date, id): k (dated, and "k" < "m"); the undated copy comes last.
        assert_eq!(a[0].duplicate_of.as_deref(), Some("k"));
        assert_eq!(a[1].duplicate_of.as_deref(), Some("k"));
        assert_eq!(a[2].duplicate_of, None);
    }

    #[test]
    fn truncated_reprint_is_found_by_containment() {
        let half = &STORY[..STORY.find("The two men").unwrap()];
        let mut docs = vec![
            doc("full", Some("2024-12-01"), STORY),
            doc("cut", Some("2024-12-02"), half),
        ];
        mark_duplicates(&mut docs);
        assert_eq!(docs[1].duplicate_of.as_deref(), Some("full"));
    }
}
