//! The store-backed cross-document step: "here is a batch of analysed
//! documents; bring the stored timeline up to date, touching only what the
//! batch can change".
//!
//! In one write transaction ([`store::Write`]):
//! 1. the batch's documents are stored with their analyses;
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

use crate::PipelineError;
use crate::crossdoc;
use model::{Document, Entity};
use resolve::linking::{self, FamilyName, LinkKey};
use resolve::window::{self, Density};
use std::collections::{BTreeMap, BTreeSet};
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
}

/// Stores a batch of analysed documents and brings the timeline up to date
/// (see the module documentation). All or nothing: on error the store is
/// as before.
pub fn ingest(store: &mut Store, mut docs: Vec<Document>) -> Result<IngestReport, PipelineError> {
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let w = store.write()?;
    let mut report = IngestReport::default();
    let mut touched_windows: BTreeSet<String> = BTreeSet::new();
    let mut touched_entities: BTreeSet<String> = BTreeSet::new();
    let mut months: BTreeSet<String> = BTreeSet::new();
    let mut changed: Vec<&Document> = Vec::new();

    // 1. documents
    for d in &docs {
        let before = w.entities_of_document(&d.id)?;
        let provisional = window::month(d.meta.date);
        match w.upsert_document(d, &provisional)? {
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
        changed.push(d);
    }

    // 2. windows of the touched months
    for m in &months {
        recut_month(&w, m, &mut touched_windows)?;
    }
    for d in &changed {
        if let Some(win) = w.window_of(&d.id)? {
            touched_windows.insert(win);
        }
    }

    // 3. entity index
    let mut families: BTreeSet<String> = BTreeSet::new();
    for d in &changed {
        let rows: Vec<LocalEntityRow> = d
            .layers
            .local_entities
            .iter()
            .map(|e| index_row(e, &mut families))
            .collect();
        touched_entities.extend(rows.iter().map(|r| r.entity_id.clone()));
        w.set_local_entities(&d.id, &rows)?;
    }
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
