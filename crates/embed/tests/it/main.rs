//! The integration tests of `embed`, one module per area, linked as one
//! test binary (one link instead of one per file: see ARCHITECTURE.md,
//! "Tests"). Run one area with `cargo test -p CRATE --test it AREA::`.

mod determinism;
mod load;
mod reference;
mod util;
