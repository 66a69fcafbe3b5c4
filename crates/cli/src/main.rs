//! `eventline`: reads news articles from many outlets and writes one
//! deduplicated, source-cited timeline of events.
//!
//! This binary is argument parsing plus glue; the work lives in the library
//! crates. Only this crate prints.

mod commands;
mod eval_cmd;
mod store_source;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status when every input was read and the command succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit status when some inputs could not be read (each reported on stderr); the rest were processed.
pub const EXIT_SOME_INPUTS_FAILED: u8 = 1;
/// Exit status for a wrong command line.
pub const EXIT_USAGE: u8 = 2;
/// Exit status for a fatal error (store or model cannot be opened, output cannot be written).
pub const EXIT_FATAL: u8 = 3;

/// One deduplicated, source-cited timeline of events from many news articles.
#[derive(Parser, Debug)]
#[command(name = "eventline", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The options of the subcommands that analyse documents (`ingest`, `run`,
/// `annotate`, `eval`); the others read the store only and do not offer them.
#[derive(Args, Debug, Clone, Default)]
pub struct AnalysisArgs {
    /// Worker threads for per-document analysis (default: all cores). Output does not depend on it.
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// spaCy pipeline directory (default: the bundled en_core_web_sm 3.8.0).
    #[arg(long, global = true, env = "EVENTLINE_MODEL")]
    pub model: Option<PathBuf>,
}

impl AnalysisArgs {
    /// Sizes the global thread pool, once, before any analysis.
    fn apply_threads(&self) {
        if let Some(n) = self.threads {
            // Errors only if a global pool already exists, which cannot happen here.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
    }
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles (files, directories, or - for JSON Lines on stdin), analyse them and store them.
    Ingest {
        /// SQLite store.
        #[arg(long, default_value = "eventline.db")]
        db: PathBuf,
        /// Files, directories (recursive) or - for JSON Lines on stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How inputs are read.
        #[command(flatten)]
        input: InputArgs,
        /// Threads and model.
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Write the stored timeline.
    Export {
        /// SQLite store.
        #[arg(long, default_value = "eventline.db")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Json)]
        format: FormatArg,
        /// Output file (default: stdout); for Parquet, the output directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Markdown and HTML only: show at most N events per day, ranked by
        /// independent sources (refused with the other formats, which list
        /// every event).
        #[arg(long)]
        top: Option<usize>,
        /// Only the events that pass these filters (those of `GET /api/events`).
        #[command(flatten)]
        filter: Box<FilterArgs>,
    },
    /// Ingest PATHs into a fresh store in DIR and write every export format there.
    Run {
        /// Files, directories (recursive) or - for JSON Lines on stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How inputs are read.
        #[command(flatten)]
        input: InputArgs,
        /// Output directory (created if missing).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Markdown and HTML only: show at most N events per day (the
        /// other formats list every event).
        #[arg(long)]
        top: Option<usize>,
        /// Threads and model.
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Analyse one document without storing it and print its layers as JSON.
    Annotate {
        /// A .txt/.json/.jsonl file, or - for text on stdin.
        file: PathBuf,
        /// Article date (overrides or supplies the header's date).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Leave the token layer out.
        #[arg(long)]
        no_tokens: bool,
        /// Threads and model.
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
    /// Serve the store read-only: a JSON API under /api/ and a web UI at /, until Ctrl-C.
    Serve {
        /// SQLite store.
        #[arg(long, default_value = "eventline.db")]
        db: PathBuf,
        /// HOST:PORT to listen on (loopback unless told; port 0 picks a free one).
        #[arg(long, default_value = server::ServeOptions::DEFAULT_ADDR)]
        addr: String,
    },
    /// Print counts of what the store holds.
    Stats {
        /// SQLite store.
        #[arg(long, default_value = "eventline.db")]
        db: PathBuf,
    },
    /// Score a component against gold-annotated data.
    Eval {
        #[command(subcommand)]
        /// Which evaluation.
        what: EvalCommand,
        /// Threads and model.
        #[command(flatten)]
        analysis: AnalysisArgs,
    },
}

/// Event filters of `export`, named and meant as the parameters of `GET /api/events`.
#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// Words that must all begin a word of the headline or a source sentence.
    #[arg(long)]
    q: Option<String>,
    /// Entity id as actor or recipient.
    #[arg(long)]
    actor: Option<String>,
    /// Entity id in any role, place included.
    #[arg(long)]
    entity: Option<String>,
    /// Entity id of the place.
    #[arg(long)]
    place: Option<String>,
    /// Exact outlet name of a citing article.
    #[arg(long)]
    outlet: Option<String>,
    /// PLOVER event type (CONSULT, ASSAULT, ...).
    #[arg(long = "type")]
    kind: Option<String>,
    /// occurred, planned, ongoing or claimed.
    #[arg(long)]
    status: Option<String>,
    /// ISO date: events on or after it.
    #[arg(long)]
    from: Option<String>,
    /// ISO date: events on or before it.
    #[arg(long)]
    to: Option<String>,
}

impl From<FilterArgs> for export::EventFilter {
    fn from(f: FilterArgs) -> Self {
        export::EventFilter {
            q: f.q,
            actor: f.actor,
            entity: f.entity,
            place: f.place,
            outlet: f.outlet,
            kind: f.kind,
            status: f.status,
            from: f.from,
            to: f.to,
        }
    }
}

/// How inputs are read.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct InputArgs {
    /// Follow symbolic links inside directories (with loop detection); by default they are skipped with a notice.
    #[arg(long)]
    pub follow_links: bool,
    /// Format of the records read from stdin (`-`).
    #[arg(long, value_enum, default_value_t = StdinFormat::Jsonl)]
    pub stdin_format: StdinFormat,
}

/// Record formats accepted on stdin.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinFormat {
    /// JSON Lines, one record per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// Evaluations against the development corpora.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// TempEval-3 metrics for time expressions on a directory of TimeML files (or MEANTIME with --meantime).
    Timeml {
        /// Directory (searched recursively).
        dir: PathBuf,
        /// The directory is MEANTIME (tokens and TIMEX3 markables) rather than TimeML.
        #[arg(long)]
        meantime: bool,
    },
    /// Sentence-boundary accuracy on MEANTIME's sentence annotation.
    Sentences {
        /// MEANTIME directory.
        dir: PathBuf,
    },
    /// Entity mention detection and cross-document entity coreference on MEANTIME.
    Meantime {
        /// MEANTIME directory.
        dir: PathBuf,
    },
    /// Cross-document event merging on ECB+ (article pairs sharing a merged event).
    Ecbplus {
        /// ECB+ directory.
        dir: PathBuf,
    },
    /// PLOVER event-type accuracy on PLOVER gold records.
    Plover {
        /// The PLOVER_GSR_CAMEO JSON file or its directory.
        path: PathBuf,
    },
}

/// Export formats on the command line.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// The timeline JSON contract.
    Json,
    /// Events, one JSON object per line.
    Jsonl,
    /// Events, one row each.
    Csv,
    /// Dated list with outlets.
    Markdown,
    /// Self-contained HTML report.
    Html,
    /// TimelineJS3 JSON.
    Timelinejs,
    /// GeoJSON FeatureCollection of geocoded events.
    Geojson,
    /// PLOVER-style event records, one JSON object per line.
    Plover,
    /// The per-document analyses as Parquet partitions by month (`--out DIR`,
    /// a new or empty directory), for DuckDB, DataFusion or Spark.
    Parquet,
}

impl FormatArg {
    /// The timeline writer of this format; `None` for Parquet, which writes
    /// documents, not the timeline.
    fn timeline_format(self) -> Option<export::Format> {
        Some(match self {
            FormatArg::Json => export::Format::Json,
            FormatArg::Jsonl => export::Format::Jsonl,
            FormatArg::Csv => export::Format::Csv,
            FormatArg::Markdown => export::Format::Markdown,
            FormatArg::Html => export::Format::Html,
            FormatArg::Timelinejs => export::Format::TimelineJs,
            FormatArg::Geojson => export::Format::GeoJson,
            FormatArg::Plover => export::Format::Plover,
            FormatArg::Parquet => return None,
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        // the reader of our output went away (`eventline export | head -1`):
        // nothing is wrong, and there is no one left to tell
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("eventline: error: {}", error_chain(&e));
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// True when a cause of `e` is a write to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The causes of `e`, outermost first, joined by ": ", each said once: a
/// cause whose text an earlier one already includes (libraries often print
/// their source inside their own message) is left out.
fn error_chain(e: &anyhow::Error) -> String {
    let mut said: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || said.iter().any(|s| s.contains(&text)) {
            continue;
        }
        said.push(text);
    }
    said.join(": ")
}

/// Result of a command: the exit status to return.
pub type CmdResult = Result<u8>;
