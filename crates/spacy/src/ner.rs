//! spaCy's transition-based named-entity recognizer (BILUO push-down system,
//! `spacy/pipeline/_parser_internals/ner.pyx`), greedy decoding.
//!
//! Moves are `B-label`, `I-label`, `L-label`, `U-label` and `O`; validity is
//! spaCy's for a document without preset entities: no entity starts on a
//! whitespace token, no entity crosses a sentence start set by the parser,
//! an open entity must be continued or closed with its own label.

use std::path::Path;

use crate::Error;
use crate::parser::{Scratch, TransitionModel, ordered_actions};
use crate::weights::{ModelTree, read_moves};

/// BILUO move types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BiluoMove {
    /// Open an entity (`B`).
    Begin,
    /// Continue it (`I`).
    In,
    /// Close it (`L`).
    Last,
    /// A one-token entity (`U`).
    Unit,
    /// Outside any entity (`O`).
    Out,
}

/// An entity found by the NER: tokens `start..end` with a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitySpan {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The entity label.
    pub label: String,
}

/// A loaded entity recognizer.
#[derive(Debug, Clone)]
pub struct EntityRecognizer {
    model: TransitionModel,
    /// (move, label index; `None` for the empty label)
    moves: Vec<(BiluoMove, Option<usize>)>,
    labels: Vec<String>,
}

impl EntityRecognizer {
    /// Loads `dir/model` and `dir/moves`.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let tree = ModelTree::load(&dir.join("model"))?;
        let model = TransitionModel::from_tree(&tree)?;
        let moves_path = dir.join("moves");
        let raw = read_moves(&moves_path)?;
        let mut labels: Vec<String> = Vec::new();
        let mut moves = Vec::new();
        for (action, label) in ordered_actions(&raw) {
            let m = match action {
                // MISSING is never added as a move.
                0 => continue,
                1 => BiluoMove::Begin,
                2 => BiluoMove::In,
                3 => BiluoMove::Last,
                4 => BiluoMove::Unit,
                5 => BiluoMove::Out,
                other => {
                    return Err(Error::Format {
                        path: moves_path,
                        message: format!("unknown BILUO action {other}"),
                    });
                }
            };
            if m == BiluoMove::Out && !label.is_empty() {
                continue;
            }
            let li = if label.is_empty() {
                None
            } else {
                Some(crate::parser::intern_label(&mut labels, label))
            };
            moves.push((m, li));
        }
        crate::parser::check_move_count(&moves_path, moves.len(), model.n_classes())?;
        if model.n_feats() != 3 && model.n_feats() != 6 {
            return Err(tree.err(format!("unsupported NER feature count {}", model.n_feats())));
        }
        Ok(EntityRecognizer {
            model,
            moves,
            labels,
        })
    }

    /// The neural model (with its own tok2vec, for en_core_web_sm).
    pub fn model(&self) -> &TransitionModel {
        &self.model
    }

    /// The entity labels.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The move names as spaCy prints them (`B-ORG`, ..., `U-`, `O`).
    pub fn move_names(&self) -> Vec<String> {
        self.moves
            .iter()
            .map(|&(m, l)| {
                let c = match m {
                    BiluoMove::Begin => "B",
                    BiluoMove::In => "I",
                    BiluoMove::Last => "L",
                    BiluoMove::Unit => "U",
                    BiluoMove::Out => return "O".to_string(),
                };
                format!("{c}-{}", l.map(|l| self.labels[l].as_str()).unwrap_or(""))
            })
            .collect()
    }

    /// Finds the entities of one document from its token vectors.
    /// `sent_start[i]` is spaCy's token `sent_start` (1 start, -1 not, 0
    /// unknown); `is_space[i]` marks whitespace tokens.
    pub fn recognize(
        &self,
        tokvecs: &[f32],
        sent_start: &[i8],
        is_space: &[bool],
    ) -> Vec<EntitySpan> {
        let n = is_space.len();
        if n == 0 {
            return Vec::new();
        }
        let pre = self.model.precompute(tokvecs);
        let mut scratch = Scratch::default();
        let mut ids = vec![-1i32; self.model.n_feats()];
        // (start, label, open)
        let mut ents: Vec<(usize, Option<usize>, Option<usize>)> = Vec::new();
        let mut b0 = 0usize;
        let ss = |i: usize| -> i8 { sent_start.get(i).copied().unwrap_or(0) };
        while b0 < n {
            let open = ents.last().filter(|e| e.2.is_none()).map(|e| (e.0, e.1));
            // Context tokens.
            ids.fill(-1);
            ids[0] = b0 as i32;
            if let Some((start, _)) = open {
                if ids.len() == 3 {
                    ids[1] = start as i32;
                    ids[2] = b0 as i32 - 1;
                } else {
                    let mut j = 1;
                    for i in start..b0 {
                        ids[j] = i as i32;
                        j += 1;
                        if j >= ids.len() {
                            break;
                        }
                    }
                }
            }
            self.model.score(&pre, &ids, &mut scratch);
            let buffer_length = n - b0;
            let mut best: Option<usize> = None;
            for (i, &(m, label)) in self.moves.iter().enumerate() {
                let valid = match m {
                    BiluoMove::Begin => {
                        open.is_none()
                            && buffer_length >= 2
                            && label.is_some()
                            && ss(b0 + 1) != 1
                            && !is_space[b0]
                    }
                    BiluoMove::In => {
                        open.is_some_and(|(_, l)| l == label)
                            && buffer_length >= 2
                            && label.is_some()
                            && !(b0 + 1 < n && ss(b0 + 1) == 1)
                    }
                    BiluoMove::Last => label.is_some() && open.is_some_and(|(_, l)| l == label),
                    BiluoMove::Unit => label.is_some() && open.is_none() && !is_space[b0],
                    BiluoMove::Out => open.is_none(),
                };
                if valid && best.is_none_or(|b| scratch.scores[i] > scratch.scores[b]) {
                    best = Some(i);
                }
            }
            let Some(g) = best else { break };
            let (m, label) = self.moves[g];
            match m {
                BiluoMove::Begin => ents.push((b0, label, None)),
                BiluoMove::In | BiluoMove::Out => {}
                BiluoMove::Last => {
                    if let Some(e) = ents.last_mut() {
                        e.2 = Some(b0 + 1);
                    }
                }
                BiluoMove::Unit => ents.push((b0, label, Some(b0 + 1))),
            }
            b0 += 1;
        }
        ents.into_iter()
            .filter_map(|(start, label, end)| {
                Some(EntitySpan {
                    start,
                    end: end?,
                    label: self.labels[label?].clone(),
                })
            })
            .collect()
    }
}
