//! The cross-document step as named, typed stages:
//!
//! 1. [`link_entities`]: each document's local entities to real-world
//!    entities, by link key ([`resolve::linking`]);
//! 2. [`event_mentions`]: the event mentions' participants now name those
//!    real-world entities;
//! 3. [`stories`]: which articles of a window tell the same story (computed
//!    once, shared by the next two);
//! 4. [`merge_events`]: one event per real-world event, citing every source;
//! 5. [`framing`]: who says what, per story and outlet.
//!
//! Stages 3-5 run on one window of documents at a time ([`resolve_window`];
//! the window rule is [`resolve::window`]). [`build_timeline`] runs all of
//! them from scratch in memory over a set of analysed documents; the
//! store-backed [`crate::incremental`] runs the same stages on the windows a
//! batch touches and gives the same result.

use model::{Document, Entity, Event, FramingStory, Timeline};
use resolve::events::stories::Params;
use resolve::linking::{self, FamilyName, LinkKey};
use resolve::window::{self, Density};
use std::collections::{BTreeMap, BTreeSet};

/// A local entity's place in the archive: (document id, local entity id).
pub type LocalRef = (String, String);

/// Real-world entities and which local entity belongs to which.
#[derive(Debug, Default)]
pub struct Linking {
    /// Global entity id of every local entity.
    pub ids: BTreeMap<LocalRef, String>,
    /// The real-world entities, by id.
    pub entities: BTreeMap<String, Entity>,
}

/// The family index built from a set of documents: full person names by the
/// skeleton of their family name.
pub fn family_index(docs: &[Document]) -> BTreeMap<String, BTreeSet<FamilyName>> {
    let mut index: BTreeMap<String, BTreeSet<FamilyName>> = BTreeMap::new();
    for d in docs {
        for e in &d.layers.local_entities {
            if let Some((fam, entry)) = linking::family_entry(e, &linking::link_key(e)) {
                index.entry(fam).or_default().insert(entry);
            }
        }
    }
    index
}

/// The fixed key a local entity links by, given the family index.
pub fn resolved_key(e: &Entity, index: &BTreeMap<String, BTreeSet<FamilyName>>) -> String {
    match linking::link_key(e) {
        LinkKey::Fixed(k) => k,
        LinkKey::Lone { family, token } => {
            let empty = BTreeSet::new();
            linking::decide_lone(&token, index.get(&family).unwrap_or(&empty))
        }
    }
}

/// Stage 1, from scratch: links every local entity of `docs`.
pub fn link_entities(docs: &[Document]) -> Linking {
    let index = family_index(docs);
    let mut groups: BTreeMap<String, Vec<&Entity>> = BTreeMap::new();
    let mut ids = BTreeMap::new();
    for d in docs {
        for e in &d.layers.local_entities {
            let id = linking::entity_id(&resolved_key(e, &index));
            ids.insert((d.id.clone(), e.id.clone()), id.clone());
            groups.entry(id).or_default().push(e);
        }
    }
    let entities = groups
        .into_iter()
        .map(|(id, locals)| {
            let e = linking::aggregate(&id, &locals);
            (id, e)
        })
        .collect();
    Linking { ids, entities }
}

/// Stage 2: every entity mention of `doc` (and so every event participant,
/// which points at one) names its real-world entity instead of its local one.
pub fn event_mentions(doc: &mut Document, global: impl Fn(&str) -> Option<String>) {
    for m in &mut doc.layers.entities {
        m.entity = m.entity.as_deref().and_then(&global);
    }
    for e in &mut doc.layers.local_entities {
        if let Some(g) = global(&e.id) {
            e.id = g;
        }
    }
}

/// The real-world entities as a window's documents tell them: each one
/// aggregated over the window's local entities only (after stage 2 their
/// ids are the real-world ids). Headlines name entities this way, so a
/// window's events depend on the window alone: how other windows spell a
/// name never changes them.
pub fn window_entities(docs: &[Document]) -> Vec<Entity> {
    let mut groups: BTreeMap<&str, Vec<&Entity>> = BTreeMap::new();
    for d in docs {
        for e in &d.layers.local_entities {
            groups.entry(e.id.as_str()).or_default().push(e);
        }
    }
    groups
        .into_iter()
        .map(|(id, locals)| linking::aggregate(id, &locals))
        .collect()
}

/// Stage 3: the story of each document of a window (`stories[i]` is the
/// story number of `docs[i]`).
pub fn stories(docs: &[Document], params: &Params) -> Vec<usize> {
    resolve::events::stories::cluster_documents_with(docs, params)
}

/// Stage 4: the window's events, with content-derived ids (`v` and a hash
/// of the earliest source: document id and trigger offset).
pub fn merge_events(docs: &[Document], stories: &[usize], entities: &[Entity]) -> Vec<Event> {
    let mut events = resolve::events::merge_in(docs, entities, stories);
    for e in &mut events {
        let first = e
            .sources
            .iter()
            .map(|s| (s.doc.as_str(), s.trigger_start))
            .min()
            .expect("an event has a source");
        e.id = format!(
            "v{:012x}",
            linking::fnv1a(format!("{}\u{0}{}", first.0, first.1).as_bytes()) >> 16
        );
    }
    events
}

/// Stage 5: the window's framing stories, with content-derived ids (`s`
/// and a hash of the story's smallest document id).
pub fn framing(docs: &[Document], stories: &[usize]) -> Vec<FramingStory> {
    let mut out = resolve::framing::compare_in(docs, stories, resolve::framing::Lexicon::bundled());
    for s in &mut out {
        let first = s
            .documents
            .iter()
            .map(|d| d.doc.as_str())
            .min()
            .unwrap_or("");
        s.id = format!("s{:012x}", linking::fnv1a(first.as_bytes()) >> 16);
    }
    out
}

/// What resolving one window gives.
#[derive(Debug, Default)]
pub struct WindowResult {
    /// The window's events.
    pub events: Vec<Event>,
    /// The window's framing stories.
    pub framing: Vec<FramingStory>,
}

/// Stages 3-5 over one window. `docs` must carry global entity ids (stage
/// 2); they are sorted by id and their reprint links (`duplicate_of`) are set
/// within the window. Entities are named as the window tells them
/// ([`window_entities`]).
pub fn resolve_window(docs: &mut [Document]) -> WindowResult {
    resolve_window_with(docs, &Params::default())
}

/// [`resolve_window`] with the story clustering's weights and thresholds given (tuning).
pub fn resolve_window_with(docs: &mut [Document], params: &Params) -> WindowResult {
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    ingest::dedup::mark_duplicates(docs);
    let entities = window_entities(docs);
    let entities = entities.as_slice();
    let s = stories(docs, params);
    WindowResult {
        events: merge_events(docs, &s, entities),
        framing: framing(docs, &s),
    }
}

/// Timeline order: events by date (nulls last), then id.
pub fn timeline_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    (a.date.is_none(), &a.date, &a.id).cmp(&(b.date.is_none(), &b.date, &b.id))
}

/// The window of each document of a set, by the window rule over the set's dates.
pub fn windows_of(docs: &[Document]) -> Vec<String> {
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    let mut thirds: BTreeMap<(String, u32), usize> = BTreeMap::new();
    for d in docs {
        if let Some(date) = d.meta.date {
            *months.entry(window::month(Some(date))).or_default() += 1;
            *thirds
                .entry((window::month(Some(date)), window::third(date)))
                .or_default() += 1;
        }
    }
    docs.iter()
        .map(|d| {
            let density = d.meta.date.map_or(Density::default(), |date| Density {
                month: months[&window::month(Some(date))],
                third: thirds[&(window::month(Some(date)), window::third(date))],
            });
            window::window(d.meta.date, density)
        })
        .collect()
}

/// The whole cross-document step from scratch, in memory, over analysed
/// documents (in any order): the same result as ingesting them into a store
/// in any order or batching. Documents keep their order and come back with
/// global entity ids and reprint links set.
pub fn build_timeline(docs: &mut [Document]) -> Timeline {
    build_timeline_with(docs, &Params::default())
}

/// [`build_timeline`] with the story clustering's weights and thresholds given (tuning).
pub fn build_timeline_with(docs: &mut [Document], params: &Params) -> Timeline {
    let linking = link_entities(docs);
    for d in docs.iter_mut() {
        let id = d.id.clone();
        event_mentions(d, |local| {
            linking.ids.get(&(id.clone(), local.to_string())).cloned()
        });
    }
    let entities: Vec<Entity> = linking.entities.into_values().collect();
    let wins = windows_of(docs);
    let mut by_window: BTreeMap<String, Vec<(usize, Document)>> = BTreeMap::new();
    for (i, w) in wins.into_iter().enumerate() {
        by_window
            .entry(w)
            .or_default()
            .push((i, std::mem::take(&mut docs[i])));
    }
    let mut events = Vec::new();
    let mut framing = Vec::new();
    for (_, members) in by_window {
        let (idx, mut wdocs): (Vec<usize>, Vec<Document>) = members.into_iter().unzip();
        let ids: Vec<String> = wdocs.iter().map(|d| d.id.clone()).collect();
        let r = resolve_window_with(&mut wdocs, params);
        events.extend(r.events);
        framing.extend(r.framing);
        // resolve_window sorted the window by id: put each back in its place
        let mut by_id: BTreeMap<String, Document> =
            wdocs.into_iter().map(|d| (d.id.clone(), d)).collect();
        for (i, id) in idx.into_iter().zip(ids) {
            if let Some(d) = by_id.remove(&id) {
                docs[i] = d;
            }
        }
    }
    events.sort_by(timeline_order);
    framing.sort_by(|a, b| a.id.cmp(&b.id));
    Timeline {
        entities,
        events,
        framing,
    }
}
