//! spaCy's transition-based dependency parser (`spacy.TransitionBasedParser.v2`
//! with the arc-eager system), greedy decoding as `Parser.greedy_parse`.
//!
//! The neural part ([`TransitionModel`], shared with the NER) follows
//! `spacy/ml/parser_model.pyx`: token vectors go through a linear layer to
//! `hidden_width`, then the lower layer (`PrecomputableAffine`) is applied to
//! every token once for each feature slot; a state's hidden vector is the sum
//! of its feature tokens' precomputed rows (a learned padding row for absent
//! tokens) plus bias, maxout, then the upper linear layer scores the moves.
//! The best valid move is taken until the state is final.
//!
//! The arc-eager system follows `arc_eager.pyx` and `_state.pxd` (moves
//! SHIFT, REDUCE, LEFT-label, RIGHT-label, BREAK; the non-monotonic
//! unshift on REDUCE), and the output is post-processed as spaCy does:
//! roots get `ROOT`, decorated labels (`x||y`) are deprojectivized
//! (`nonproj.pyx`), and sentence starts come from `set_children_from_heads`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Error;
use crate::ops::{self, ScratchBuf, gemm::PackedMatrix};
use crate::tok2vec::{Tok2Vec, TokenFeatures};
use crate::weights::{ModelTree, read_moves};

/// The neural scoring model of a transition-based component.
#[derive(Debug, Clone)]
pub struct TransitionModel {
    /// The component's own encoder (NER), or `None` when it listens to the
    /// shared `tok2vec` component.
    pub own_tok2vec: Option<Tok2Vec>,
    t2v_width: usize,
    n_in: usize,
    /// n_in × t2v_width, with the bias.
    proj: PackedMatrix,
    n_feats: usize,
    n_hidden: usize,
    n_pieces: usize,
    /// (n_feats·n_pieces·n_hidden) × n_in: per feature slot, the maxout
    /// outputs piece-major.
    lower_w: PackedMatrix,
    /// n_pieces·n_hidden (piece-major)
    lower_b: Vec<f32>,
    /// n_feats × (n_pieces·n_hidden) (piece-major per slot)
    lower_pad: Vec<f32>,
    n_classes: usize,
    /// n_hidden × n_classes rounded up to [`UPPER_BLOCK`] (transposed upper
    /// weights, zero-padded), or empty without upper.
    upper_wt: Vec<f32>,
    /// The upper bias, zero-padded like `upper_wt`.
    upper_b: Vec<f32>,
}

/// The upper layer's classes are padded to a multiple of this (one AVX-512
/// register) so that its product runs in whole vectors.
const UPPER_BLOCK: usize = 16;

/// Token-level precomputation for one document: row 0 is the padding
/// (absent token), row `i + 1` token `i`; each row holds `n_feats` slots of
/// `n_pieces·n_hidden` values (piece-major).
#[derive(Debug)]
pub struct Precomputed {
    data: ScratchBuf,
}

/// Reusable buffers for scoring states.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    offsets: Vec<usize>,
    unmaxed: Vec<f32>,
    hidden: Vec<f32>,
    /// The move scores of the last scored state.
    pub scores: Vec<f32>,
}

impl TransitionModel {
    /// Builds the model from a `parser/model` or `ner/model` tree.
    pub fn from_tree(tree: &ModelTree) -> Result<Self, Error> {
        let lower = tree.root_ref("lower")?;
        let upper = tree.root_ref("upper")?;
        let own_tok2vec = if tree.find("extract_features").is_empty() {
            if tree.find("tok2vec-listener").is_empty() {
                return Err(tree.err("neither an own tok2vec nor a tok2vec listener"));
            }
            None
        } else {
            Some(Tok2Vec::from_tree(tree)?)
        };
        let linears: Vec<usize> = tree
            .find("linear")
            .into_iter()
            .filter(|&i| i != upper)
            .collect();
        let &[proj] = linears.as_slice() else {
            return Err(tree.err("expected exactly one projection linear layer"));
        };
        let pw = tree.param(proj, "W", 2)?;
        let pb = tree.param(proj, "b", 1)?;
        let (n_in, t2v_width) = (pw.shape[0], pw.shape[1]);
        let lw = tree.param(lower, "W", 4)?;
        let (n_feats, n_hidden, n_pieces, lower_in) =
            (lw.shape[0], lw.shape[1], lw.shape[2], lw.shape[3]);
        if lower_in != n_in {
            return Err(tree.err("lower layer input differs from the projection output"));
        }
        let lb = tree.param(lower, "b", 2)?;
        let lpad = tree.param(lower, "pad", 4)?;
        if lb.data.len() != n_hidden * n_pieces || lpad.data.len() != n_feats * n_hidden * n_pieces
        {
            return Err(tree.err("lower layer bias/pad shapes"));
        }
        let (n_classes, upper_wt, upper_b) = if tree.nodes[upper].params.contains_key("W") {
            let uw = tree.param(upper, "W", 2)?;
            let ub = tree.param(upper, "b", 1)?;
            let (nc, ni) = (uw.shape[0], uw.shape[1]);
            if ni != n_hidden {
                return Err(tree.err("upper layer input differs from hidden width"));
            }
            // Transposed, with the classes padded to whole SIMD blocks.
            let ncp = nc.div_ceil(UPPER_BLOCK) * UPPER_BLOCK;
            let mut t = vec![0.0f32; ni * ncp];
            for c in 0..nc {
                for h in 0..ni {
                    t[h * ncp + c] = uw.data[c * ni + h];
                }
            }
            let mut b = ub.data.clone();
            b.resize(ncp, 0.0);
            (nc, t, b)
        } else {
            (n_hidden, Vec::new(), Vec::new())
        };
        if let Some(t2v) = &own_tok2vec
            && t2v.width() != t2v_width
        {
            return Err(tree.err("own tok2vec width differs from the projection input"));
        }
        // Piece-major maxout outputs within each feature slot.
        let hp = n_hidden * n_pieces;
        let slot_order = ops::piece_major_order(n_hidden, n_pieces);
        let order: Vec<usize> = (0..n_feats)
            .flat_map(|f| slot_order.iter().map(move |&r| f * hp + r))
            .collect();
        let lower_pad = order.iter().map(|&r| lpad.data[r]).collect();
        let lower_b = slot_order.iter().map(|&r| lb.data[r]).collect();
        Ok(TransitionModel {
            own_tok2vec,
            t2v_width,
            n_in,
            proj: PackedMatrix::new(n_in, t2v_width, &pw.data, Some(&pb.data)),
            n_feats,
            n_hidden,
            n_pieces,
            lower_w: PackedMatrix::with_row_order(n_in, &lw.data, None, &order),
            lower_b,
            lower_pad,
            n_classes,
            upper_wt,
            upper_b,
        })
    }

    /// Number of feature tokens per state (`nF`).
    pub fn n_feats(&self) -> usize {
        self.n_feats
    }

    /// Number of output classes (moves).
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Width of the token vectors this model reads.
    pub fn tok2vec_width(&self) -> usize {
        self.t2v_width
    }

    /// Token vectors from the component's own encoder, if it has one.
    pub fn own_tokvecs(&self, feats: &[TokenFeatures]) -> Option<Vec<f32>> {
        self.own_tok2vec.as_ref().map(|t| t.forward(feats))
    }

    /// Projects token vectors and applies the lower layer to every token and
    /// feature slot.
    pub fn precompute(&self, tokvecs: &[f32]) -> Precomputed {
        let n = tokvecs.len() / self.t2v_width;
        let mut x = ops::scratch(n * self.n_in);
        self.proj.matmul(n, tokvecs, self.t2v_width, &mut x);
        let row = self.n_feats * self.n_hidden * self.n_pieces;
        let mut data = ops::scratch((n + 1) * row);
        data[..row].copy_from_slice(&self.lower_pad);
        self.lower_w.matmul(n, &x, self.n_in, &mut data[row..]);
        Precomputed { data }
    }

    /// Scores the moves for a state whose feature tokens are `ids` (-1 for
    /// absent); the scores are left in `scratch.scores`.
    pub fn score(&self, pre: &Precomputed, ids: &[i32], scratch: &mut Scratch) {
        let hp = self.n_hidden * self.n_pieces;
        let row = self.n_feats * hp;
        scratch.offsets.clear();
        scratch
            .offsets
            .extend(ids.iter().enumerate().map(|(f, &id)| {
                let base = if id < 0 { 0 } else { (id as usize + 1) * row };
                base + f * hp
            }));
        scratch.unmaxed.clear();
        scratch.unmaxed.resize(hp, 0.0);
        ops::sum_at_offsets(
            &pre.data,
            &scratch.offsets,
            &self.lower_b,
            &mut scratch.unmaxed,
        );
        scratch.hidden.clear();
        scratch.hidden.resize(self.n_hidden, 0.0);
        ops::maxout_piece_major(&scratch.unmaxed, &mut scratch.hidden);
        scratch.scores.clear();
        if self.upper_wt.is_empty() {
            scratch.scores.extend_from_slice(&scratch.hidden);
            return;
        }
        scratch.scores.resize(self.upper_b.len(), 0.0);
        ops::vec_mat(&mut scratch.scores, &scratch.hidden, &self.upper_wt);
        ops::add_assign(&mut scratch.scores, &self.upper_b);
        scratch.scores.truncate(self.n_classes);
    }
}

/// Orders a transition system's labels as spaCy's
/// `TransitionSystem.initialize_actions` does: actions by id; within an
/// action, labels by frequency then label, both descending; negative
/// frequencies (labels added later) after all others.
pub fn ordered_actions(moves: &BTreeMap<i64, Vec<(String, i64)>>) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = Vec::new();
    let mut added: Vec<(i64, String)> = Vec::new();
    let mut added_actions: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (&action, labels) in moves {
        let mut sorted: Vec<(i64, &str)> = labels.iter().map(|(l, f)| (*f, l.as_str())).collect();
        sorted.sort();
        sorted.reverse();
        for (freq, label) in sorted {
            if freq < 0 {
                added.push((freq, label.to_string()));
                added_actions
                    .entry(label.to_string())
                    .or_default()
                    .push(action);
            } else {
                out.push((action, label.to_string()));
            }
        }
    }
    added.sort();
    added.reverse();
    for (_, label) in added {
        for &action in &added_actions[&label] {
            out.push((action, label.clone()));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|m| seen.insert(m.clone()));
    out
}

/// Arc-eager move types (`arc_eager.pyx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArcMove {
    /// Push B0 onto the stack.
    Shift,
    /// Pop S0 (or unshift it when it has no head).
    Reduce,
    /// Arc B0 → S0, pop S0.
    Left,
    /// Arc S0 → B0, push B0.
    Right,
    /// Mark B1 as a sentence start.
    Break,
}

/// The label decoration delimiter of projectivized arcs.
const DELIMITER: &str = "||";

/// A parse of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    /// Head index of each token (itself for roots).
    pub heads: Vec<usize>,
    /// Dependency label of each token.
    pub deps: Vec<String>,
    /// Whether each token starts a sentence.
    pub sent_starts: Vec<bool>,
}

/// A loaded dependency parser.
#[derive(Debug, Clone)]
pub struct Parser {
    model: TransitionModel,
    moves: Vec<(ArcMove, usize)>,
    labels: Vec<String>,
    subtok: Option<usize>,
}

impl Parser {
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
                0 => ArcMove::Shift,
                1 => ArcMove::Reduce,
                2 => ArcMove::Left,
                3 => ArcMove::Right,
                4 => ArcMove::Break,
                other => {
                    return Err(Error::Format {
                        path: moves_path,
                        message: format!("unknown arc-eager action {other}"),
                    });
                }
            };
            let li = intern_label(&mut labels, label);
            moves.push((m, li));
        }
        check_move_count(&moves_path, moves.len(), model.n_classes())?;
        if model.n_feats() != 8 && model.n_feats() != 13 {
            return Err(tree.err(format!(
                "unsupported parser feature count {}",
                model.n_feats()
            )));
        }
        let subtok = labels.iter().position(|l| l == "subtok");
        Ok(Parser {
            model,
            moves,
            labels,
            subtok,
        })
    }

    /// The neural model.
    pub fn model(&self) -> &TransitionModel {
        &self.model
    }

    /// The move names as spaCy prints them (`S`, `D`, `L-det`, ...).
    pub fn move_names(&self) -> Vec<String> {
        self.moves
            .iter()
            .map(|&(m, l)| {
                let c = match m {
                    ArcMove::Shift => "S",
                    ArcMove::Reduce => "D",
                    ArcMove::Left => "L",
                    ArcMove::Right => "R",
                    ArcMove::Break => "B",
                };
                if self.labels[l].is_empty() {
                    c.to_string()
                } else {
                    format!("{c}-{}", self.labels[l])
                }
            })
            .collect()
    }

    /// Parses one document from its `n × width` token vectors; `is_space`
    /// marks whitespace tokens (used when deprojectivizing).
    pub fn parse(&self, tokvecs: &[f32], is_space: &[bool]) -> Parse {
        let n = is_space.len();
        if n == 0 {
            return Parse {
                heads: Vec::new(),
                deps: Vec::new(),
                sent_starts: Vec::new(),
            };
        }
        let pre = self.model.precompute(tokvecs);
        let mut st = ArcState::new(n);
        let mut scratch = Scratch::default();
        let mut ids = vec![-1i32; self.model.n_feats()];
        // Each move's validity class: its arc-eager move, or 5 for the
        // `subtok` arcs (valid only between adjacent tokens).
        let kinds: Vec<usize> = self
            .moves
            .iter()
            .map(|&(m, l)| {
                if Some(l) == self.subtok && matches!(m, ArcMove::Left | ArcMove::Right) {
                    5
                } else {
                    m as usize
                }
            })
            .collect();
        while !st.is_final() {
            st.context(&mut ids);
            self.model.score(&pre, &ids, &mut scratch);
            let arc = st.arc_valid();
            let v = [
                st.shift_valid(),
                st.reduce_valid(),
                arc,
                arc,
                st.break_valid(),
                arc && st.s(0) == st.b(0) - 1,
            ];
            // The first best-scoring valid move.
            let mut best: Option<usize> = None;
            let mut best_score = 0.0f32;
            for (i, (&kind, &score)) in kinds.iter().zip(&scratch.scores).enumerate() {
                if v[kind] && (best.is_none() || score > best_score) {
                    best = Some(i);
                    best_score = score;
                }
            }
            match best {
                Some(g) => {
                    let (m, l) = self.moves[g];
                    st.apply(m, l);
                }
                None => st.force_final(),
            }
        }
        self.finish(&st, is_space)
    }

    fn finish(&self, st: &ArcState, is_space: &[bool]) -> Parse {
        let n = st.length;
        let mut heads: Vec<usize> = (0..n).collect();
        let mut deps: Vec<String> = vec!["ROOT".to_string(); n];
        for i in 0..n {
            if st.heads[i] >= 0 {
                heads[i] = st.heads[i] as usize;
                if heads[i] != i {
                    deps[i] = self.labels[st.labels[i]].clone();
                }
            }
        }
        let mut tree = DocTree::new(heads);
        tree.set_children_from_heads();
        // nonproj.deprojectivize: edges stay as computed before the loop.
        for i in 0..n {
            if let Some((new_label, head_label)) = deps[i].split_once(DELIMITER) {
                let (new_label, head_label) = (new_label.to_string(), head_label.to_string());
                let new_head = tree.find_new_head(i, &head_label, &deps, is_space);
                tree.heads[i] = new_head;
                deps[i] = new_label;
            }
        }
        tree.set_children_from_heads();
        Parse {
            sent_starts: tree.sent_start.iter().map(|&s| s == 1).collect(),
            heads: tree.heads,
            deps,
        }
    }
}

/// The arc-eager parse state (`StateC` of `_state.pxd`).
#[derive(Debug, Clone)]
struct ArcState {
    length: usize,
    stack: Vec<usize>,
    rebuffer: Vec<usize>,
    b_i: usize,
    heads: Vec<i32>,
    labels: Vec<usize>,
    left_arcs: Vec<Vec<usize>>,
    right_arcs: Vec<Vec<usize>>,
    unshiftable: Vec<bool>,
    sent_start: Vec<bool>,
}

impl ArcState {
    fn new(length: usize) -> Self {
        let mut sent_start = vec![false; length];
        // A new Doc marks its first token as a sentence start.
        sent_start[0] = true;
        ArcState {
            length,
            stack: Vec::new(),
            rebuffer: Vec::new(),
            b_i: 0,
            heads: vec![-1; length],
            labels: vec![0; length],
            left_arcs: vec![Vec::new(); length],
            right_arcs: vec![Vec::new(); length],
            unshiftable: vec![false; length],
            sent_start,
        }
    }

    fn s(&self, i: usize) -> i32 {
        if i >= self.stack.len() {
            -1
        } else {
            self.stack[self.stack.len() - 1 - i] as i32
        }
    }

    fn b(&self, i: usize) -> i32 {
        if i < self.rebuffer.len() {
            self.rebuffer[self.rebuffer.len() - 1 - i] as i32
        } else {
            let b = self.b_i + (i - self.rebuffer.len());
            if b >= self.length { -1 } else { b as i32 }
        }
    }

    fn nth_child(arcs: &[Vec<usize>], head: i32, idx: usize) -> i32 {
        if head < 0 || idx < 1 {
            return -1;
        }
        let list = &arcs[head as usize];
        if idx > list.len() {
            return -1;
        }
        list[list.len() - idx] as i32
    }

    fn l(&self, head: i32, idx: usize) -> i32 {
        Self::nth_child(&self.left_arcs, head, idx)
    }

    fn r(&self, head: i32, idx: usize) -> i32 {
        Self::nth_child(&self.right_arcs, head, idx)
    }

    fn buffer_length(&self) -> usize {
        (self.length - self.b_i) + self.rebuffer.len()
    }

    fn is_final(&self) -> bool {
        self.stack.is_empty() && self.buffer_length() == 0
    }

    fn is_sent_start(&self, word: i32) -> bool {
        word >= 0 && (word as usize) < self.length && self.sent_start[word as usize]
    }

    fn context(&self, ids: &mut [i32]) {
        match ids.len() {
            8 => {
                ids[0] = self.b(0);
                ids[1] = self.b(1);
                ids[2] = self.s(0);
                ids[3] = self.s(1);
                ids[4] = self.s(2);
                ids[5] = self.l(self.b(0), 1);
                ids[6] = self.l(self.s(0), 1);
                ids[7] = self.r(self.s(0), 1);
            }
            13 => {
                ids[0] = self.b(0);
                ids[1] = self.b(1);
                ids[2] = self.s(0);
                ids[3] = self.s(1);
                ids[4] = self.s(2);
                ids[5] = self.l(self.s(0), 1);
                // spaCy assigns slot 6 twice; the second assignment wins.
                ids[6] = self.r(self.s(0), 1);
                ids[7] = self.l(self.b(0), 1);
                ids[8] = self.r(self.s(0), 2);
                ids[9] = self.l(self.s(1), 1);
                ids[10] = self.l(self.s(1), 2);
                ids[11] = self.r(self.s(1), 1);
                ids[12] = self.r(self.s(1), 2);
            }
            _ => ids.fill(-1),
        }
        for id in ids.iter_mut() {
            if *id < 0 {
                *id = -1;
            }
        }
    }

    fn shift_valid(&self) -> bool {
        if self.stack.is_empty() {
            true
        } else if self.buffer_length() < 2 || self.is_sent_start(self.b(0)) {
            false
        } else {
            let b0 = self.b(0);
            !(b0 >= 0 && self.unshiftable[b0 as usize])
        }
    }

    fn reduce_valid(&self) -> bool {
        // `cannot_sent_start` never holds without preset sentence marks.
        !self.stack.is_empty()
    }

    fn arc_valid(&self) -> bool {
        !self.stack.is_empty() && self.buffer_length() > 0 && !self.is_sent_start(self.b(0))
    }

    fn break_valid(&self) -> bool {
        if self.buffer_length() < 2 {
            return false;
        }
        let (b0, b1) = (self.b(0), self.b(1));
        b1 == b0 + 1 && !self.is_sent_start(b1)
    }

    fn push(&mut self) {
        let b0 = if let Some(b) = self.rebuffer.pop() {
            b
        } else {
            let b = self.b_i;
            self.b_i += 1;
            b
        };
        self.stack.push(b0);
    }

    fn add_arc(&mut self, head: usize, child: usize, label: usize) {
        if self.heads[child] >= 0 {
            let old = self.heads[child] as usize;
            let arcs = if old > child {
                &mut self.left_arcs[old]
            } else {
                &mut self.right_arcs[old]
            };
            // spaCy only really removes the arc when it is the head's last
            // one (its other branch edits a copy); that is always the case
            // for arc-eager without preset arcs.
            if arcs.last() == Some(&child) {
                arcs.pop();
            }
        }
        if head > child {
            self.left_arcs[head].push(child);
        } else {
            self.right_arcs[head].push(child);
        }
        self.heads[child] = head as i32;
        self.labels[child] = label;
    }

    fn apply(&mut self, m: ArcMove, label: usize) {
        match m {
            ArcMove::Shift => self.push(),
            ArcMove::Reduce => {
                let s0 = self.stack[self.stack.len() - 1];
                if self.heads[s0] >= 0 || self.stack.len() == 1 {
                    self.stack.pop();
                } else {
                    self.unshiftable[s0] = true;
                    self.rebuffer.push(s0);
                    self.stack.pop();
                }
            }
            ArcMove::Left => {
                let (b0, s0) = (self.b(0) as usize, self.s(0) as usize);
                self.add_arc(b0, s0, label);
                self.unshiftable[b0] = false;
                self.stack.pop();
            }
            ArcMove::Right => {
                let (s0, b0) = (self.s(0) as usize, self.b(0) as usize);
                self.add_arc(s0, b0, label);
                self.push();
            }
            ArcMove::Break => {
                let b1 = self.b(1) as usize;
                self.sent_start[b1] = true;
            }
        }
    }

    fn force_final(&mut self) {
        self.stack.clear();
        self.rebuffer.clear();
        self.b_i = self.length;
    }
}

/// Heads plus the derived left/right edges and sentence starts, as spaCy's
/// `Doc` keeps them (`set_children_from_heads` in `doc.pyx`).
#[derive(Debug, Clone)]
struct DocTree {
    heads: Vec<usize>,
    l_edge: Vec<usize>,
    r_edge: Vec<usize>,
    sent_start: Vec<i8>,
}

impl DocTree {
    fn new(heads: Vec<usize>) -> Self {
        let n = heads.len();
        DocTree {
            heads,
            l_edge: (0..n).collect(),
            r_edge: (0..n).collect(),
            sent_start: vec![0; n],
        }
    }

    fn set_children_from_heads(&mut self) {
        let n = self.heads.len();
        for i in 0..n {
            self.l_edge[i] = i;
            self.r_edge[i] = i;
        }
        let mut loop_count = 0;
        loop {
            let ok = self.set_lr_edges();
            if ok || loop_count > 10 {
                break;
            }
            loop_count += 1;
        }
        self.sent_start.iter_mut().for_each(|s| *s = -1);
        for i in 0..n {
            if self.heads[i] == i {
                self.sent_start[self.l_edge[i]] = 1;
            }
        }
    }

    fn set_lr_edges(&mut self) -> bool {
        let n = self.heads.len();
        for i in 0..n {
            let h = self.heads[i];
            if self.l_edge[i] < self.l_edge[h] {
                self.l_edge[h] = self.l_edge[i];
            }
            if self.r_edge[i] > self.r_edge[h] {
                self.r_edge[h] = self.r_edge[i];
            }
        }
        for i in (0..n).rev() {
            let h = self.heads[i];
            if self.r_edge[i] > self.r_edge[h] {
                self.r_edge[h] = self.r_edge[i];
            }
            if self.l_edge[i] < self.l_edge[h] {
                self.l_edge[h] = self.l_edge[i];
            }
        }
        let mut is_start = vec![false; n];
        for i in 0..n {
            if self.heads[i] == i {
                is_start[self.l_edge[i]] = true;
            }
        }
        let mut cur_start = 0usize;
        for (i, &starts) in is_start.iter().enumerate() {
            if (i > 0 && starts) || i == n - 1 {
                let cur_end = i;
                for j in cur_start..cur_end {
                    let h = self.heads[j];
                    if h < cur_start || h > cur_end {
                        return false;
                    }
                }
                cur_start = i;
            }
        }
        true
    }

    /// `Token.children` in spaCy's order: lefts within the left edge, then
    /// rights within the right edge (edges as last computed).
    fn children(&self, t: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for p in self.l_edge[t]..t {
            if self.heads[p] == t {
                out.push(p);
            }
        }
        for p in t + 1..=self.r_edge[t] {
            if self.heads[p] == t {
                out.push(p);
            }
        }
        out
    }

    /// `nonproj._find_new_head`: breadth-first from the token's head for the
    /// first descendant labelled `head_label`; the current head otherwise.
    fn find_new_head(
        &self,
        token: usize,
        head_label: &str,
        deps: &[String],
        is_space: &[bool],
    ) -> usize {
        let mut queue = vec![self.heads[token]];
        let mut budget = self.heads.len() * self.heads.len() + 16;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for &q in &queue {
                for child in self.children(q) {
                    budget = budget.saturating_sub(1);
                    if budget == 0 {
                        return self.heads[token];
                    }
                    if is_space[child] || child == token {
                        continue;
                    }
                    if deps[child] == head_label {
                        return child;
                    }
                    next.push(child);
                }
            }
            queue = next;
        }
        self.heads[token]
    }
}

/// Index of `label` in `labels`, appending it when new (moves files list labels in first-seen order).
pub(crate) fn intern_label(labels: &mut Vec<String>, label: String) -> usize {
    match labels.iter().position(|l| *l == label) {
        Some(i) => i,
        None => {
            labels.push(label);
            labels.len() - 1
        }
    }
}

/// A transition system must have exactly one move per class the model scores.
pub(crate) fn check_move_count(
    moves_path: &std::path::Path,
    moves: usize,
    classes: usize,
) -> Result<(), Error> {
    if moves == classes {
        Ok(())
    } else {
        Err(Error::Format {
            path: moves_path.to_path_buf(),
            message: format!("{moves} moves but the model scores {classes} classes"),
        })
    }
}
