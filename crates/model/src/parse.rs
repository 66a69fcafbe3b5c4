//! "Walk this document's dependency parse": one read-only view of the
//! token layer's heads as a tree, shared by the event-mention rules (`nlp`)
//! and the framing rules (`resolve`). Each user adds its own lookups (which
//! entity mention a token is in) around it.

use crate::{ByteSpan, Document, Token};

/// A document's tokens with the children of each token, built once.
#[derive(Debug, Clone)]
pub struct DepTree<'a> {
    /// The document whose `layers.tokens` this view walks.
    pub doc: &'a Document,
    /// The children of each token, in text order.
    pub children: Vec<Vec<usize>>,
}

impl<'a> DepTree<'a> {
    /// The tree of `doc`'s tokens (a head out of range counts as a root).
    pub fn new(doc: &'a Document) -> Self {
        let toks = &doc.layers.tokens;
        let mut children = vec![Vec::new(); toks.len()];
        for (i, t) in toks.iter().enumerate() {
            let h = t.head as usize;
            if h != i && h < toks.len() {
                children[h].push(i);
            }
        }
        Self { doc, children }
    }

    /// Token `i`.
    pub fn tok(&self, i: usize) -> &'a Token {
        &self.doc.layers.tokens[i]
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.doc.layers.tokens.len()
    }

    /// True when the document has no tokens.
    pub fn is_empty(&self) -> bool {
        self.doc.layers.tokens.is_empty()
    }

    /// The head of token `i` (`i` itself for a root).
    pub fn head(&self, i: usize) -> usize {
        let h = self.tok(i).head as usize;
        if h < self.len() { h } else { i }
    }

    /// True when token `i` heads its sentence.
    pub fn is_root(&self, i: usize) -> bool {
        self.head(i) == i
    }

    /// The dependency label of token `i`.
    pub fn dep(&self, i: usize) -> &'a str {
        &self.tok(i).dep
    }

    /// The fine-grained (Penn) tag of token `i`.
    pub fn tag(&self, i: usize) -> &'a str {
        &self.tok(i).tag
    }

    /// The coarse (universal) part of speech of token `i`.
    pub fn pos(&self, i: usize) -> &'a str {
        &self.tok(i).pos
    }

    /// The words of token `i`.
    pub fn text(&self, i: usize) -> &'a str {
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

    /// True for a verb (Penn `VB*`).
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

    /// Objects of the prepositions with the given lemmas attached to `i`:
    /// `(prep, object)`; any preposition when `preps` is empty.
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

    /// Steps from `i` to the root (at most 64).
    pub fn depth(&self, mut i: usize) -> usize {
        let mut d = 0;
        while !self.is_root(i) && d < 64 {
            i = self.head(i);
            d += 1;
        }
        d
    }

    /// First and last token index of the subtree under `i` (a malformed
    /// parse with a cycle stops after visiting as many nodes as there are
    /// tokens).
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

    /// `i` and its conjuncts (`A and B and C`), in text order (at most 16).
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

    /// Bytes from the start of token `a` to the end of token `b`.
    pub fn span(&self, a: usize, b: usize) -> ByteSpan {
        ByteSpan::new(
            self.tok(a).span.start as usize,
            self.tok(b).span.end as usize,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str, start: usize, head: u32, dep: &str, lemma: &str) -> Token {
        Token {
            head,
            dep: dep.into(),
            lemma: lemma.into(),
            ..Token::new(ByteSpan::new(start, start + text.len()))
        }
    }

    #[test]
    fn walks_children_subtrees_and_conjuncts() {
        // "Rebels and troops clashed": clashed <- Rebels <- and, troops (conj)
        let mut d = Document::new("d", "Rebels and troops clashed");
        d.layers.tokens = vec![
            token("Rebels", 0, 3, "nsubj", "rebel"),
            token("and", 7, 0, "cc", "and"),
            token("troops", 11, 0, "conj", ""),
            token("clashed", 18, 3, "ROOT", "clash"),
        ];
        let t = DepTree::new(&d);
        assert_eq!(t.children[3], vec![0]);
        assert_eq!(t.children[0], vec![1, 2]);
        assert!(t.is_root(3));
        assert_eq!(t.depth(2), 2);
        assert_eq!(t.subtree(0), (0, 2));
        assert_eq!(t.with_conjuncts(0), vec![0, 2]);
        assert_eq!(t.lemma(2), "troops");
        assert_eq!(&d.text[t.span(0, 2).range()], "Rebels and troops");
        assert_eq!(t.kids(3, &["nsubj"]).collect::<Vec<_>>(), vec![0]);
    }
}
