//! The integration tests of `cli`, one module per area, linked as one
//! test binary (one link instead of one per file: see ARCHITECTURE.md,
//! "Tests"). Run one area with `cargo test -p CRATE --test it AREA::`.

mod cli;
mod faults;
mod framing;
mod hostile;
mod seeds_timeline;
mod serve_api;
mod serve_browser;
mod serve_util;
mod tidy;
mod util;
