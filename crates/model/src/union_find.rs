//! "Which of these items ended up together?" Disjoint sets over `0..n`
//! (union-find), the one copy that entity linking, event merging, story
//! clustering and the coreference scorer share.
//!
//! The root of a set is always its smallest member, so the result does not
//! depend on the order of the unions: callers can number groups by their
//! root and get the same numbers whatever order they merged in.

/// Disjoint sets over the items `0..n`; each set is named by its smallest item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The smallest item of `x`'s set (compresses the path on the way).
    pub fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        let mut y = x;
        while self.parent[y] != root {
            let next = self.parent[y];
            self.parent[y] = root;
            y = next;
        }
        root
    }

    /// Joins the sets of `a` and `b`. Returns `(kept, absorbed)`, the roots
    /// before the join (the smaller root is kept), or `None` when they were
    /// already one set.
    pub fn union(&mut self, a: usize, b: usize) -> Option<(usize, usize)> {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return None;
        }
        let (kept, absorbed) = (a.min(b), a.max(b));
        self.parent[absorbed] = kept;
        Some((kept, absorbed))
    }

    /// The root of every item, in item order.
    pub fn roots(&mut self) -> Vec<usize> {
        (0..self.len()).map(|i| self.find(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_item_names_the_set_whatever_the_union_order() {
        for unions in [
            vec![(3, 4), (4, 1), (0, 2)],
            vec![(0, 2), (1, 4), (4, 3)],
            vec![(2, 0), (3, 1), (1, 4), (4, 3)],
        ] {
            let mut u = UnionFind::new(6);
            for (a, b) in unions {
                u.union(a, b);
            }
            assert_eq!(u.roots(), vec![0, 1, 0, 1, 1, 5]);
        }
    }

    #[test]
    fn union_reports_the_kept_and_absorbed_roots() {
        let mut u = UnionFind::new(4);
        assert_eq!(u.union(3, 2), Some((2, 3)));
        assert_eq!(u.union(1, 3), Some((1, 2)));
        assert_eq!(u.union(2, 1), None);
        assert_eq!(u.find(3), 1);
    }
}
