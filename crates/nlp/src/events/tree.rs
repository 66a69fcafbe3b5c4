//! The event rules' view of a document: the shared dependency tree
//! ([`model::DepTree`]) plus which entity mention each token is in and the
//! token range of each sentence.

use model::{DepTree, Document};

/// The dependency tree, sentence token ranges and entity lookups for one document.
pub(crate) struct Tree<'a> {
    pub tree: DepTree<'a>,
    /// For each token, the best entity mention containing it (resolved first, then shortest).
    pub mention_of: Vec<Option<usize>>,
    /// Token index ranges of each sentence.
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

impl<'a> std::ops::Deref for Tree<'a> {
    type Target = DepTree<'a>;

    fn deref(&self) -> &DepTree<'a> {
        &self.tree
    }
}

impl<'a> Tree<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let toks = &doc.layers.tokens;
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
            tree: DepTree::new(doc),
            mention_of,
            sentence_tokens,
        }
    }
}
