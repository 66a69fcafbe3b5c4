//! The store-backed cross-document step: "here is a batch of analysed
//! documents; bring the stored timeline up to date, touching only what the
//! batch can change".
//!
//! Analysed documents are first staged ([`stage`]: kept in the store, not
//! yet visible to readers), chunk by chunk when the input is large
//! ([`ingest_stream`]), so memory holds one chunk at a time. Then, in one
//! write transaction ([`store::Write`], [`resolve_staged`]):
//! 1. the staged documents are stored with their analyses, one at a time;
//! 2. windows: the months the batch falls in are cut again by the window
//!    rule ([`resolve::window`]); every window a document enters or leaves is
//!    touched;
//! 3. entity index: each new local entity is linked by its key; a family
//!    whose set of full names changed has its lone names re-decided; every
//!    window holding a document whose entities changed is touched;
//! 4. the touched real-world entities are re-aggregated from their local entities;
//! 5. each touched window is resolved again from its stored analyses
//!    ([`crate::crossdoc::resolve_window`]) and its events and framing
//!    replaced; entities no document mentions any more are deleted.
//!
//! The work depends on the batch and its windows, never on the size of the
//! store, and the result is the one [`crate::crossdoc::build_timeline`] gives
//! from scratch over all stored documents.

use crate::crossdoc;
use crate::{Analyzer, PipelineError};
use model::{Document, Entity, StageError};
use resolve::linking::{self, FamilyName, LinkKey};
use resolve::window::{self, Density};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};
use store::{LocalEntityRow, Store, Upserted, Write};

/// What one incremental ingest did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IngestReport {
    /// New document ids.
    pub inserted: Vec<String>,
    /// Stored ids whose content changed.
    pub updated: Vec<String>,
    /// Stored ids with identical content: nothing done.
    pub unchanged: Vec<String>,
    /// Windows resolved again.
    pub windows: Vec<String>,
    /// Real-world entities re-aggregated.
    pub entities: usize,
    /// Events written for the touched windows.
    pub events: usize,
    /// Time spent storing the staged documents and their index rows.
    pub store_time: Duration,
    /// Time spent in the cross-document step proper: windows, lone names,
    /// entities, and resolving the touched windows.
    pub resolve_time: Duration,
}

/// Documents analysed per chunk by [`ingest_stream`] in the CLI.
pub const CHUNK: usize = 256;

/// Reads documents from `inputs` chunk by chunk (`chunk_size` at a time). A
/// document whose content is stored already is counted unchanged, and one
/// staged already (by an ingest that did not finish) is taken up as staged:
/// neither is analysed again. The others are analysed (in parallel) and
/// staged. Stored documents
/// without an analysis (written by an older version) are analysed too.
/// Then [`resolve_staged`] brings the timeline up to date. Memory holds one
/// chunk of documents, whatever the size of the input or of the store.
/// `done` is called once per analysed document; `failed` once per document
/// whose analysis failed (it is left out).
pub fn ingest_stream(
    store: &mut Store,
    analyzer: &Analyzer,
    inputs: impl IntoIterator<Item = Document>,
    chunk_size: usize,
    done: &(dyn Fn() + Sync),
    failed: &mut dyn FnMut(StageError),
) -> Result<IngestReport, PipelineError> {
    let mut unchanged = Vec::new();
    let chunk_size = chunk_size.max(1);
    let mut chunk = Vec::with_capacity(chunk_size);
    let mut flush = |store: &mut Store, chunk: &mut Vec<Document>| -> Result<(), PipelineError> {
        let docs = std::mem::take(chunk);
        let mut ok = Vec::with_capacity(docs.len());
        for r in analyzer.analyze_all(docs, done) {
            match r {
                Ok(d) => ok.push(d),
                Err(e) => failed(e),
            }
        }
        stage(store, &ok)
    };
    for d in inputs {
        let current = Some(d.content_hash.as_str());
        if store.staged_hash(&d.id)?.as_deref() == current {
            // staged by an ingest that did not finish: taken up below
            continue;
        }
        if let Some((hash, analysed)) = store.stored_state(&d.id)?
            && Some(hash.as_str()) == current
        {
            // one stored by an older version is analysed again below
            if analysed {
                unchanged.push(d.id);
            }
            continue;
        }
        chunk.push(d);
        if chunk.len() >= chunk_size {
            flush(store, &mut chunk)?;
        }
    }
    for id in store.unanalysed()? {
        if store.staged_hash(&id)?.is_some() {
            continue;
        }
        if let Some(d) = store.document(&id)? {
            chunk.push(d);
            if chunk.len() >= chunk_size {
                flush(store, &mut chunk)?;
            }
        }
    }
    flush(store, &mut chunk)?;
    let mut report = resolve_staged(store)?;
    report.unchanged.extend(unchanged);
    report.unchanged.sort();
    Ok(report)
}

/// Stores a batch of analysed documents and brings the timeline up to date
/// (see the module documentation): [`stage`] then [`resolve_staged`]. All
/// or nothing for the timeline: on error the documents and timeline
/// readers see are as before.
pub fn ingest(store: &mut Store, docs: Vec<Document>) -> Result<IngestReport, PipelineError> {
    stage(store, &docs)?;
    drop(docs);
    resolve_staged(store)
}

/// Keeps analysed documents in the store's staging table (one short
/// transaction) until [`resolve_staged`] takes them up; readers do not see
/// them. Staging chunk by chunk keeps one chunk in memory at a time.
pub fn stage(store: &mut Store, docs: &[Document]) -> Result<(), PipelineError> {
    Ok(store.stage(docs)?)
}

/// Takes up every staged document (in id order, one at a time) and brings
/// the timeline up to date, in one write transaction: after it, readers see
/// the new documents and the timeline resolved over them together.
pub fn resolve_staged(store: &mut Store) -> Result<IngestReport, PipelineError> {
    let started = Instant::now();
    let w = store.write()?;
    let mut report = IngestReport::default();
    let mut touched_windows: BTreeSet<String> = BTreeSet::new();
    let mut touched_entities: BTreeSet<String> = BTreeSet::new();
    let mut months: BTreeSet<String> = BTreeSet::new();
    let mut families: BTreeSet<String> = BTreeSet::new();
    let mut changed: Vec<String> = Vec::new();

    // 1. documents and their entity index rows
    for id in w.staged_ids()? {
        let Some(d) = w.take_staged(&id)? else {
            continue;
        };
        let before = w.entities_of_document(&d.id)?;
        let provisional = window::month(d.meta.date);
        match w.upsert_document(&d, &provisional)? {
            Upserted::Unchanged => {
                report.unchanged.push(d.id.clone());
                continue;
            }
            Upserted::Inserted => report.inserted.push(d.id.clone()),
            Upserted::Updated { old_window } => {
                report.updated.push(d.id.clone());
                if let Some(o) = old_window {
                    months.insert(window::month_of_window(&o).to_string());
                    touched_windows.insert(o);
                }
            }
        }
        touched_entities.extend(before);
        months.insert(provisional);
        let rows: Vec<LocalEntityRow> = d
            .layers
            .local_entities
            .iter()
            .map(|e| index_row(e, &mut families))
            .collect();
        touched_entities.extend(rows.iter().map(|r| r.entity_id.clone()));
        w.set_local_entities(&d.id, &rows)?;
        changed.push(d.id);
    }

    report.store_time = started.elapsed();
    let resolving = Instant::now();

    // 2. windows of the touched months
    for m in &months {
        recut_month(&w, m, &mut touched_windows)?;
    }
    for id in &changed {
        if let Some(win) = w.window_of(id)? {
            touched_windows.insert(win);
        }
    }

    // 3. lone names of the touched families
    for fam in &families {
        let names: BTreeSet<FamilyName> = w
            .family(fam)?
            .into_iter()
            .map(|(key, last)| FamilyName { key, last })
            .collect();
        for lone in w.lone_names(fam)? {
            let key = linking::decide_lone(&lone.token, &names);
            let id = linking::entity_id(&key);
            if id != lone.entity_id {
                w.relink(&lone.doc_id, &lone.local_id, &key, &id)?;
                touched_entities.insert(lone.entity_id.clone());
                touched_entities.insert(id);
                if let Some(win) = w.window_of(&lone.doc_id)? {
                    touched_windows.insert(win);
                }
            }
        }
    }

    // 4. real-world entities
    let mut gone = Vec::new();
    for id in &touched_entities {
        if w.refresh_entity(id, linking::aggregate)?.is_none() {
            gone.push(id);
        }
    }
    report.entities = touched_entities.len();

    // 5. windows; then entities nothing names any more
    for win in &touched_windows {
        report.events += resolve_stored_window(&w, win)?;
    }
    for id in gone {
        w.delete_entity(id)?;
    }
    report.windows = touched_windows.into_iter().collect();
    w.commit()?;
    report.resolve_time = resolving.elapsed();
    Ok(report)
}

/// The index row of a local entity, with its provisional link: a lone name
/// is linked to its own key here and re-decided with its family afterwards.
fn index_row(e: &Entity, families: &mut BTreeSet<String>) -> LocalEntityRow {
    let key = linking::link_key(e);
    let (key_str, family, last, token) = match &key {
        LinkKey::Fixed(k) => match linking::family_entry(e, &key) {
            Some((fam, entry)) => {
                families.insert(fam.clone());
                (k.clone(), Some(fam), Some(entry.last), None)
            }
            None => (k.clone(), None, None, None),
        },
        LinkKey::Lone { family, token } => {
            families.insert(family.clone());
            (
                format!("per1:{token}"),
                Some(family.clone()),
                None,
                Some(token.clone()),
            )
        }
    };
    LocalEntityRow {
        local: e.clone(),
        entity_id: linking::entity_id(&key_str),
        key: key_str,
        family,
        last,
        token,
    }
}

/// Applies the window rule to every stored document of month `m` (`YYYY-MM`
/// or `undated`), recording the windows documents enter or leave.
fn recut_month(w: &Write, m: &str, touched: &mut BTreeSet<String>) -> Result<(), PipelineError> {
    if m == window::UNDATED {
        return Ok(());
    }
    let (from, to) = (format!("{m}-01"), format!("{m}-31"));
    let docs = w.dated(&from, &to)?;
    let month_count = docs.len();
    let mut thirds: BTreeMap<u32, usize> = BTreeMap::new();
    let parsed: Vec<(String, chrono::NaiveDate, Option<String>)> = docs
        .into_iter()
        .filter_map(|(id, date, win)| Some((id, date.parse().ok()?, win)))
        .collect();
    for (_, date, _) in &parsed {
        *thirds.entry(window::third(*date)).or_default() += 1;
    }
    for (id, date, old) in parsed {
        let density = Density {
            month: month_count,
            third: thirds[&window::third(date)],
        };
        let new = window::window(Some(date), density);
        if old.as_deref() != Some(new.as_str()) {
            w.set_window(&id, &new)?;
            if let Some(o) = old {
                touched.insert(o);
            }
            touched.insert(new);
        }
    }
    Ok(())
}

/// Resolves one stored window again and replaces what it produced; returns
/// the number of events written.
fn resolve_stored_window(w: &Write, win: &str) -> Result<usize, PipelineError> {
    let mut docs = w.window_documents(win)?;
    if docs.is_empty() {
        w.clear_window(win)?;
        return Ok(0);
    }
    let r = crossdoc::resolve_window(&mut docs);
    w.replace_window(win, &docs, &r.events, &r.framing)?;
    Ok(r.events.len())
}
