//! eventline's one library pipeline, called by the CLI, the benchmarks,
//! `eval` and the examples alike:
//!
//! - [`analyze`]: per-document analysis, computed once per document and stored;
//! - [`crossdoc`]: the cross-document step as named stages (link entities →
//!   event mentions → stories → merge events → framing), and
//!   [`crossdoc::build_timeline`], the whole step from scratch in memory;
//! - [`incremental`]: the same stages run against the store on the windows a
//!   batch touches only, with the same result as from scratch.
//!
//! Nothing here prints.

pub mod analyze;
pub mod crossdoc;
pub mod incremental;

pub use analyze::Analyzer;
pub use crossdoc::build_timeline;
pub use incremental::{IngestReport, ingest, ingest_stream};

/// Errors of the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The spaCy model could not be found or loaded.
    #[error("{0}")]
    Model(String),
    /// A stage failed.
    #[error(transparent)]
    Stage(#[from] model::StageError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::StoreError),
}
