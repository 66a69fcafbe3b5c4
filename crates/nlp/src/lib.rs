//! Per-document analysis stages: sentence segmentation, the spaCy stages,
//! time expressions and event mentions, each a `model::Stage`; and the
//! reader of the tab-separated tables the rules of this crate and of
//! `resolve` are written in (`tsv`).

pub mod events;
pub mod segment;
pub mod spacy_stage;
pub mod tsv;
