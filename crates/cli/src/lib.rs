//! Library side of the `eventline` binary: the glue that builds the analysis
//! pipeline and runs the cross-document step, shared by the binary and the
//! pipeline benchmark. Nothing here prints.

pub mod analyze;
