//! The integration tests of `temporal`, one module per area, linked as one
//! test binary (one link instead of one per file: see ARCHITECTURE.md,
//! "Tests"). Run one area with `cargo test -p CRATE --test it AREA::`.

#[path = "../../../ingest/tests/it/budget.rs"]
mod budget;
mod cases;
mod corpora;
mod fuzz;
mod parsed;
