//! "Walk this document's dependency parse": one read-only view of the
//! token layer's heads as a tree, shared by the event-mention rules (`nlp`)
//! and the framing rules (`resolve`), and by the event merging rules
//! (`resolve::events`). Each user adds its own lookups (which entity
//! mention a token is in) around it.

use crate::{ByteSpan, Document, Token};
use std::sync::OnceLock;

/// A document's tokens as a tree. Making one costs nothing: the children of
/// each token are built once, on the first walk down, so a lookup that only
/// walks up (`depth`, `clause`, `token_at`) may make its tree on the spot.
#[derive(Debug, Clone)]
pub struct DepTree<'a> {
    /// The document whose `layers.tokens` this view walks.
    pub doc: &'a Document,
    children: OnceLock<Vec<Vec<usize>>>,
}

impl<'a> DepTree<'a> {
    /// The tree of `doc`'s tokens (a head out of range counts as a root).
    pub fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            children: OnceLock::new(),
        }
    }

    /// The children of token `i`, in text order.
    pub fn children(&self, i: usize) -> &[usize] {
        let all = self.children.get_or_init(|| {
            let toks = &self.doc.layers.tokens;
            let mut children = vec![Vec::new(); toks.len()];
            for (i, t) in toks.iter().enumerate() {
                let h = t.head as usize;
                if h != i && h < toks.len() {
                    children[h].push(i);
                }
            }
            children
        });
        &all[i]
    }

    /// The token starting at byte `offset`, if any (binary search: the
    /// tokens are in text order).
    pub fn token_at(&self, offset: u32) -> Option<usize> {
        let toks = &self.doc.layers.tokens;
        let i = toks.partition_point(|t| t.span.start < offset);
        (i < toks.len() && toks[i].span.start == offset).then_some(i)
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
        self.children(i)
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

    /// The clause token `i` belongs to: the nearest verb or auxiliary (by
    /// coarse part of speech) at or above it, else the root (at most 64
    /// steps up).
    pub fn clause(&self, mut i: usize) -> usize {
        for _ in 0..64 {
            if matches!(self.pos(i), "VERB" | "AUX") || self.is_root(i) {
                return i;
            }
            i = self.head(i);
        }
        i
    }

    /// The head token of the words in `span`: the first token inside it
    /// whose head is outside it, or a root (binary search to the span,
    /// then a walk over its tokens only).
    pub fn span_head(&self, span: ByteSpan) -> Option<usize> {
        let toks = &self.doc.layers.tokens;
        let lo = toks.partition_point(|t| t.span.start < span.start);
        (lo..toks.len())
            .take_while(|&k| toks[k].span.start < span.end)
            .filter(|&k| span.contains(toks[k].span))
            .find(|&k| self.is_root(k) || !span.contains(self.tok(self.head(k)).span))
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
            stack.extend(self.children(x).iter().copied());
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

    /// A document of `text` parsed as `tokens`: (word, head, dep, lemma,
    /// coarse part of speech), the words in text order.
    fn parsed(text: &str, tokens: &[(&str, u32, &str, &str, &str)]) -> Document {
        let mut d = Document::new("d", text);
        let mut at = 0;
        for &(word, head, dep, lemma, pos) in tokens {
            let start = at + text[at..].find(word).expect("word in text");
            at = start + word.len();
            d.layers.tokens.push(Token {
                head,
                dep: dep.into(),
                lemma: lemma.into(),
                pos: pos.into(),
                ..Token::new(ByteSpan::new(start, at))
            });
        }
        d
    }

    #[test]
    fn walks_children_subtrees_and_conjuncts() {
        // "Rebels and troops clashed": clashed <- Rebels <- and, troops (conj)
        let d = parsed(
            "Rebels and troops clashed",
            &[
                ("Rebels", 3, "nsubj", "rebel", "NOUN"),
                ("and", 0, "cc", "and", "CCONJ"),
                ("troops", 0, "conj", "", "NOUN"),
                ("clashed", 3, "ROOT", "clash", "VERB"),
            ],
        );
        let t = DepTree::new(&d);
        assert_eq!(t.children(3), [0]);
        assert_eq!(t.children(0), [1, 2]);
        assert!(t.is_root(3));
        assert_eq!(t.depth(2), 2);
        assert_eq!(t.subtree(0), (0, 2));
        assert_eq!(t.with_conjuncts(0), vec![0, 2]);
        assert_eq!(t.lemma(2), "troops");
        assert_eq!(&d.text[t.span(0, 2).range()], "Rebels and troops");
        assert_eq!(t.kids(3, &["nsubj"]).collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn finds_tokens_clauses_and_span_heads() {
        // "Troops said rebels fled on Monday": said <- Troops, fled; fled <- rebels, on <- Monday
        let d = parsed(
            "Troops said rebels fled on Monday",
            &[
                ("Troops", 1, "nsubj", "troop", "NOUN"),
                ("said", 1, "ROOT", "say", "VERB"),
                ("rebels", 3, "nsubj", "rebel", "NOUN"),
                ("fled", 1, "ccomp", "flee", "VERB"),
                ("on", 3, "prep", "on", "ADP"),
                ("Monday", 4, "pobj", "monday", "PROPN"),
            ],
        );
        let t = DepTree::new(&d);
        let cases: &[(u32, Option<usize>)] = &[(0, Some(0)), (12, Some(2)), (13, None), (99, None)];
        for &(offset, want) in cases {
            assert_eq!(t.token_at(offset), want, "token at {offset}");
        }
        // (token, its clause): Monday -> on -> fled; Troops -> said
        for (i, want) in [(5, 3), (4, 3), (2, 3), (3, 3), (0, 1), (1, 1)] {
            assert_eq!(t.clause(i), want, "clause of {i}");
        }
        let cases: &[(&str, Option<usize>)] = &[
            ("on Monday", Some(4)),
            ("Monday", Some(5)),
            ("Troops said rebels fled on Monday", Some(1)),
            ("rebels fled", Some(3)),
        ];
        for &(words, want) in cases {
            let at = d.text.find(words).unwrap();
            let span = ByteSpan::new(at, at + words.len());
            assert_eq!(t.span_head(span), want, "head of {words:?}");
        }
        assert_eq!(
            t.span_head(ByteSpan::new(6, 7)),
            None,
            "a space holds no token"
        );
    }
}
