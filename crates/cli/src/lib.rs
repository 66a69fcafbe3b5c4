//! Library side of the `eventline` binary. The pipeline itself lives in the
//! `pipeline` crate (`eventline-pipeline`); it is re-exported here for
//! callers that knew it under this crate. Nothing here prints.

pub use pipeline::analyze;
