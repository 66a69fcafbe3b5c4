//! Per-document analysis stages: sentence segmentation, the spaCy stages,
//! time expressions and event mentions, each a `model::Stage`.

pub mod events;
pub mod segment;
pub mod spacy_stage;
