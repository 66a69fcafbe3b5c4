//! A pure-Rust implementation of spaCy v3's CNN pipeline inference
//! (tokenizer, tok2vec, tagger, dependency parser, NER, lemmatizer) that loads
//! a spaCy pipeline directory as shipped and reproduces spaCy's output.

pub mod attribute_ruler;
pub mod hash;
pub mod lemmatizer;
pub mod lex;
pub mod ner;
pub mod ops;
pub mod parser;
pub mod pipeline;
pub mod tagger;
pub mod tok2vec;
pub mod tokenizer;
pub mod weights;

use std::path::PathBuf;

/// Errors from loading or running a spaCy pipeline.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A model file is not in the expected format.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
