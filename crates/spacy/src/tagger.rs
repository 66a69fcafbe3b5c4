//! spaCy's `Tagger` (`spacy.Tagger.v2`): a softmax layer over the token
//! vectors; the predicted tag is the highest-scoring label.

use std::path::Path;

use crate::Error;
use crate::ops;
use crate::ops::gemm::PackedMatrix;
use crate::tok2vec::{Tok2Vec, TokenFeatures};
use crate::weights::{ModelTree, read_json};

/// A loaded tagger: output layer and labels.
#[derive(Debug, Clone)]
pub struct Tagger {
    own_tok2vec: Option<Tok2Vec>,
    labels: Vec<String>,
    n_in: usize,
    /// labels × n_in, with the bias.
    w: PackedMatrix,
}

impl Tagger {
    /// Loads `dir/model` and the labels from `dir/cfg`.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let tree = ModelTree::load(&dir.join("model"))?;
        let cfg_path = dir.join("cfg");
        let cfg = read_json(&cfg_path)?;
        let labels: Vec<String> = cfg
            .get("labels")
            .and_then(|l| l.as_array())
            .map(|l| {
                l.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or_else(|| Error::Format {
                path: cfg_path.clone(),
                message: "no labels".into(),
            })?;
        let &sm = tree
            .find("softmax")
            .first()
            .ok_or_else(|| tree.err("no softmax layer"))?;
        let w = tree.param(sm, "W", 2)?;
        let b = tree.param(sm, "b", 1)?;
        if w.shape[0] != labels.len() || b.shape[0] != labels.len() {
            return Err(tree.err(format!(
                "softmax has {} outputs but cfg lists {} labels",
                w.shape[0],
                labels.len()
            )));
        }
        let own_tok2vec = if tree.find("extract_features").is_empty() {
            None
        } else {
            Some(Tok2Vec::from_tree(&tree)?)
        };
        Ok(Tagger {
            own_tok2vec,
            labels,
            n_in: w.shape[1],
            w: PackedMatrix::new(w.shape[0], w.shape[1], &w.data, Some(&b.data)),
        })
    }

    /// Whether the tagger has its own encoder (rather than listening to the
    /// pipeline's `tok2vec` component).
    pub fn has_own_tok2vec(&self) -> bool {
        self.own_tok2vec.is_some()
    }

    /// Token vectors from the tagger's own encoder, if it has one.
    pub fn own_tokvecs(&self, feats: &[TokenFeatures]) -> Option<Vec<f32>> {
        self.own_tok2vec.as_ref().map(|t| t.forward(feats))
    }

    /// The tag labels, indexed by class.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The expected token-vector width.
    pub fn width(&self) -> usize {
        self.n_in
    }

    /// Predicts one class per token from `n × width` token vectors.
    pub fn predict(&self, tokvecs: &[f32]) -> Vec<usize> {
        let n = tokvecs.len() / self.n_in;
        let nc = self.labels.len();
        let mut scores = ops::scratch(n * nc);
        self.w.matmul(n, tokvecs, self.n_in, &mut scores);
        scores
            .chunks_exact(nc)
            .map(|row| ops::argmax(row).unwrap_or(0))
            .collect()
    }
}
