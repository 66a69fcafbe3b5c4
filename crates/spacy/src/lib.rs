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
