//! Dependency-tree helpers over a document's token layer.

use model::{Document, Token};

/// Children lists, sentence token ranges and entity lookups for one document.
pub(crate) struct Tree<'a> {
    pub doc: &'a Document,
    pub children: Vec<Vec<usize>>,
    /// For each token, the best entity mention containing it (resolved first, then shortest).
    pub mention_of: Vec<Option<usize>>,
    /// Token index ranges of each sentence.
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

impl<'a> Tree<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let toks = &doc.layers.tokens;
        let mut children = vec![Vec::new(); toks.len()];
        for (i, t) in toks.iter().enumerate() {
            let h = t.head as usize;
            if h != i && h < toks.len() {
                children[h].push(i);
            }
        }
        let ents = &doc.layers.entities;
        // each mention visits the tokens it covers (linear in long documents,
        // not a scan of the mentions per token); ties keep the earlier mention
        let mut mention_of: Vec<Option<usize>> = vec![None; toks.len()];
        for (m, e) in ents.iter().enumerate() {
            let first = toks.partition_point(|t| t.span.start < e.span.start);
            for (i, t) in toks.iter().enumerate().skip(first) {
                if t.span.start >= e.span.end {
                    break;
                }
                if !e.span.contains(t.span) {
                    continue;
                }
                let better = match mention_of[i] {
                    None => true,
                    Some(b) => {
                        let eb = &ents[b];
                        (e.entity.is_some(), std::cmp::Reverse(e.span.len()))
                            > (eb.entity.is_some(), std::cmp::Reverse(eb.span.len()))
                    }
                };
                if better {
                    mention_of[i] = Some(m);
                }
            }
        }
        let sentence_tokens = doc
            .layers
            .sentences
            .iter()
            .map(|s| {
                let a = toks.partition_point(|t| t.span.start < s.span.start);
                let b = toks.partition_point(|t| t.span.start < s.span.end);
                a..b
            })
            .collect();
        Self {
            doc,
            children,
            mention_of,
            sentence_tokens,
        }
    }

    pub fn tok(&self, i: usize) -> &Token {
        &self.doc.layers.tokens[i]
    }

    pub fn len(&self) -> usize {
        self.doc.layers.tokens.len()
    }

    pub fn head(&self, i: usize) -> usize {
        let h = self.tok(i).head as usize;
        if h < self.len() { h } else { i }
    }

    pub fn is_root(&self, i: usize) -> bool {
        self.head(i) == i
    }

    pub fn dep(&self, i: usize) -> &str {
        &self.tok(i).dep
    }

    pub fn tag(&self, i: usize) -> &str {
        &self.tok(i).tag
    }

    pub fn text(&self, i: usize) -> &str {
        self.doc.span_text(self.tok(i).span)
    }

    /// Lowercase lemma, falling back to the lowercase word.
    pub fn lemma(&self, i: usize) -> String {
        let t = self.tok(i);
        if t.lemma.is_empty() {
            self.text(i).to_lowercase()
        } else {
            t.lemma.to_lowercase()
        }
    }

    pub fn is_verb(&self, i: usize) -> bool {
        self.tag(i).starts_with("VB")
    }

    /// Children with one of the given dependency labels, in text order.
    pub fn kids<'s>(&'s self, i: usize, deps: &'s [&str]) -> impl Iterator<Item = usize> + 's {
        self.children[i]
            .iter()
            .copied()
            .filter(move |&c| deps.contains(&self.dep(c)))
    }

    /// Objects of the prepositions with the given lemmas attached to `i`: `(prep, object)`.
    pub fn prep_objects(&self, i: usize, preps: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for p in self.kids(i, &["prep", "agent", "dative"]) {
            if !preps.is_empty() && !preps.contains(&self.lemma(p).as_str()) {
                continue;
            }
            for o in self.kids(p, &["pobj", "pcomp"]) {
                out.push((p, o));
            }
        }
        out
    }

    /// Steps from `i` to the root (bounded).
    pub fn depth(&self, mut i: usize) -> usize {
        let mut d = 0;
        while !self.is_root(i) && d < 64 {
            i = self.head(i);
            d += 1;
        }
        d
    }

    /// First and last token index of the subtree under `i`.
    pub fn subtree(&self, i: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (i, i);
        let mut stack = vec![i];
        let mut seen = 0;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > self.len() {
                break;
            }
            lo = lo.min(x);
            hi = hi.max(x);
            stack.extend(self.children[x].iter().copied());
        }
        (lo, hi)
    }

    /// `i` and its conjuncts (`A and B and C`), in text order.
    pub fn with_conjuncts(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() && out.len() < 16 {
            let x = out[k];
            out.extend(self.kids(x, &["conj"]));
            k += 1;
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
