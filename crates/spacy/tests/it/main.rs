//! The integration tests of `spacy`, one module per area, linked as one
//! test binary (one link instead of one per file: see ARCHITECTURE.md,
//! "Tests"). Run one area with `cargo test -p CRATE --test it AREA::`.

mod lemma_parity;
mod pipeline_parity;
mod tokenizer_cases;
mod tokenizer_parity;
