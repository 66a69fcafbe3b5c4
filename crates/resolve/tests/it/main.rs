//! The integration tests of `resolve`, one module per area, linked as one
//! test binary (one link instead of one per file: see ARCHITECTURE.md,
//! "Tests"). Run one area with `cargo test -p CRATE --test it AREA::`.

mod entities_names;
mod entities_seeds;
mod events;
mod framing;
mod geo_labels;
