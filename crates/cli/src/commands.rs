//! One function per subcommand: library calls and printing.

use crate::{Cli, CmdResult, Command, EXIT_OK, EXIT_SOME_INPUTS_FAILED, InputArgs, StdinFormat};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use model::Document;
use pipeline::Analyzer;
use serde_json::{Value, json};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::IsTerminal;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> CmdResult {
    match cli.command {
        Command::Ingest {
            db,
            paths,
            input,
            analysis,
        } => {
            analysis.apply_threads();
            ingest_cmd(analysis.model.as_deref(), &db, &paths, input).map(|r| r.exit_code())
        }
        Command::Export {
            db,
            format,
            out,
            top,
            filter,
        } => match format.timeline_format() {
            _ if top.is_some()
                && !format
                    .timeline_format()
                    .is_some_and(export::Format::takes_top) =>
            {
                eprintln!(
                    "eventline: --top applies to --format markdown and html only; \
                     the other formats list every event (narrow them with the filters)"
                );
                Ok(crate::EXIT_USAGE)
            }
            Some(f) => export_cmd(&db, f, out.as_deref(), top, &(*filter).into()),
            None => parquet_cmd(&db, out.as_deref()),
        },
        Command::Run {
            paths,
            input,
            out,
            top,
            analysis,
        } => {
            analysis.apply_threads();
            run_cmd(analysis.model.as_deref(), &paths, input, &out, top)
        }
        Command::Annotate {
            file,
            date,
            no_tokens,
            analysis,
        } => {
            analysis.apply_threads();
            annotate_cmd(analysis.model.as_deref(), &file, date, no_tokens)
        }
        Command::Stats { db } => stats_cmd(&db),
        Command::Serve { db, addr } => serve_cmd(db, addr),
        Command::Eval { what, analysis } => {
            analysis.apply_threads();
            crate::eval_cmd::eval(analysis.model.as_deref(), what)
        }
    }
}

/// What one ingest did.
pub struct IngestSummary {
    /// Inputs (files, records or documents) that could not be read or analysed.
    pub failed: usize,
}

impl IngestSummary {
    fn exit_code(&self) -> u8 {
        if self.failed == 0 {
            EXIT_OK
        } else {
            EXIT_SOME_INPUTS_FAILED
        }
    }
}

/// One input named on the command line, listed.
enum Listed {
    /// Standard input, in the given format.
    Stdin(StdinFormat),
    /// A file or a directory's files.
    Files(ingest::Listing),
}

/// Lists the inputs (their files, not their contents), noting on stderr what
/// a walk skipped; also the number of documents they hold when every file
/// holds one (plain text, HTML), for the progress bar.
fn list_inputs(paths: &[PathBuf], input: InputArgs) -> (Vec<Listed>, Option<u64>) {
    let opts = input_options(input);
    let mut one_per_file = true;
    let mut files = 0;
    let listed = paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                one_per_file = false;
                return Listed::Stdin(input.stdin_format);
            }
            let listing = ingest::list_inputs_noted(p, &opts);
            for n in &listing.notices {
                eprintln!("eventline: note: {n}");
            }
            files += listing.files.len();
            one_per_file &= listing.files.iter().all(|f| {
                matches!(
                    ingest::Format::from_path(&f.path),
                    None | Some(ingest::Format::Txt | ingest::Format::Html)
                )
            });
            Listed::Files(listing)
        })
        .collect();
    (listed, one_per_file.then_some(files as u64))
}

/// Reading options from the command line.
fn input_options(input: InputArgs) -> ingest::IngestOptions {
    ingest::IngestOptions {
        follow_symlinks: input.follow_links,
        ..Default::default()
    }
}

/// The documents of the listed inputs, read lazily in input order: one file
/// at a time, a JSON Lines file or stdin one record at a time, so memory
/// holds what analysis has not taken yet, never the whole input. On stderr,
/// one line each: unreadable inputs (counted in `failed`), renamed ids
/// (notes), and what reading converted or could not read inside a kept
/// document (warnings). `origins` gets each document's id and where it came
/// from.
fn read_inputs<'a>(
    listed: Vec<Listed>,
    input: InputArgs,
    failed: &'a Cell<usize>,
    origins: &'a RefCell<BTreeMap<String, String>>,
    bar: &'a ProgressBar,
) -> impl Iterator<Item = Document> + 'a {
    let opts = input_options(input);
    // The same id from several inputs: later ones are renamed (`id-2`, ...).
    let mut unique = ingest::UniqueIds::default();
    listed
        .into_iter()
        .flat_map(
            move |l| -> Box<dyn Iterator<Item = Result<Document, ingest::IngestError>>> {
                match l {
                    Listed::Stdin(StdinFormat::Jsonl) => Box::new(ingest::JsonlReader::new(
                        std::io::stdin().lock(),
                        "-",
                        &opts,
                    )),
                    Listed::Stdin(StdinFormat::Csv) => {
                        Box::new(ingest::read_csv(std::io::stdin().lock(), "-", &opts).into_iter())
                    }
                    Listed::Files(listing) => {
                        let opts = opts.clone();
                        Box::new(listing.errors.into_iter().map(Err).chain(
                            listing.files.into_iter().flat_map(move |f| {
                                ingest::read_file_lazily(&f.path, Some(f.id), &opts)
                            }),
                        ))
                    }
                }
            },
        )
        .filter_map(move |r| match r {
            Ok(mut d) => {
                let origin = d.meta.path.clone().unwrap_or_else(|| "-".into());
                bar.suspend(|| {
                    for w in d
                        .layers
                        .diagnostics
                        .iter()
                        .filter(|w| w.stage == ingest::INGEST_STAGE)
                    {
                        eprintln!(
                            "eventline: warning: {origin} (document {}): {}",
                            d.id, w.message
                        );
                    }
                    if let Some((old, new)) = unique.admit(&mut d) {
                        eprintln!(
                            "eventline: note: document id {old} is used by several inputs; a later one is stored as {new}"
                        );
                    }
                });
                origins.borrow_mut().insert(d.id.clone(), origin);
                Some(d)
            }
            Err(e) => {
                bar.suspend(|| eprintln!("eventline: {e}"));
                failed.set(failed.get() + 1);
                None
            }
        })
}

/// `eventline ingest`: read, analyse new or changed documents, store them,
/// and bring the timeline up to date on the windows they touch.
pub fn ingest_cmd(
    model: Option<&Path>,
    db: &Path,
    paths: &[PathBuf],
    input: InputArgs,
) -> Result<IngestSummary> {
    let failed = Cell::new(0);
    let mut st =
        store::Store::open(db).with_context(|| format!("opening store {}", db.display()))?;
    let analyzer = Analyzer::load(model)?;

    // Inputs are read as analysis takes them, 256 documents at a time;
    // documents already stored with the same content are not analysed again,
    // documents stored by an older version without an analysis are. The
    // timeline is resolved once at the end.
    let (listed, total) = list_inputs(paths, input);
    let bar = progress(total, "analysing");
    let origins = RefCell::new(BTreeMap::new());
    let inputs = read_inputs(listed, input, &failed, &origins, &bar).inspect(|_| bar.inc(1));
    let report = pipeline::ingest_stream(
        &mut st,
        &analyzer,
        inputs,
        pipeline::incremental::CHUNK,
        &|| {},
        &mut |e| {
            bar.suspend(|| eprintln!("eventline: {e}"));
            failed.set(failed.get() + 1);
        },
    )?;
    let failed = failed.get();
    let paths_of = origins.into_inner();
    bar.finish_and_clear();
    for id in &report.updated {
        let path = paths_of.get(id).map_or("-", String::as_str);
        eprintln!("eventline: note: stored document {id} replaced by the version read from {path}");
    }
    // what the analysis of each new or replaced document noted (a time
    // expression dropped, ...); ingest's own notes were printed on reading
    for id in report.inserted.iter().chain(&report.updated) {
        let path = paths_of.get(id).map_or("-", String::as_str);
        for w in st
            .diagnostics(id)?
            .iter()
            .filter(|w| w.stage != ingest::INGEST_STAGE)
        {
            eprintln!("eventline: warning: {path} (document {id}): {}", w.message);
        }
    }
    let stats = st.stats()?;
    eprintln!(
        "eventline: {} new, {} updated, {} unchanged document(s); {} input(s) failed; \
         {} window(s) resolved; timeline: {} entities, {} events from {} documents",
        report.inserted.len(),
        report.updated.len(),
        report.unchanged.len(),
        failed,
        report.windows.len(),
        stats.entities,
        stats.events,
        stats.documents
    );
    Ok(IngestSummary { failed })
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
fn progress(len: Option<u64>, what: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len.is_some_and(|n| n < 2) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
    // without a total (records files, stdin): the count and the rate only
    let template = match len {
        Some(_) => "{msg} {bar:40} {pos}/{len} docs ({rate}, eta {left})",
        None => "{msg} {pos} docs ({rate})",
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate_text(s.per_sec()));
            })
            .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let left = s.len().unwrap_or(0).saturating_sub(s.pos());
                let _ = w.write_str(&eta_text(left, s.per_sec()));
            }),
    );
    bar.set_message(what);
    bar
}

/// A rate in whole documents per second ("12 docs/s"; "? docs/s" before
/// there is one).
fn rate_text(per_sec: f64) -> String {
    if per_sec.is_finite() && per_sec >= 0.0 {
        format!("{per_sec:.0} docs/s")
    } else {
        "? docs/s".to_string()
    }
}

/// The time `left` documents take at `per_sec`, in whole seconds ("1h 02m",
/// "3m 05s", "12s"): "?" while there is no rate yet, "> 99h" past that.
fn eta_text(left: u64, per_sec: f64) -> String {
    if left == 0 {
        return "0s".to_string();
    }
    if !per_sec.is_finite() || per_sec <= 0.0 {
        return "?".to_string();
    }
    let secs = (left as f64 / per_sec).ceil();
    if secs > 99.0 * 3600.0 {
        return "> 99h".to_string();
    }
    let secs = secs as u64;
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

/// Opens the output: a file, or stdout.
fn output(out: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match out {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

/// `eventline export`.
pub fn export_cmd(
    db: &Path,
    format: export::Format,
    out: Option<&Path>,
    top: Option<usize>,
    filter: &export::EventFilter,
) -> CmdResult {
    let mut w = output(out)?;
    export_to(db, format, &mut w, top, filter)?;
    w.flush().context("writing output")?;
    Ok(EXIT_OK)
}

/// Writes the stored timeline in one format to `w`.
fn export_to(
    db: &Path,
    format: export::Format,
    w: &mut dyn Write,
    top: Option<usize>,
    filter: &export::EventFilter,
) -> Result<()> {
    let st = store::Store::open_existing(db)
        .with_context(|| format!("opening store {}", db.display()))?;
    // documents and timeline from one committed state, whatever an ingest
    // commits meanwhile
    let _snapshot = st.snapshot()?;
    let src = crate::store_source::StoreSource::new(&st, filter.clone())?;
    export::write_from(format, &src, export::ViewOptions { top_per_day: top }, w)?;
    Ok(())
}

/// Writes one export into `dir/name` atomically: into a new temporary file
/// in `dir` (created exclusively, so an existing link is never followed),
/// then renamed over the target (which replaces a link instead of writing
/// through it).
fn export_atomic(
    db: &Path,
    format: export::Format,
    dir: &Path,
    name: &str,
    top: Option<usize>,
) -> Result<PathBuf> {
    let target = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    let written = (|| {
        let mut w = BufWriter::new(file);
        export_to(db, format, &mut w, top, &export::EventFilter::default())?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target).with_context(|| format!("replacing {}", target.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| target)
}

/// `eventline export --format parquet --out DIR`: every stored document's
/// analysis, streamed from the store by date into Parquet partitions.
pub fn parquet_cmd(db: &Path, out: Option<&Path>) -> CmdResult {
    let Some(dir) = out else {
        eprintln!("eventline: --format parquet needs --out DIR (a new or empty directory)");
        return Ok(crate::EXIT_USAGE);
    };
    let st = store::Store::open_existing(db)
        .with_context(|| format!("opening store {}", db.display()))?;
    let mut w = eventline_parquet::PartitionWriter::create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let mut failed: Option<eventline_parquet::Error> = None;
    let _snapshot = st.snapshot()?;
    st.for_each_document_by_date(|d| {
        if failed.is_none()
            && let Err(e) = w.write(&d)
        {
            failed = Some(e);
        }
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(e).with_context(|| format!("writing {}", dir.display()));
    }
    let summary = w
        .finish()
        .with_context(|| format!("writing {}", dir.display()))?;
    eprintln!(
        "eventline: wrote {} document(s) as Parquet partitions into {}",
        summary.documents,
        dir.display()
    );
    Ok(EXIT_OK)
}

/// `eventline run`: ingest into `OUT/eventline.db` (fresh) and write every format into OUT.
pub fn run_cmd(
    model: Option<&Path>,
    paths: &[PathBuf],
    input: InputArgs,
    out: &Path,
    top: Option<usize>,
) -> CmdResult {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let db = out.join("eventline.db");
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        // a link (even a dangling one) is removed, never written through
        if std::fs::symlink_metadata(&p).is_ok() {
            std::fs::remove_file(&p).with_context(|| format!("removing old {}", p.display()))?;
        }
    }
    let summary = ingest_cmd(model, &db, paths, input)?;
    for f in export::Format::ALL {
        let path = export_atomic(&db, f, out, f.file_name(), top)?;
        eprintln!("eventline: wrote {}", path.display());
    }
    Ok(summary.exit_code())
}

/// `eventline annotate`: one document's layers as JSON (`eventline/doc-1`).
pub fn annotate_cmd(
    model: Option<&Path>,
    file: &Path,
    date: Option<chrono::NaiveDate>,
    no_tokens: bool,
) -> CmdResult {
    let mut doc = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        ingest::parse_txt("-", &bytes)?
    } else {
        let mut docs = ingest::read_path(file, &ingest::IngestOptions::default());
        if docs.is_empty() {
            anyhow::bail!("{}: no document found", file.display());
        }
        docs.swap_remove(0)?
    };
    if date.is_some() {
        doc.meta.date = date;
    }
    let analyzer = Analyzer::load(model)?;
    analyzer.analyze(&mut doc)?;
    let mut docs = vec![doc];
    pipeline::build_timeline(&mut docs);
    let doc = docs.pop().context("document lost")?;
    let mut w = output(None)?;
    serde_json::to_writer_pretty(&mut w, &doc_json(&doc, !no_tokens))?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(EXIT_OK)
}

/// The `eventline/doc-1` JSON of one analysed document.
pub fn doc_json(doc: &Document, with_tokens: bool) -> Value {
    let l = &doc.layers;
    let entity_id = |i: Option<u32>| {
        i.and_then(|i| l.entities.get(i as usize))
            .and_then(|m| m.entity.clone())
    };
    let mut v = json!({
        "schema": "eventline/doc-1",
        "id": doc.id,
        "date": doc.meta.date.map(|d| d.to_string()),
        "outlet": doc.meta.outlet,
        "text": doc.text,
        "sentences": l.sentences.iter().map(|s| json!({"start": s.span.start, "end": s.span.end})).collect::<Vec<_>>(),
        "entities": l.entities.iter().map(|m| json!({
            "start": m.span.start, "end": m.span.end, "label": m.label, "entity": m.entity,
            "text": doc.span_text(m.span), "origin": m.origin,
        })).collect::<Vec<_>>(),
        "timexes": l.timexes.iter().map(|t| json!({
            "start": t.span.start, "end": t.span.end, "type": t.kind, "value": t.value,
            "text": doc.span_text(t.span),
        })).collect::<Vec<_>>(),
        "events": l.events.iter().map(|e| json!({
            "start": e.trigger.start, "end": e.trigger.end,
            "trigger": doc.span_text(e.trigger),
            "type": e.kind, "mode": e.mode, "status": e.status,
            "actors": e.actors.iter().filter_map(|a| entity_id(a.mention)).collect::<Vec<_>>(),
            "recipients": e.recipients.iter().filter_map(|a| entity_id(a.mention)).collect::<Vec<_>>(),
            "actor_text": e.actors.iter().map(|a| doc.span_text(a.span)).collect::<Vec<_>>(),
            "recipient_text": e.recipients.iter().map(|a| doc.span_text(a.span)).collect::<Vec<_>>(),
            "place": e.place.as_ref().and_then(|p| entity_id(p.mention)),
            "date": e.date, "date_precision": e.date_precision,
            "quote": e.quote.map(|q| doc.span_text(q)),
        })).collect::<Vec<_>>(),
    });
    if with_tokens {
        v["tokens"] = l
            .tokens
            .iter()
            .map(|t| {
                json!({
                    "start": t.span.start, "end": t.span.end, "tag": t.tag, "pos": t.pos,
                    "lemma": t.lemma, "head": t.head, "dep": t.dep,
                })
            })
            .collect();
    }
    v
}

/// `eventline stats`.
pub fn stats_cmd(db: &Path) -> CmdResult {
    let st = store::Store::open_existing(db)
        .with_context(|| format!("opening store {}", db.display()))?;
    let s = {
        let _snapshot = st.snapshot()?;
        st.stats()?
    };
    let rows = [
        ("schema version", u64::from(s.schema_version)),
        ("documents", s.documents),
        ("reprints (duplicate_of)", s.duplicates),
        ("sentences", s.sentences),
        ("entity mentions", s.entity_mentions),
        ("time expressions", s.timexes),
        ("event mentions", s.event_mentions),
        ("entities", s.entities),
        ("events", s.events),
        ("event sources", s.event_sources),
    ];
    let mut w = output(None)?;
    for (k, v) in rows {
        writeln!(w, "{k:<24} {v}")?;
    }
    w.flush()?;
    Ok(EXIT_OK)
}

/// `eventline serve`: the API and web UI over the store until Ctrl-C.
pub fn serve_cmd(db: PathBuf, addr: String) -> CmdResult {
    let opts = server::ServeOptions {
        addr,
        ..server::ServeOptions::new(db)
    };
    server::serve(&opts, |at| {
        if !at.ip().is_loopback() {
            eprintln!("eventline: note: listening on {at}, reachable from other machines");
        }
        eprintln!(
            "eventline: serving {} at http://{at}/ (Ctrl-C stops)",
            opts.db.display()
        );
    })?;
    eprintln!("eventline: stopped");
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_rates_are_whole_and_etas_sane() {
        for (per_sec, want) in [
            (12.345, "12 docs/s"),
            (0.4, "0 docs/s"),
            (f64::NAN, "? docs/s"),
            (f64::INFINITY, "? docs/s"),
        ] {
            assert_eq!(rate_text(per_sec), want, "{per_sec}");
        }
        for (left, per_sec, want) in [
            (0, 0.0, "0s"),
            (10, 0.0, "?"),
            (10, f64::INFINITY, "?"),
            (10, 4.0, "3s"),
            (300, 2.0, "2m 30s"),
            (7_300, 1.0, "2h 01m"),
            (1_000_000, 0.001, "> 99h"),
        ] {
            assert_eq!(eta_text(left, per_sec), want, "{left} at {per_sec}/s");
        }
    }
}
