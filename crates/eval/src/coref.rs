//! Coreference scorers over mention clusters: MUC, B³, CEAF-e and their
//! average (CoNLL F1), plus mention detection precision/recall/F1.
//!
//! Mentions are any ordered values (e.g. `(doc, start, end)`); a mention that
//! is in the key but in no response cluster (or the reverse) is "twinless"
//! and counts against recall (precision), as in the reference CoNLL scorer.

use crate::score::{f1, ratio};
use model::UnionFind;
use std::collections::{BTreeMap, BTreeSet};

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Precision in [0, 1].
    pub precision: f64,
    /// Recall in [0, 1].
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// From precision and recall.
    pub fn new(precision: f64, recall: f64) -> Self {
        Self {
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }

    /// From counts: `correct` of `predicted` predictions, `correct` of `gold` expected.
    pub fn from_counts(correct: usize, predicted: usize, gold: usize) -> Self {
        Self::new(ratio(correct, predicted), ratio(correct, gold))
    }
}

impl std::fmt::Display for Prf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.1} R {:.1} F1 {:.1}",
            100.0 * self.precision,
            100.0 * self.recall,
            100.0 * self.f1
        )
    }
}

/// All coreference scores of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CorefScores {
    /// MUC (link-based).
    pub muc: Prf,
    /// B³ (mention-based).
    pub b3: Prf,
    /// CEAF-e (entity-based, φ4 similarity).
    pub ceaf_e: Prf,
    /// Average of the three F1s.
    pub conll_f1: f64,
}

/// Scores response clusters against key clusters with MUC, B³ and CEAF-e.
pub fn score<M: Ord + Clone>(key: &[Vec<M>], response: &[Vec<M>]) -> CorefScores {
    let muc = muc(key, response);
    let b3 = b_cubed(key, response);
    let ceaf_e = ceaf_e(key, response);
    CorefScores {
        muc,
        b3,
        ceaf_e,
        conll_f1: (muc.f1 + b3.f1 + ceaf_e.f1) / 3.0,
    }
}

fn index<M: Ord + Clone>(clusters: &[Vec<M>]) -> BTreeMap<M, usize> {
    let mut m = BTreeMap::new();
    for (i, c) in clusters.iter().enumerate() {
        for x in c {
            m.insert(x.clone(), i);
        }
    }
    m
}

/// MUC: recall = Σ(|K| − |partitions of K by the response|) / Σ(|K| − 1).
pub fn muc<M: Ord + Clone>(key: &[Vec<M>], response: &[Vec<M>]) -> Prf {
    let side = |a: &[Vec<M>], b: &[Vec<M>]| {
        let ib = index(b);
        let (mut num, mut den) = (0usize, 0usize);
        for c in a {
            if c.is_empty() {
                continue;
            }
            let mut parts = BTreeSet::new();
            let mut twinless = 0;
            for x in c {
                match ib.get(x) {
                    Some(&j) => {
                        parts.insert(j);
                    }
                    None => twinless += 1,
                }
            }
            num += c.len() - (parts.len() + twinless);
            den += c.len() - 1;
        }
        ratio(num, den)
    };
    Prf::new(side(response, key), side(key, response))
}

/// B³: recall = Σ_K Σ_R |K∩R|²/|K| / Σ|K|; precision symmetric.
pub fn b_cubed<M: Ord + Clone>(key: &[Vec<M>], response: &[Vec<M>]) -> Prf {
    let side = |a: &[Vec<M>], b: &[Vec<M>]| {
        let ib = index(b);
        let (mut num, mut den) = (0.0, 0usize);
        for c in a {
            if c.is_empty() {
                continue;
            }
            let mut overlap: BTreeMap<usize, usize> = BTreeMap::new();
            for x in c {
                if let Some(&j) = ib.get(x) {
                    *overlap.entry(j).or_default() += 1;
                }
            }
            num += overlap.values().map(|&n| (n * n) as f64).sum::<f64>() / c.len() as f64;
            den += c.len();
        }
        if den == 0 { 0.0 } else { num / den as f64 }
    };
    Prf::new(side(response, key), side(key, response))
}

/// CEAF-e with φ4(K, R) = 2|K∩R| / (|K| + |R|), optimal one-to-one alignment
/// (Kuhn–Munkres per connected component of overlapping clusters).
pub fn ceaf_e<M: Ord + Clone>(key: &[Vec<M>], response: &[Vec<M>]) -> Prf {
    let key: Vec<&Vec<M>> = key.iter().filter(|c| !c.is_empty()).collect();
    let response: Vec<&Vec<M>> = response.iter().filter(|c| !c.is_empty()).collect();
    let ir = index(&response.iter().map(|c| (*c).clone()).collect::<Vec<_>>());
    // overlaps
    let mut inter: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (k, c) in key.iter().enumerate() {
        for x in c.iter() {
            if let Some(&r) = ir.get(x) {
                *inter.entry((k, r)).or_default() += 1;
            }
        }
    }
    // connected components over the bipartite overlap graph
    let nk = key.len();
    let mut sets = UnionFind::new(nk + response.len());
    for &(k, r) in inter.keys() {
        sets.union(k, nk + r);
    }
    let mut comps: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for &(k, r) in inter.keys() {
        let root = sets.find(k);
        let e = comps.entry(root).or_default();
        if !e.0.contains(&k) {
            e.0.push(k);
        }
        if !e.1.contains(&r) {
            e.1.push(r);
        }
    }
    let mut total = 0.0;
    for (ks, rs) in comps.values() {
        let w: Vec<Vec<f64>> = ks
            .iter()
            .map(|&k| {
                rs.iter()
                    .map(|&r| {
                        let n = inter.get(&(k, r)).copied().unwrap_or(0) as f64;
                        2.0 * n / (key[k].len() + response[r].len()) as f64
                    })
                    .collect()
            })
            .collect();
        total += max_assignment(&w);
    }
    let p = if response.is_empty() {
        0.0
    } else {
        total / response.len() as f64
    };
    let r = if key.is_empty() {
        0.0
    } else {
        total / key.len() as f64
    };
    Prf::new(p, r)
}

/// Maximum-weight one-to-one assignment of a rectangular weight matrix (Hungarian algorithm).
pub fn max_assignment(w: &[Vec<f64>]) -> f64 {
    let n_rows = w.len();
    if n_rows == 0 {
        return 0.0;
    }
    let n_cols = w[0].len();
    let n = n_rows.max(n_cols);
    // cost = max - weight on a square matrix padded with zeros
    let maxw = w
        .iter()
        .flat_map(|r| r.iter().copied())
        .fold(0.0f64, f64::max);
    let cost = |i: usize, j: usize| -> f64 {
        if i < n_rows && j < n_cols {
            maxw - w[i][j]
        } else {
            maxw
        }
    };
    // e-maxx Hungarian, 1-based
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut total = 0.0;
    for j in 1..=n {
        let i = p[j];
        if i >= 1 && i <= n_rows && j <= n_cols {
            total += w[i - 1][j - 1];
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: &[&[u32]]) -> Vec<Vec<u32>> {
        v.iter().map(|x| x.to_vec()).collect()
    }

    #[test]
    fn perfect_response_scores_one() {
        let k = c(&[&[1, 2, 3], &[4, 5], &[6]]);
        let s = score(&k, &k);
        assert!((s.muc.f1 - 1.0).abs() < 1e-9);
        assert!((s.b3.f1 - 1.0).abs() < 1e-9);
        assert!((s.ceaf_e.f1 - 1.0).abs() < 1e-9);
        assert!((s.conll_f1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn textbook_example() {
        // Pradhan et al. (2014) style example: key {a b c} {d e f g}, response {a b} {c d} {f g h i}
        let k = c(&[&[1, 2, 3], &[4, 5, 6, 7]]);
        let r = c(&[&[1, 2], &[3, 4], &[6, 7, 8, 9]]);
        let s = score(&k, &r);
        // MUC recall: ((3-2) + (4-3)) / (2 + 3) = 0.4; precision ((2-1)+(2-2)+(4-3)) / (1+1+3) = 0.4
        assert!((s.muc.recall - 0.4).abs() < 1e-9);
        assert!((s.muc.precision - 0.4).abs() < 1e-9);
        // B3 recall: (4/3 + 1/3 + 1/4 + 4/4) / 7 = (2.9166..)/7
        assert!((s.b3.recall - (4.0 / 3.0 + 1.0 / 3.0 + 0.25 + 1.0) / 7.0).abs() < 1e-9);
        // B3 precision: (4/2 + 1/2 + 1/2 + 4/4) / 8
        assert!((s.b3.precision - (2.0 + 0.5 + 0.5 + 1.0) / 8.0).abs() < 1e-9);
        // CEAF-e: best alignment {abc}-{ab}: 2*2/5 = .8, {defg}-{fghi}: 2*2/8 = .5 -> 1.3
        assert!((s.ceaf_e.recall - 1.3 / 2.0).abs() < 1e-9);
        assert!((s.ceaf_e.precision - 1.3 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn hungarian_prefers_global_optimum() {
        let w = vec![vec![0.9, 0.8], vec![0.8, 0.0]];
        assert!((max_assignment(&w) - 1.6).abs() < 1e-9);
    }
}
