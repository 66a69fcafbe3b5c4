//! spaCy's CNN token encoder (`spacy.Tok2Vec.v2` = `MultiHashEmbed` +
//! `MaxoutWindowEncoder`).
//!
//! * Embedding: for each feature column (NORM, PREFIX, SUFFIX, SHAPE, SPACY,
//!   IS_SPACE, ...) a `HashEmbed` table sums the four rows chosen by thinc's
//!   128-bit murmur hash of the feature id (seeded per table); the tables'
//!   outputs are concatenated and mixed by `Maxout` + `LayerNorm`.
//! * Encoder: `depth` residual blocks of `expand_window` (seq2col) →
//!   `Maxout` → `LayerNorm`, run over the document padded with
//!   `window·depth` zero rows on each side, exactly as thinc's
//!   `with_array(pad=...)` does.

use std::collections::HashMap;

use crate::Error;
use crate::hash::hashembed_keys;
use crate::ops;
use crate::ops::gemm::PackedMatrix;
use crate::weights::ModelTree;
use rustc_hash::FxBuildHasher;

/// A token attribute used as an embedding feature (spaCy attribute names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureAttr {
    /// `ORTH`: the verbatim text.
    Orth,
    /// `LOWER`: lower-cased text.
    Lower,
    /// `NORM`: the norm (exceptions / lookups applied).
    Norm,
    /// `PREFIX`: first character.
    Prefix,
    /// `SUFFIX`: last three characters.
    Suffix,
    /// `SHAPE`: word shape.
    Shape,
    /// `SPACY`: whether whitespace follows (0/1).
    Spacy,
    /// `IS_SPACE`: whether the token is whitespace (0/1).
    IsSpace,
}

impl FeatureAttr {
    /// Parses a spaCy attribute name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "ORTH" => Self::Orth,
            "LOWER" => Self::Lower,
            "NORM" => Self::Norm,
            "PREFIX" => Self::Prefix,
            "SUFFIX" => Self::Suffix,
            "SHAPE" => Self::Shape,
            "SPACY" => Self::Spacy,
            "IS_SPACE" => Self::IsSpace,
            _ => return None,
        })
    }
}

/// The feature ids of one token (string ids from [`crate::hash::string_id`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenFeatures {
    /// `ORTH` id.
    pub orth: u64,
    /// `LOWER` id.
    pub lower: u64,
    /// `NORM` id.
    pub norm: u64,
    /// `PREFIX` id.
    pub prefix: u64,
    /// `SUFFIX` id.
    pub suffix: u64,
    /// `SHAPE` id.
    pub shape: u64,
    /// Whitespace follows the token.
    pub spacy: bool,
    /// The token is whitespace.
    pub is_space: bool,
}

impl TokenFeatures {
    /// The value of one attribute, as spaCy's `Doc.to_array` gives it.
    pub fn get(&self, attr: FeatureAttr) -> u64 {
        match attr {
            FeatureAttr::Orth => self.orth,
            FeatureAttr::Lower => self.lower,
            FeatureAttr::Norm => self.norm,
            FeatureAttr::Prefix => self.prefix,
            FeatureAttr::Suffix => self.suffix,
            FeatureAttr::Shape => self.shape,
            FeatureAttr::Spacy => u64::from(self.spacy),
            FeatureAttr::IsSpace => u64::from(self.is_space),
        }
    }
}

/// One `HashEmbed` table and where its output goes in the concatenation.
#[derive(Debug, Clone)]
struct HashEmbed {
    column: usize,
    seed: u32,
    rows: usize,
    dim: usize,
    offset: usize,
    /// rows × dim
    table: Vec<f32>,
}

/// `Maxout` (with `LayerNorm`) weights, packed with the outputs reordered
/// piece-major (see [`ops::piece_major_order`]).
#[derive(Debug, Clone)]
struct MaxoutLn {
    n_out: usize,
    n_pieces: usize,
    n_in: usize,
    /// (n_pieces·n_out) × n_in, with the bias.
    w: PackedMatrix,
    g: Vec<f32>,
    ln_b: Vec<f32>,
}

impl MaxoutLn {
    /// `dst (=|+=) LayerNorm(maxout(a · Wᵀ + b))` for `m` rows of `a`
    /// (row `i` at `a[i·lda..]`).
    fn forward(&self, m: usize, a: &[f32], lda: usize, dst: &mut [f32], residual: bool) {
        let mut hid = ops::scratch(m * self.w.n());
        self.w.matmul(m, a, lda, &mut hid);
        ops::maxout_layer_norm(&hid, self.n_pieces, &self.g, &self.ln_b, dst, residual);
    }
}

/// A loaded `Tok2Vec` model.
#[derive(Debug, Clone)]
pub struct Tok2Vec {
    columns: Vec<FeatureAttr>,
    embeds: Vec<HashEmbed>,
    mix: MaxoutLn,
    blocks: Vec<MaxoutLn>,
    window: usize,
    pad: usize,
}

fn load_maxout_ln(tree: &ModelTree, mo: usize, ln: usize) -> Result<MaxoutLn, Error> {
    let w = tree.param(mo, "W", 3)?;
    let b = tree.param(mo, "b", 2)?;
    let (n_out, n_pieces, n_in) = (w.shape[0], w.shape[1], w.shape[2]);
    if b.shape != [n_out, n_pieces] {
        return Err(tree.err(format!("maxout bias shape {:?}", b.shape)));
    }
    let g = tree.param(ln, "G", 1)?;
    let lb = tree.param(ln, "b", 1)?;
    if g.shape[0] != n_out || lb.shape[0] != n_out {
        return Err(tree.err("layernorm width differs from maxout output"));
    }
    let order = ops::piece_major_order(n_out, n_pieces);
    Ok(MaxoutLn {
        n_out,
        n_pieces,
        n_in,
        w: PackedMatrix::with_row_order(n_in, &w.data, Some(&b.data), &order),
        g: g.data.clone(),
        ln_b: lb.data.clone(),
    })
}

impl Tok2Vec {
    /// Builds the encoder from the `Tok2Vec` layers found in `tree` (a
    /// `tok2vec/model` file, or a component model that embeds its own
    /// `Tok2Vec`, such as the NER's).
    pub fn from_tree(tree: &ModelTree) -> Result<Self, Error> {
        let fe = tree.find("extract_features");
        let &fe = fe.first().ok_or_else(|| {
            tree.err("no extract_features layer (static vectors or a custom embed?)")
        })?;
        let col_names = tree.nodes[fe]
            .attr_strings("columns")
            .ok_or_else(|| tree.err("extract_features without columns"))?;
        let columns = col_names
            .iter()
            .map(|c| {
                FeatureAttr::from_name(c)
                    .ok_or_else(|| tree.err(format!("unsupported feature attribute {c}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if columns.len() > MAX_COLUMNS {
            return Err(tree.err(format!("more than {MAX_COLUMNS} feature columns")));
        }
        if !tree.find("static_vectors").is_empty() {
            return Err(tree.err("static vectors (include_static_vectors) are not supported"));
        }
        let maxouts = tree.find("maxout");
        let norms = tree.find("layernorm");
        if maxouts.len() != norms.len() || maxouts.is_empty() {
            return Err(tree.err("expected one layernorm per maxout"));
        }
        let hashembeds = tree.find("hashembed");
        if hashembeds.is_empty() {
            return Err(tree.err("no hashembed layers"));
        }
        let mix = load_maxout_ln(tree, maxouts[0], norms[0])?;
        let mut blocks = Vec::new();
        for (&mo, &ln) in maxouts[1..].iter().zip(&norms[1..]) {
            blocks.push(load_maxout_ln(tree, mo, ln)?);
        }
        let width = mix.n_out;
        let window = tree
            .find("expand_window")
            .first()
            .and_then(|&i| tree.nodes[i].attr_i64("window_size"))
            .unwrap_or(1) as usize;
        for b in &blocks {
            if b.n_out != width || b.n_in != width * (2 * window + 1) {
                return Err(tree.err("encoder block shape does not match width/window"));
            }
        }
        let pad = tree
            .nodes
            .iter()
            .find(|n| n.name.starts_with("with_array(residual"))
            .and_then(|n| n.attr_i64("pad"))
            .map(|p| p as usize)
            .unwrap_or(window * blocks.len());
        let mut embeds = Vec::new();
        let mut offset = 0;
        for &he in &hashembeds {
            let node = &tree.nodes[he];
            let e = tree.param(he, "E", 2)?;
            let (rows, dim) = (e.shape[0], e.shape[1]);
            let seed = node
                .attr_i64("seed")
                .ok_or_else(|| tree.err("hashembed without seed"))? as u32;
            let column =
                node.attr_i64("column")
                    .ok_or_else(|| tree.err("hashembed without column"))? as usize;
            if column >= columns.len() {
                return Err(tree.err(format!("hashembed column {column} out of range")));
            }
            if offset + dim > mix.n_in {
                return Err(tree.err("hashembed widths exceed the mixing layer input"));
            }
            embeds.push(HashEmbed {
                column,
                seed,
                rows,
                dim,
                offset,
                table: e.data.clone(),
            });
            offset += dim;
        }
        if offset != mix.n_in {
            return Err(tree.err("hashembed widths do not add up to the mixing layer input"));
        }
        Ok(Tok2Vec {
            columns,
            embeds,
            mix,
            blocks,
            window,
            pad,
        })
    }

    /// The output width.
    pub fn width(&self) -> usize {
        self.mix.n_out
    }

    /// The feature attributes this model reads, in column order.
    pub fn columns(&self) -> &[FeatureAttr] {
        &self.columns
    }

    /// Encodes one document: returns `tokens.len() × width` vectors.
    ///
    /// The embedding and mixing layer sees each token alone, so it runs once
    /// per distinct feature tuple of the document and is copied to the
    /// other tokens (each output row is computed the same way whatever the
    /// batch, so this changes no bit).
    pub fn forward(&self, tokens: &[TokenFeatures]) -> Vec<f32> {
        let n = tokens.len();
        let w = self.width();
        if n == 0 {
            return Vec::new();
        }
        let pad = self.pad;
        let rows = n + 2 * pad;
        let win = self.window;
        let (uniq, slot) = self.distinct(tokens);
        // Embedding: each table sums the four rows its hash keys pick; the
        // tables' outputs are concatenated, then mixed by one matrix product.
        let n_cat = self.mix.n_in;
        let mut cat = ops::scratch(uniq.len() * n_cat);
        self.embed(&uniq, &mut cat);
        let mut mixed = ops::scratch(uniq.len() * w);
        self.mix.forward(uniq.len(), &cat, n_cat, &mut mixed, false);
        drop(cat);
        // The padded sequence with `window` extra zero rows on each side:
        // the window of output row i is the contiguous run of rows
        // i .. i + 2·window + 1, so the blocks read it in place (thinc's
        // seq2col pads with zeros the same way).
        let mut x = ops::scratch((rows + 2 * win) * w);
        x.fill(0.0);
        let first = (win + pad) * w;
        for (dst, &u) in x[first..first + n * w].chunks_exact_mut(w).zip(&slot) {
            let u = u as usize;
            dst.copy_from_slice(&mixed[u * w..(u + 1) * w]);
        }
        drop(mixed);
        let body = win * w;
        for block in &self.blocks {
            let mut hid = ops::scratch(rows * block.w.n());
            block.w.matmul(rows, &x, w, &mut hid);
            ops::maxout_layer_norm(
                &hid,
                block.n_pieces,
                &block.g,
                &block.ln_b,
                &mut x[body..body + rows * w],
                true,
            );
        }
        x[first..first + n * w].to_vec()
    }

    /// The distinct feature tuples of `tokens` (as read by the tables), in
    /// order of first occurrence, and each token's index among them.
    fn distinct(&self, tokens: &[TokenFeatures]) -> (Vec<[u64; MAX_COLUMNS]>, Vec<u32>) {
        let mut seen: HashMap<[u64; MAX_COLUMNS], u32, FxBuildHasher> =
            HashMap::with_capacity_and_hasher(tokens.len(), FxBuildHasher);
        let mut uniq = Vec::new();
        let slot = tokens
            .iter()
            .map(|t| {
                let mut key = [0u64; MAX_COLUMNS];
                for (k, &c) in key.iter_mut().zip(&self.columns) {
                    *k = t.get(c);
                }
                *seen.entry(key).or_insert_with(|| {
                    uniq.push(key);
                    (uniq.len() - 1) as u32
                })
            })
            .collect();
        (uniq, slot)
    }

    /// The concatenated `HashEmbed` outputs (`keys.len() × n_cat`) of the
    /// feature tuples `keys` (values in column order).
    fn embed(&self, keys: &[[u64; MAX_COLUMNS]], cat: &mut [f32]) {
        let n_cat = self.mix.n_in;
        let ne = self.embeds.len();
        // Row indices of every (tuple, table), 4 each.
        let mut idx = vec![0u32; keys.len() * ne * 4];
        for (t, key) in keys.iter().enumerate() {
            for (e, emb) in self.embeds.iter().enumerate() {
                let hashed = hashembed_keys(key[emb.column], emb.seed);
                let dst = &mut idx[(t * ne + e) * 4..(t * ne + e + 1) * 4];
                for (d, k) in dst.iter_mut().zip(hashed) {
                    *d = (k as usize % emb.rows) as u32;
                }
            }
        }
        const AHEAD: usize = 4;
        for t in 0..keys.len() {
            if t + AHEAD < keys.len() {
                for (e, emb) in self.embeds.iter().enumerate() {
                    for &r in &idx[((t + AHEAD) * ne + e) * 4..((t + AHEAD) * ne + e + 1) * 4] {
                        let r = r as usize;
                        ops::prefetch(&emb.table[r * emb.dim..(r + 1) * emb.dim]);
                    }
                }
            }
            for (e, emb) in self.embeds.iter().enumerate() {
                let dst = &mut cat[t * n_cat + emb.offset..t * n_cat + emb.offset + emb.dim];
                let rows = &idx[(t * ne + e) * 4..(t * ne + e + 1) * 4];
                ops::sum_rows(&emb.table, emb.dim, rows, dst);
            }
        }
    }
}

/// Most feature columns a `Tok2Vec` may read (every [`FeatureAttr`]).
const MAX_COLUMNS: usize = 8;
