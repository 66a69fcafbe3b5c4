//! "Export this store": the store as an [`export::ExportSource`], events read
//! one at a time in timeline order, so `export` holds the documents'
//! metadata and the entities, never the whole timeline or every text.

use export::{DocumentFn, EventFilter, EventFn, ExportError, ExportSource};
use model::{Document, Entity, FramingStory};
use std::collections::BTreeMap;
use store::{Store, StoreError};

/// A store's timeline, with the events that pass `filter` only.
pub struct StoreSource<'s> {
    store: &'s Store,
    docs: Vec<Document>,
    entities: Vec<Entity>,
    framing: Vec<FramingStory>,
    filter: EventFilter,
}

impl<'s> StoreSource<'s> {
    /// Reads the documents' metadata, the entities and the framing of `store`
    /// (call inside [`Store::snapshot`] for one committed state).
    pub fn new(store: &'s Store, filter: EventFilter) -> Result<StoreSource<'s>, StoreError> {
        Ok(StoreSource {
            store,
            docs: store.document_metas()?,
            entities: store.entities()?,
            framing: store.framing()?,
            filter,
        })
    }
}

/// Why a walk over the store stopped: the store failed, or the writer did.
enum Stop {
    Store(StoreError),
    Write(ExportError),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Store(e)
    }
}

impl From<Stop> for ExportError {
    fn from(s: Stop) -> ExportError {
        match s {
            Stop::Store(e) => ExportError::Read(e.to_string()),
            Stop::Write(e) => e,
        }
    }
}

impl ExportSource for StoreSource<'_> {
    fn documents(&self) -> &[Document] {
        &self.docs
    }

    fn entities(&self) -> &[Entity] {
        &self.entities
    }

    fn framing(&self) -> &[FramingStory] {
        &self.framing
    }

    fn event_count(&self) -> Result<usize, ExportError> {
        if self.filter.is_empty() {
            return Ok(self.store.event_count().map_err(Stop::Store)?);
        }
        let mut n = 0;
        self.for_each_event(&mut |_| {
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    fn for_each_event(&self, f: &mut EventFn<'_>) -> Result<(), ExportError> {
        let by_id: BTreeMap<&str, &Document> =
            self.docs.iter().map(|d| (d.id.as_str(), d)).collect();
        Ok(self.store.for_each_event(|e| {
            if self.filter.is_empty() || self.filter.matches(&e, &by_id) {
                f(&e).map_err(Stop::Write)?;
            }
            Ok::<(), Stop>(())
        })?)
    }

    fn for_each_document(&self, f: &mut DocumentFn<'_>) -> Result<(), ExportError> {
        Ok(self
            .store
            .for_each_document(false, |d| f(&d).map_err(Stop::Write))?)
    }
}
