//! "Here is the cross-document timeline: replace the old one, and give it back as it was."

use crate::{Store, StoreError, codec, corrupt, sql_err};
use model::{
    CategoryFraming, Entity, Event, FramingDocument, FramingStory, Geo, LabelMention, LabelUse,
    OutletLabels, Source, Timeline,
};
use rusqlite::{Transaction, TransactionBehavior, params};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl Store {
    /// Replaces all entities and events (with aliases, actors, recipients and
    /// sources) by `t`, in one transaction; on error the previous timeline is kept.
    ///
    /// Every actor, recipient and place must be an id of `t.entities`, and every
    /// source's `doc` a stored document ([`StoreError::InvalidTimeline`] otherwise).
    /// [`Store::timeline`] returns entities by id and events in timeline order.
    pub fn replace_timeline(&mut self, t: &Timeline) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err(&path, "begin timeline replace"))?;
        validate(&path, &tx, t)?;
        validate_framing(&path, &tx, &t.framing)?;
        write(&tx, t).map_err(sql_err(&path, "replace timeline"))?;
        write_framing(&tx, &t.framing).map_err(sql_err(&path, "replace framing"))?;
        tx.commit()
            .map_err(sql_err(&path, "commit timeline replace"))?;
        Ok(())
    }

    /// The stored timeline: entities by id, events in timeline order
    /// ([`timeline_order`]), framing stories by id.
    pub fn timeline(&self) -> Result<Timeline, StoreError> {
        let mut t = Timeline {
            entities: self.entities()?,
            ..Timeline::default()
        };
        self.for_each_event(|e| {
            t.events.push(e);
            Ok::<(), StoreError>(())
        })?;
        t.framing = self.framing()?;
        Ok(t)
    }

    /// Number of stored events.
    pub fn event_count(&self) -> Result<usize, StoreError> {
        let op = "count events";
        self.conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(sql_err(&self.path, op))
    }

    /// Calls `f` on every stored event, whole (actors, recipients, sources),
    /// one at a time in timeline order: by date (undated last), then by id,
    /// shorter ids first. Memory holds one event, whatever the store's size.
    /// `f`'s error type is the caller's: returning an error stops the walk
    /// and comes back as is.
    pub fn for_each_event<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Event) -> Result<(), E>,
    ) -> Result<(), E> {
        let path = self.path.as_path();
        let op = "read events in timeline order";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{EVENT_COLUMNS} ORDER BY {}",
                timeline_order("events")
            ))
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let mut e = event_from_row(path, r)?;
            self.fill_event(&mut e)?;
            f(e)?;
        }
        Ok(())
    }

    /// Reads the actors, recipients and sources of `e` (by its id).
    fn fill_event(&self, e: &mut Event) -> Result<(), StoreError> {
        let path = self.path.as_path();
        for (op, table) in [
            ("read event actors", "event_actors"),
            ("read event recipients", "event_recipients"),
        ] {
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT entity_id FROM {table} WHERE event_id = ?1 ORDER BY position"
                ))
                .map_err(sql_err(path, op))?;
            let ids = stmt
                .query_map([&e.id], |r| r.get::<_, String>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
                .map_err(sql_err(path, op))?;
            if table == "event_actors" {
                e.actors = ids;
            } else {
                e.recipients = ids;
            }
        }
        let op = "read event sources";
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SOURCE_COLUMNS} FROM event_sources WHERE event_id = ?1 ORDER BY position"
            ))
            .map_err(sql_err(path, op))?;
        e.sources = stmt
            .query_map([&e.id], |r| source_from_row(r, 0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<Source>>>())
            .map_err(sql_err(path, op))?;
        Ok(())
    }

    /// The stored entities with their aliases and places, by id.
    pub fn entities(&self) -> Result<Vec<Entity>, StoreError> {
        let path = self.path.as_path();
        let mut entities = Vec::new();
        let op = "read entities";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, name, type, mentions, geo_lat, geo_lon, geo_country, geonames_id \
                 FROM entities ORDER BY id",
            )
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            #[allow(clippy::type_complexity)]
            let row = (|| -> rusqlite::Result<(
                Entity,
                Option<f64>,
                Option<f64>,
                Option<String>,
                Option<i64>,
            )> {
                Ok((
                    Entity {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        aliases: Vec::new(),
                        mentions: r.get(3)?,
                        geo: None,
                    },
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })()
            .map_err(sql_err(path, op))?;
            let (mut e, lat, lon, country, gid) = row;
            e.geo = match (lat, lon, country, gid) {
                (Some(lat), Some(lon), Some(country), Some(gid)) => Some(Geo {
                    lat,
                    lon,
                    country,
                    geonames_id: u64::try_from(gid).map_err(|_| {
                        corrupt(path, op, format!("entity {}: negative geonames_id", e.id))
                    })?,
                }),
                (None, None, None, None) => None,
                _ => {
                    return Err(corrupt(
                        path,
                        op,
                        format!("entity {}: geo columns partly null", e.id),
                    ));
                }
            };
            entities.push(e);
        }
        let entity_at: BTreeMap<String, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();

        let op = "read entity aliases";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT entity_id, alias FROM entity_aliases ORDER BY entity_id, position",
            )
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let (id, alias): (String, String) =
                (|| Ok((r.get(0)?, r.get(1)?)))().map_err(sql_err(path, op))?;
            let i = entity_at
                .get(&id)
                .ok_or_else(|| corrupt(path, op, format!("alias of unknown entity {id:?}")))?;
            entities[*i].aliases.push(alias);
        }
        Ok(entities)
    }

    /// The stored framing view ("who says what"), stories in the order they were stored.
    pub fn framing(&self) -> Result<Vec<FramingStory>, StoreError> {
        let path = self.path.as_path();
        let op = "read framing stories";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM framing_stories ORDER BY id")
            .map_err(sql_err(path, op))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(sql_err(path, op))?;
        let mut stories: Vec<FramingStory> = ids
            .into_iter()
            .map(|id| FramingStory {
                id,
                ..FramingStory::default()
            })
            .collect();
        let at: BTreeMap<String, usize> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let story = |op: &str, id: &str| {
            at.get(id)
                .copied()
                .ok_or_else(|| corrupt(path, op, format!("row of unknown story {id:?}")))
        };

        let op = "read framing documents";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT story_id, doc_id, outlet FROM framing_documents ORDER BY story_id, position",
            )
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let (id, doc, outlet) =
                <(String, String, String)>::try_from(r).map_err(sql_err(path, op))?;
            stories[story(op, &id)?]
                .documents
                .push(FramingDocument { doc, outlet });
        }

        let op = "read framing labels";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT story_id, category, outlet, label, head, loaded, doc_id, start_byte, \
                 end_byte, words, entity_id, quoted FROM framing_labels ORDER BY story_id, position",
            )
            .map_err(sql_err(path, op))?;
        let mut rows = stmt.query([]).map_err(sql_err(path, op))?;
        // (story, category, outlet, label) -> (head, loaded, uses), in row order
        type Key = (usize, String, String, String);
        let mut groups: Vec<(Key, String, bool, Vec<LabelMention>)> = Vec::new();
        while let Some(r) = rows.next().map_err(sql_err(path, op))? {
            let row = <(
                String,
                String,
                String,
                String,
                String,
                bool,
                String,
                u32,
                u32,
                String,
                Option<String>,
                bool,
            )>::try_from(r)
            .map_err(sql_err(path, op))?;
            let (id, category, outlet, label, head, loaded, doc, start, end, words, entity, quoted) =
                row;
            let key = (story(op, &id)?, category, outlet, label);
            let mention = LabelMention {
                doc,
                start,
                end,
                words,
                entity,
                quoted,
            };
            match groups.last_mut() {
                Some(g) if g.0 == key => g.3.push(mention),
                _ => groups.push((key, head, loaded, vec![mention])),
            }
        }
        for ((i, category, outlet, label), head, loaded, mentions) in groups {
            let cats = &mut stories[i].categories;
            if cats.last().is_none_or(|c| c.category != category) {
                cats.push(CategoryFraming {
                    category,
                    outlets: Vec::new(),
                });
            }
            let outlets = &mut cats.last_mut().expect("pushed above").outlets;
            if outlets.last().is_none_or(|o| o.outlet != outlet) {
                outlets.push(OutletLabels {
                    outlet,
                    labels: Vec::new(),
                });
            }
            let labels = &mut outlets.last_mut().expect("pushed above").labels;
            labels.push(LabelUse::new(label, head, loaded, mentions));
        }
        Ok(stories)
    }
}

/// Checks the framing view's references before writing: unique story ids,
/// and every document it cites stored.
fn validate_framing(
    path: &Path,
    tx: &Transaction,
    framing: &[FramingStory],
) -> Result<(), StoreError> {
    let invalid = |message: String| StoreError::InvalidTimeline {
        path: path.to_path_buf(),
        message,
    };
    let mut ids = BTreeSet::new();
    let mut docs = BTreeMap::new();
    for s in framing {
        if !ids.insert(s.id.as_str()) {
            return Err(invalid(format!(
                "framing story id {:?} appears twice",
                s.id
            )));
        }
        let used = s
            .categories
            .iter()
            .flat_map(|c| &c.outlets)
            .flat_map(|o| &o.labels);
        for doc in s
            .documents
            .iter()
            .map(|d| d.doc.as_str())
            .chain(used.flat_map(|l| &l.mentions).map(|m| m.doc.as_str()))
        {
            docs.entry(doc).or_insert(s.id.as_str());
        }
    }
    for (doc, story) in docs {
        let known: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)")
            .and_then(|mut s| s.query_row([doc], |r| r.get(0)))
            .map_err(sql_err(path, "check framing documents"))?;
        if !known {
            return Err(invalid(format!(
                "framing story {story}: document {doc:?} is not stored"
            )));
        }
    }
    Ok(())
}

fn write_framing(tx: &Transaction, framing: &[FramingStory]) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM framing_stories", [])?;
    write_window_framing(tx, None, framing)
}

/// Inserts the framing stories produced by `window`; `position` is the
/// story's place in id order within its window.
pub(crate) fn write_window_framing(
    tx: &Transaction,
    window: Option<&str>,
    framing: &[FramingStory],
) -> rusqlite::Result<()> {
    let mut story = tx
        .prepare_cached("INSERT INTO framing_stories (id, position, window) VALUES (?1, ?2, ?3)")?;
    let mut document = tx.prepare_cached(
        "INSERT INTO framing_documents (story_id, position, doc_id, outlet) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut label = tx.prepare_cached(
        "INSERT INTO framing_labels (story_id, position, category, outlet, label, head, loaded, \
         doc_id, start_byte, end_byte, words, entity_id, quoted) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, s) in framing.iter().enumerate() {
        story.execute(params![s.id, i, window])?;
        for (p, d) in s.documents.iter().enumerate() {
            document.execute(params![s.id, p, d.doc, d.outlet])?;
        }
        let mut p = 0usize;
        for c in &s.categories {
            for o in &c.outlets {
                for l in &o.labels {
                    for m in &l.mentions {
                        label.execute(params![
                            s.id, p, c.category, o.outlet, l.label, l.head, l.loaded, m.doc,
                            m.start, m.end, m.words, m.entity, m.quoted,
                        ])?;
                        p += 1;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks references before writing, so a bad timeline fails with a message that
/// names the event and the id rather than SQLite's bare "FOREIGN KEY constraint failed".
fn validate(path: &Path, tx: &Transaction, t: &Timeline) -> Result<(), StoreError> {
    let invalid = |message: String| StoreError::InvalidTimeline {
        path: path.to_path_buf(),
        message,
    };
    let mut entities = BTreeSet::new();
    for e in &t.entities {
        if !entities.insert(e.id.as_str()) {
            return Err(invalid(format!("entity id {:?} appears twice", e.id)));
        }
        if let Some(g) = &e.geo
            && i64::try_from(g.geonames_id).is_err()
        {
            return Err(invalid(format!(
                "entity {}: geonames_id {} does not fit SQLite's INTEGER",
                e.id, g.geonames_id
            )));
        }
    }
    let mut events = BTreeSet::new();
    let mut docs = BTreeSet::new();
    for ev in &t.events {
        if !events.insert(ev.id.as_str()) {
            return Err(invalid(format!("event id {:?} appears twice", ev.id)));
        }
        let refs = ev
            .actors
            .iter()
            .map(|a| ("actor", a))
            .chain(ev.recipients.iter().map(|a| ("recipient", a)))
            .chain(ev.place.iter().map(|a| ("place", a)));
        for (role, id) in refs {
            if !entities.contains(id.as_str()) {
                return Err(invalid(format!(
                    "event {}: {role} {id:?} is not among the timeline's entities",
                    ev.id
                )));
            }
        }
        for s in &ev.sources {
            docs.insert((s.doc.as_str(), ev.id.as_str()));
        }
    }
    let mut seen = BTreeSet::new();
    for (doc, ev) in docs {
        if !seen.insert(doc) {
            continue;
        }
        let known: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)")
            .and_then(|mut s| s.query_row([doc], |r| r.get(0)))
            .map_err(sql_err(path, "check timeline sources"))?;
        if !known {
            return Err(invalid(format!(
                "event {ev}: source document {doc:?} is not stored"
            )));
        }
    }
    // The store keeps a source's sentence as its span of the document text.
    for ev in &t.events {
        for (i, s) in ev.sources.iter().enumerate() {
            let same: bool = tx
                .prepare_cached(
                    "SELECT CAST(substr(CAST(text AS BLOB), ?2 + 1, ?3 - ?2) AS TEXT) IS ?4 \
                     FROM documents WHERE id = ?1",
                )
                .and_then(|mut st| {
                    st.query_row(params![s.doc, s.start, s.end, s.sentence], |r| r.get(0))
                })
                .map_err(sql_err(path, "check timeline sources"))?;
            if !same {
                return Err(invalid(format!(
                    "event {}: source {i}: sentence {:?} is not the text of document {:?} at bytes {}..{}",
                    ev.id, s.sentence, s.doc, s.start, s.end
                )));
            }
        }
    }
    Ok(())
}

fn write(tx: &Transaction, t: &Timeline) -> rusqlite::Result<()> {
    // Children go with their parents (ON DELETE CASCADE); events before entities.
    tx.execute("DELETE FROM events", [])?;
    tx.execute("DELETE FROM entities", [])?;
    for e in &t.entities {
        write_entity(tx, e)?;
    }
    write_events(tx, None, &t.events)
}

/// Inserts or replaces one entity with its aliases. Its `position` sorts
/// the most mentioned first.
pub(crate) fn write_entity(tx: &Transaction, e: &Entity) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM entity_aliases WHERE entity_id = ?1")?
        .execute([&e.id])?;
    let g = e.geo.as_ref();
    tx.prepare_cached(
        "INSERT INTO entities (id, position, name, type, mentions, geo_lat, geo_lon, geo_country, \
         geonames_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, \
         type = excluded.type, mentions = excluded.mentions, geo_lat = excluded.geo_lat, \
         geo_lon = excluded.geo_lon, geo_country = excluded.geo_country, \
         geonames_id = excluded.geonames_id",
    )?
    .execute(params![
        e.id,
        -i64::from(e.mentions),
        e.name,
        e.kind,
        e.mentions,
        g.map(|g| g.lat),
        g.map(|g| g.lon),
        g.map(|g| g.country.as_str()),
        g.map(|g| g.geonames_id as i64),
    ])?;
    let mut alias = tx.prepare_cached(
        "INSERT INTO entity_aliases (entity_id, position, alias) VALUES (?1, ?2, ?3)",
    )?;
    for (p, a) in e.aliases.iter().enumerate() {
        alias.execute(params![e.id, p, a])?;
    }
    Ok(())
}

/// The `ORDER BY` terms of timeline order for the `events` table named
/// `table` in a query (the export's order: by date, undated last, then by
/// id, shorter ids first), which the index `events_timeline` serves.
pub fn timeline_order(table: &str) -> String {
    format!("{table}.date IS NULL, {table}.date, length(CAST({table}.id AS BLOB)), {table}.id")
}

/// Inserts events produced by `window` (none for a whole-timeline replace).
pub(crate) fn write_events(
    tx: &Transaction,
    window: Option<&str>,
    events: &[Event],
) -> rusqlite::Result<()> {
    let mut ev = tx.prepare_cached(
        "INSERT INTO events (id, date, date_end, date_precision, type, mode, status, \
         headline, place_id, date_source, window) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut actor = tx.prepare_cached(
        "INSERT INTO event_actors (event_id, position, entity_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut recipient = tx.prepare_cached(
        "INSERT INTO event_recipients (event_id, position, entity_id) VALUES (?1, ?2, ?3)",
    )?;
    // The sentence is not stored: the view `event_sources` cuts it from the
    // document (`validate` checks that it is the document's text there).
    let mut source = tx.prepare_cached(
        "INSERT INTO event_source_rows (event_id, position, doc_id, start_byte, end_byte, \
         trigger, trigger_start, trigger_end, time_text, quote) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for e in events {
        ev.execute(params![
            e.id,
            e.date,
            e.date_end,
            codec::precision(e.date_precision),
            codec::event_type(e.kind),
            e.mode,
            codec::status(e.status),
            e.headline,
            e.place,
            e.date_source.map(codec::date_source),
            window,
        ])?;
        for (p, a) in e.actors.iter().enumerate() {
            actor.execute(params![e.id, p, a])?;
        }
        for (p, r) in e.recipients.iter().enumerate() {
            recipient.execute(params![e.id, p, r])?;
        }
        for (p, s) in e.sources.iter().enumerate() {
            source.execute(params![
                e.id,
                p,
                s.doc,
                s.start,
                s.end,
                s.trigger,
                s.trigger_start,
                s.trigger_end,
                s.time_text,
                s.quote,
            ])?;
        }
    }
    Ok(())
}

/// The columns of `events` that [`event_from_row`] reads.
const EVENT_COLUMNS: &str = "SELECT id, date, date_end, date_precision, type, mode, status, \
                             headline, place_id, date_source FROM events";

/// The columns of `event_sources` that [`source_from_row`] reads.
const SOURCE_COLUMNS: &str =
    "doc_id, start_byte, end_byte, sentence, trigger, trigger_start, trigger_end, time_text, quote";

/// One event (without actors, recipients and sources) from a row of [`EVENT_COLUMNS`].
fn event_from_row(path: &Path, r: &rusqlite::Row) -> Result<Event, StoreError> {
    let op = "read events";
    let row = <(
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
    )>::try_from(r)
    .map_err(sql_err(path, op))?;
    let (id, date, date_end, prec, kind, mode, status, headline, place, source) = row;
    let date_source = source
        .map(|s| {
            codec::parse_date_source(&s)
                .ok_or_else(|| corrupt(path, op, format!("unknown date source {s:?}")))
        })
        .transpose()?;
    let date_precision = codec::parse_precision(&prec)
        .ok_or_else(|| corrupt(path, op, format!("unknown date precision {prec:?}")))?;
    let kind = codec::parse_event_type(&kind)
        .ok_or_else(|| corrupt(path, op, format!("unknown event type {kind:?}")))?;
    let status = codec::parse_status(&status)
        .ok_or_else(|| corrupt(path, op, format!("unknown status {status:?}")))?;
    Ok(Event {
        id,
        date,
        date_end,
        date_precision,
        date_source,
        kind,
        mode,
        status,
        headline,
        actors: Vec::new(),
        recipients: Vec::new(),
        place,
        sources: Vec::new(),
    })
}

/// One source from a row of [`SOURCE_COLUMNS`] starting at column `at`.
fn source_from_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Source> {
    Ok(Source {
        doc: r.get(at)?,
        start: r.get(at + 1)?,
        end: r.get(at + 2)?,
        sentence: r.get(at + 3)?,
        trigger: r.get(at + 4)?,
        trigger_start: r.get(at + 5)?,
        trigger_end: r.get(at + 6)?,
        time_text: r.get(at + 7)?,
        quote: r.get(at + 8)?,
    })
}
