//! "What does the store say about this?": the JSON routes.
//!
//! The contract (`spec/api.md`): `/api/events`, `/api/events/{id}`,
//! `/api/entities`, `/api/entities/{id}`, `/api/documents/{id}`, `/api/stats`.
//! Beyond it, for the UI (fields may be added to any answer; the event,
//! entity and document objects themselves are the export's):
//! - `/api/events` also answers `entities` (id → name and type) and
//!   `documents` (id → date, outlet, title, url, label) for what its page cites;
//! - `/api/events/{id}` also answers `entities` (the participants),
//!   `highlights` (per source, its sentence cut into segments: trigger,
//!   actor, place, entity, time) and `stories` (framing stories citing it);
//! - `/api/entities/{id}` also answers `aliases_by_outlet`;
//! - `/api/documents/{id}` also answers `label`, `segments` (the text cut
//!   into entities, time expressions and event triggers), `events` and `stories`;
//! - `/api/outlets`: `{"outlets": [{"outlet", "documents"}]}`, most documents first;
//! - `/api/stories`: `{"stories": [{"id", "documents", "labels", "outlets"}]}`;
//! - `/api/stories/{id}`: the story's `documents`, `labels` (in view order)
//!   and the `events` its documents cite.

use crate::db::{Pool, QueryError};
use crate::marks::{Mark, Segment, segments};
use crate::params::{self, Params};
use crate::{error, json_body};
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params_from_iter};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

type Shared = State<Arc<Pool>>;

/// The API routes.
pub(crate) fn routes(pool: Arc<Pool>) -> Router {
    Router::new()
        .route("/api/events", get(list_events))
        .route("/api/events/{id}", get(one_event))
        .route("/api/entities", get(list_entities))
        .route("/api/entities/{id}", get(one_entity))
        .route("/api/documents/{id}", get(one_document))
        .route("/api/stats", get(stats))
        .route("/api/outlets", get(outlets))
        .route("/api/stories", get(list_stories))
        .route("/api/stories/{id}", get(one_story))
        .with_state(pool)
}

/// An answer: a JSON value, or "not found".
type Answer = Result<Option<serde_json::Value>, QueryError>;

fn respond(r: Answer, what: &str, id: &str) -> Response {
    match r {
        Ok(Some(v)) => json_body(&v),
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no {what} with id {id:?}")),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn bad(msg: String) -> Response {
    error(StatusCode::BAD_REQUEST, msg)
}

// ---------------------------------------------------------------- objects

/// An event, field for field as `eventline export --format json` writes it.
#[derive(Debug, Serialize)]
pub struct EventJson {
    /// Opaque id.
    pub id: String,
    /// ISO date or null.
    pub date: Option<String>,
    /// End of a span of dates, or null.
    pub date_end: Option<String>,
    /// `day`, `month`, `year` or `unknown`.
    pub date_precision: String,
    /// `text`, `article` or null.
    pub date_source: Option<String>,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Refinement, or null.
    pub mode: Option<String>,
    /// `occurred`, `planned`, `ongoing` or `claimed`.
    pub status: String,
    /// One line.
    pub headline: String,
    /// Entity ids.
    pub actors: Vec<String>,
    /// Entity ids.
    pub recipients: Vec<String>,
    /// Entity id of the place, or null.
    pub place: Option<String>,
    /// Every mention.
    pub sources: Vec<SourceJson>,
}

/// One source of an event, as in the export.
#[derive(Debug, Serialize)]
pub struct SourceJson {
    /// Document id.
    pub doc: String,
    /// Sentence start, byte offset into the document text.
    pub start: u32,
    /// Sentence end (exclusive).
    pub end: u32,
    /// The sentence.
    pub sentence: String,
    /// The trigger words.
    pub trigger: String,
    /// Trigger start, byte offset into the document text.
    pub trigger_start: u32,
    /// Trigger end (exclusive).
    pub trigger_end: u32,
    /// The time expression dating this mention, if any.
    pub time_text: Option<String>,
    /// Quoted or reported words, for statements.
    pub quote: Option<String>,
}

/// Document metadata a view cites, with the name to show for it.
#[derive(Debug, Serialize)]
pub struct DocumentRef {
    /// Document id.
    pub id: String,
    /// The article's date.
    pub date: Option<String>,
    /// Publishing outlet.
    pub outlet: Option<String>,
    /// Headline of the article.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// What to call it: the outlet, else the title, else the file name, else the id.
    pub label: String,
}

/// What to call a document: outlet, else title, else file name, else id.
fn doc_label(id: &str, outlet: Option<&str>, title: Option<&str>, path: Option<&str>) -> String {
    let file = path.and_then(|p| {
        std::path::Path::new(p)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
    });
    outlet
        .or(title)
        .map(str::to_string)
        .or(file)
        .unwrap_or_else(|| id.to_string())
}

/// A JSON array of ids, for `json_each(?)`.
fn id_array<'a>(ids: impl IntoIterator<Item = &'a String>) -> String {
    serde_json::to_string(&ids.into_iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

/// The events with these ids, in the order given, complete with sources.
fn load_events(tx: &Transaction<'_>, ids: &[String]) -> rusqlite::Result<Vec<EventJson>> {
    let arr = id_array(ids);
    let mut by_id: BTreeMap<String, EventJson> = BTreeMap::new();
    let mut stmt = tx.prepare_cached(
        "SELECT id, date, date_end, date_precision, date_source, type, mode, status, headline, \
         place_id FROM events WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = stmt.query([&arr])?;
    while let Some(r) = rows.next()? {
        let e = EventJson {
            id: r.get(0)?,
            date: r.get(1)?,
            date_end: r.get(2)?,
            date_precision: r.get(3)?,
            date_source: r.get(4)?,
            kind: r.get(5)?,
            mode: r.get(6)?,
            status: r.get(7)?,
            headline: r.get(8)?,
            actors: Vec::new(),
            recipients: Vec::new(),
            place: r.get(9)?,
            sources: Vec::new(),
        };
        by_id.insert(e.id.clone(), e);
    }
    for table in ["event_actors", "event_recipients"] {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT event_id, entity_id FROM {table} \
             WHERE event_id IN (SELECT value FROM json_each(?1)) ORDER BY event_id, position"
        ))?;
        let mut rows = stmt.query([&arr])?;
        while let Some(r) = rows.next()? {
            let (ev, en): (String, String) = (r.get(0)?, r.get(1)?);
            if let Some(e) = by_id.get_mut(&ev) {
                if table == "event_actors" {
                    e.actors.push(en);
                } else {
                    e.recipients.push(en);
                }
            }
        }
    }
    let mut stmt = tx.prepare_cached(
        "SELECT event_id, doc_id, start_byte, end_byte, sentence, trigger, trigger_start, \
         trigger_end, time_text, quote FROM event_sources \
         WHERE event_id IN (SELECT value FROM json_each(?1)) ORDER BY event_id, position",
    )?;
    let mut rows = stmt.query([&arr])?;
    while let Some(r) = rows.next()? {
        let ev: String = r.get(0)?;
        if let Some(e) = by_id.get_mut(&ev) {
            e.sources.push(SourceJson {
                doc: r.get(1)?,
                start: r.get(2)?,
                end: r.get(3)?,
                sentence: r.get(4)?,
                trigger: r.get(5)?,
                trigger_start: r.get(6)?,
                trigger_end: r.get(7)?,
                time_text: r.get(8)?,
                quote: r.get(9)?,
            });
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Metadata of the documents these events cite, by id.
fn cited_documents(
    tx: &Transaction<'_>,
    events: &[EventJson],
) -> rusqlite::Result<BTreeMap<String, DocumentRef>> {
    let ids: BTreeSet<&String> = events
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| &s.doc))
        .collect();
    documents_by_id(tx, &id_array(ids))
}

fn documents_by_id(
    tx: &Transaction<'_>,
    arr: &str,
) -> rusqlite::Result<BTreeMap<String, DocumentRef>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, date, outlet, title, url, path FROM documents \
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([arr], |r| {
        let (id, outlet, title, path): (String, Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(2)?, r.get(3)?, r.get(5)?);
        Ok(DocumentRef {
            label: doc_label(&id, outlet.as_deref(), title.as_deref(), path.as_deref()),
            id,
            date: r.get(1)?,
            outlet,
            title,
            url: r.get(4)?,
        })
    })?;
    rows.map(|d| d.map(|d| (d.id.clone(), d))).collect()
}

/// Name, type and place of the entities these events name, by id.
fn named_entities(
    tx: &Transaction<'_>,
    events: &[EventJson],
) -> rusqlite::Result<BTreeMap<String, serde_json::Value>> {
    let ids: BTreeSet<&String> = events
        .iter()
        .flat_map(|e| e.actors.iter().chain(&e.recipients).chain(&e.place))
        .collect();
    let mut stmt = tx.prepare_cached(
        "SELECT id, name, type FROM entities WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([id_array(ids)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            json!({"name": r.get::<_, String>(1)?, "type": r.get::<_, String>(2)?}),
        ))
    })?;
    rows.collect()
}

/// Entities with these ids, in the order given, as in the export.
fn load_entities(tx: &Transaction<'_>, ids: &[String]) -> rusqlite::Result<Vec<serde_json::Value>> {
    let arr = id_array(ids);
    let mut by_id: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut stmt = tx.prepare_cached(
        "SELECT id, name, type, mentions, geo_lat, geo_lon, geo_country, geonames_id \
         FROM entities WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = stmt.query([&arr])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let lat: Option<f64> = r.get(4)?;
        let lon: Option<f64> = r.get(5)?;
        let country: Option<String> = r.get(6)?;
        let gid: Option<i64> = r.get(7)?;
        let geo = match (lat, lon, country, gid) {
            (Some(lat), Some(lon), Some(country), Some(gid)) => {
                json!({"lat": lat, "lon": lon, "country": country, "geonames_id": gid})
            }
            _ => serde_json::Value::Null,
        };
        let v = json!({
            "id": id,
            "name": r.get::<_, String>(1)?,
            "type": r.get::<_, String>(2)?,
            "aliases": [],
            "mentions": r.get::<_, i64>(3)?,
            "geo": geo,
        });
        by_id.insert(id, v);
    }
    let mut stmt = tx.prepare_cached(
        "SELECT entity_id, alias FROM entity_aliases \
         WHERE entity_id IN (SELECT value FROM json_each(?1)) ORDER BY entity_id, position",
    )?;
    let mut rows = stmt.query([&arr])?;
    while let Some(r) = rows.next()? {
        let (id, alias): (String, String) = (r.get(0)?, r.get(1)?);
        if let Some(a) = by_id.get_mut(&id).and_then(|v| v["aliases"].as_array_mut()) {
            a.push(alias.into());
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

// ---------------------------------------------------------------- /api/events

/// The filters of `/api/events` (and of `export`), all optional, combined with AND.
#[derive(Debug, Default)]
struct EventFilter {
    q: Option<String>,
    actor: Option<String>,
    entity: Option<String>,
    place: Option<String>,
    outlet: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

const EVENT_PARAMS: &[&str] = &[
    "q", "actor", "entity", "place", "outlet", "type", "status", "from", "to", "limit", "offset",
];

impl EventFilter {
    fn from_params(p: &Params) -> Result<EventFilter, String> {
        let text = |n: &str| p.text(n).map(str::to_string);
        Ok(EventFilter {
            q: text("q"),
            actor: text("actor"),
            entity: text("entity"),
            place: text("place"),
            outlet: text("outlet"),
            kind: text("type"),
            status: text("status"),
            from: p.date("from")?,
            to: p.date("to")?,
        })
    }

    /// The filter in SQL over `events ev`. `None` when nothing can match (a
    /// search without words matches nothing).
    fn sql(&self) -> Option<FilterSql> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let t = |s: &String| Value::Text(s.clone());
        let search = match &self.q {
            Some(q) => {
                clauses.push("ev.id IN (SELECT id FROM hits)".into());
                Some(params::fts_words(q)?)
            }
            None => None,
        };
        if let Some(a) = &self.actor {
            clauses.push(
                "ev.id IN (SELECT event_id FROM event_actors WHERE entity_id = ? \
                 UNION SELECT event_id FROM event_recipients WHERE entity_id = ?)"
                    .into(),
            );
            args.extend([t(a), t(a)]);
        }
        if let Some(e) = &self.entity {
            clauses.push(
                "(ev.place_id = ? OR ev.id IN (SELECT event_id FROM event_actors WHERE entity_id = ? \
                 UNION SELECT event_id FROM event_recipients WHERE entity_id = ?))"
                    .into(),
            );
            args.extend([t(e), t(e), t(e)]);
        }
        if let Some(p) = &self.place {
            clauses.push("ev.place_id = ?".into());
            args.push(t(p));
        }
        if let Some(o) = &self.outlet {
            clauses.push(
                "ev.id IN (SELECT s.event_id FROM event_source_rows s \
                 JOIN documents d ON d.id = s.doc_id WHERE d.outlet = ?)"
                    .into(),
            );
            args.push(t(o));
        }
        if let Some(k) = &self.kind {
            clauses.push("ev.type = ?".into());
            args.push(t(k));
        }
        if let Some(s) = &self.status {
            clauses.push("ev.status = ?".into());
            args.push(t(s));
        }
        // A coarse date (2024-12) covers its days: it matches when its span meets [from, to].
        let to = self.to.as_ref().map(|to| format!("{to}~"));
        if let Some(f) = &self.from {
            clauses.push("coalesce(ev.date_end, ev.date) || '~' >= ?".into());
            args.push(t(f));
            // The same, in terms an index answers (a superset; the exact
            // test above stays): without an end date, `date || '~' >= f`
            // holds when `date >= f` or when `date` is a proper prefix of
            // `f` (2024 and 2024-12 cover 2024-12-05); events with an end
            // date are few and found by `events_date_end`. `>= -9e999` is
            // `IS NOT NULL` (numbers from minus infinity up, then text and
            // blobs) written as a range, which SQLite can read from an index.
            let prefixes: Vec<Value> = (1..f.len()).map(|n| Value::Text(f[..n].into())).collect();
            let marks = vec!["?"; prefixes.len()].join(", ");
            let range = if to.is_some() {
                "ev.date >= ? AND ev.date <= ?"
            } else {
                "ev.date >= ?"
            };
            clauses.push(format!(
                "(({range}) OR ev.date IN ({marks}) OR ev.date_end >= -9e999)"
            ));
            args.push(t(f));
            args.extend(to.iter().map(t));
            args.extend(prefixes);
        }
        if let Some(to) = &to {
            clauses.push("ev.date <= ?".into());
            args.push(t(to));
        }
        // Search, dates, people and outlets narrow the events to a few:
        // read them once for the count and the page. The other filters
        // have indexes in timeline order: the page stops at its limit and
        // the count reads an index.
        let narrow = search.is_some()
            || self.actor.is_some()
            || self.entity.is_some()
            || self.outlet.is_some()
            || self.from.is_some()
            || self.to.is_some();
        let clause = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        Some(FilterSql {
            search,
            clause,
            args,
            narrow,
        })
    }
}

/// An [`EventFilter`] in SQL.
#[derive(Debug)]
struct FilterSql {
    /// The FTS5 query of a search: the statement first collects its
    /// matching events as `hits`, which `clause` names.
    search: Option<String>,
    /// `WHERE ...` over `events ev`, or empty.
    clause: String,
    /// The parameters of `clause`, in order.
    args: Vec<Value>,
    /// Whether the matches are few enough to collect them once.
    narrow: bool,
}

impl FilterSql {
    /// The number of matching events and the ids of one page of them, in
    /// timeline order.
    fn page(
        &self,
        tx: &Transaction<'_>,
        limit: u32,
        offset: u64,
    ) -> rusqlite::Result<(i64, Vec<String>)> {
        let mut args: Vec<Value> = self.search.iter().map(|q| Value::Text(q.clone())).collect();
        args.extend(self.args.iter().cloned());
        args.extend([Value::Integer(limit.into()), Value::Integer(offset as i64)]);
        let clause = &self.clause;
        if !self.narrow {
            let total: i64 = tx
                .prepare_cached(&format!("SELECT count(*) FROM events ev {clause}"))?
                .query_row(params_from_iter(&args[..args.len() - 2]), |r| r.get(0))?;
            let ids = tx
                .prepare_cached(&format!(
                    "SELECT ev.id FROM events ev {clause} ORDER BY {} LIMIT ? OFFSET ?",
                    store::timeline_order("ev")
                ))?
                .query_map(params_from_iter(&args), |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            return Ok((total, ids));
        }
        // One statement: the matches are read once (`sel`), counted, and
        // the page cut from them; a page past the end is one row with no id.
        let hits = if self.search.is_some() {
            "hits(id) AS MATERIALIZED (SELECT r.event_id FROM search_events f \
             JOIN search_event_rows r ON r.rowid = f.rowid WHERE search_events MATCH ?), "
        } else {
            ""
        };
        let sql = format!(
            "WITH {hits}sel AS MATERIALIZED (SELECT ev.id, ev.date FROM events ev {clause}) \
             SELECT t.n, p.id FROM (SELECT count(*) AS n FROM sel) t \
             LEFT JOIN (SELECT id, date FROM sel ORDER BY {} LIMIT ? OFFSET ?) p \
             ORDER BY {}",
            store::timeline_order("sel"),
            store::timeline_order("p"),
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(&args))?;
        let (mut total, mut ids) = (0, Vec::new());
        while let Some(r) = rows.next()? {
            total = r.get(0)?;
            ids.extend(r.get::<_, Option<String>>(1)?);
        }
        Ok((total, ids))
    }
}

async fn list_events(State(pool): Shared, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(raw.as_deref(), EVENT_PARAMS) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let (filter, (limit, offset)) =
        match EventFilter::from_params(&p).and_then(|f| Ok((f, p.page()?))) {
            Ok(x) => x,
            Err(e) => return bad(e),
        };
    let r = pool
        .read(move |tx| {
            let Some(sql) = filter.sql() else {
                return Ok(EventsPage::default());
            };
            let (total, ids) = sql.page(tx, limit, offset)?;
            let events = load_events(tx, &ids)?;
            let documents = cited_documents(tx, &events)?;
            let entities = named_entities(tx, &events)?;
            Ok(EventsPage {
                documents,
                entities,
                events,
                total,
            })
        })
        .await;
    match r {
        Ok(page) => json_body(&page),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The answer of `/api/events`, serialized as it is (a page cites hundreds
/// of sentences: no intermediate `serde_json::Value`).
#[derive(Debug, Default, Serialize)]
struct EventsPage {
    documents: BTreeMap<String, DocumentRef>,
    entities: BTreeMap<String, serde_json::Value>,
    events: Vec<EventJson>,
    total: i64,
}

async fn one_event(State(pool): Shared, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let r = pool
        .read(move |tx| {
            let Some(event) = load_events(tx, std::slice::from_ref(&key))?.pop() else {
                return Ok(None);
            };
            let events = std::slice::from_ref(&event);
            let docs = cited_documents(tx, events)?;
            let mut documents: Vec<&DocumentRef> = Vec::new();
            for s in &event.sources {
                if let Some(d) = docs.get(&s.doc)
                    && !documents.iter().any(|x| x.id == d.id)
                {
                    documents.push(d);
                }
            }
            let entity_ids: Vec<String> = event
                .actors
                .iter()
                .chain(&event.recipients)
                .chain(&event.place)
                .cloned()
                .collect();
            let entities = load_entities(tx, &entity_ids)?;
            let highlights = event
                .sources
                .iter()
                .map(|s| source_segments(tx, &event, s))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let stories = stories_of_docs(tx, &id_array(docs.keys()))?;
            let mut v = serde_json::to_value(&event).map_err(json_err)?;
            v["documents"] = serde_json::to_value(documents).map_err(json_err)?;
            v["entities"] = entities.into();
            v["highlights"] = serde_json::to_value(highlights).map_err(json_err)?;
            v["stories"] = stories.into();
            Ok(Some(v))
        })
        .await;
    respond(r, "event", &id)
}

fn json_err(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// A source sentence cut into trigger, participants, place, other names and time words.
fn source_segments(
    tx: &Transaction<'_>,
    event: &EventJson,
    s: &SourceJson,
) -> rusqlite::Result<Vec<Segment>> {
    let (start, end) = (s.start as usize, s.end as usize);
    let mut marks = vec![Mark {
        start: (s.trigger_start as usize).saturating_sub(start),
        end: (s.trigger_end as usize).saturating_sub(start),
        kind: "trigger",
        id: Some(event.id.clone()),
        note: Some(event.kind.clone()),
    }];
    let mut stmt = tx.prepare_cached(
        "SELECT start_byte, end_byte, entity_id, label FROM entity_mentions \
         WHERE doc_id = ?1 AND start_byte >= ?2 AND end_byte <= ?3",
    )?;
    let rows = stmt.query_map(rusqlite::params![s.doc, start as i64, end as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (a, b, entity, label) = row?;
        let kind = match &entity {
            Some(e) if event.actors.contains(e) || event.recipients.contains(e) => "actor",
            Some(e) if event.place.as_ref() == Some(e) => "place",
            _ => "entity",
        };
        marks.push(Mark {
            start: a as usize - start,
            end: b as usize - start,
            kind,
            id: entity,
            note: Some(label),
        });
    }
    let mut stmt = tx.prepare_cached(
        "SELECT start_byte, end_byte, value FROM timexes \
         WHERE doc_id = ?1 AND start_byte >= ?2 AND end_byte <= ?3",
    )?;
    let rows = stmt.query_map(rusqlite::params![s.doc, start as i64, end as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (a, b, value) = row?;
        marks.push(Mark {
            start: a as usize - start,
            end: b as usize - start,
            kind: "time",
            id: None,
            note: Some(value),
        });
    }
    Ok(segments(&s.sentence, marks))
}

/// Ids of the framing stories that include any of these documents (a JSON array).
fn stories_of_docs(tx: &Transaction<'_>, doc_ids: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT s.id FROM framing_stories s WHERE s.id IN (SELECT story_id FROM framing_documents \
         WHERE doc_id IN (SELECT value FROM json_each(?1))) ORDER BY s.position",
    )?;
    stmt.query_map([doc_ids], |r| r.get(0))?.collect()
}

// ---------------------------------------------------------------- /api/entities

async fn list_entities(State(pool): Shared, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(raw.as_deref(), &["q", "type", "limit", "offset"]) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let (limit, offset) = match p.page() {
        Ok(x) => x,
        Err(e) => return bad(e),
    };
    let q = p.text("q").map(str::to_string);
    let kind = p.text("type").map(str::to_string);
    let r = pool
        .read(move |tx| {
            let mut clauses: Vec<&str> = Vec::new();
            let mut args: Vec<Value> = Vec::new();
            if let Some(q) = &q {
                if q.chars().count() >= 3 {
                    clauses.push(
                        "en.id IN (SELECT r.entity_id FROM search_entities f \
                         JOIN search_entity_rows r ON r.rowid = f.rowid WHERE search_entities MATCH ?)",
                    );
                    args.push(Value::Text(params::fts_phrase(q)));
                } else {
                    // Too short for trigrams: a scan, case-insensitive for ASCII.
                    clauses.push(
                        "(en.name LIKE ?1 ESCAPE '\\' OR en.id IN (SELECT entity_id FROM \
                         entity_aliases WHERE alias LIKE ?1 ESCAPE '\\'))",
                    );
                    args.push(Value::Text(params::like_substring(q)));
                }
            }
            if let Some(k) = &kind {
                clauses.push(if args.is_empty() { "en.type = ?1" } else { "en.type = ?2" });
                args.push(Value::Text(k.clone()));
            }
            let clause = if clauses.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", clauses.join(" AND "))
            };
            let total: i64 = tx.query_row(
                &format!("SELECT count(*) FROM entities en {clause}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?;
            let n = args.len();
            let mut page_args = args.clone();
            page_args.extend([Value::Integer(limit.into()), Value::Integer(offset as i64)]);
            let sql = format!(
                "SELECT en.id FROM entities en {clause} ORDER BY en.mentions DESC, en.position \
                 LIMIT ?{} OFFSET ?{}",
                n + 1,
                n + 2
            );
            let ids = tx
                .prepare_cached(&sql)?
                .query_map(params_from_iter(page_args.iter()), |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(json!({"total": total, "entities": load_entities(tx, &ids)?}))
        })
        .await;
    respond(r.map(Some), "", "")
}

async fn one_entity(State(pool): Shared, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let r = pool
        .read(move |tx| {
            let Some(mut v) = load_entities(tx, std::slice::from_ref(&key))?.pop() else {
                return Ok(None);
            };
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT ev.id FROM events ev WHERE ev.place_id = ?1 OR ev.id IN \
                 (SELECT event_id FROM event_actors WHERE entity_id = ?1 \
                  UNION SELECT event_id FROM event_recipients WHERE entity_id = ?1) \
                 ORDER BY {}",
                store::timeline_order("ev")
            ))?;
            let events = stmt
                .query_map([&key], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut stmt = tx.prepare_cached(
                // through the entity index: a mention's entity is its local entity's
                "SELECT m.text, d.outlet, count(*) FROM local_entities l \
                 JOIN entity_mentions m ON m.doc_id = l.doc_id AND m.local_entity = l.local_id \
                 JOIN documents d ON d.id = m.doc_id WHERE l.entity_id = ?1 \
                 GROUP BY m.text, d.outlet ORDER BY 3 DESC, 1, 2",
            )?;
            let aliases = stmt
                .query_map([&key], |r| {
                    Ok(json!({
                        "alias": r.get::<_, String>(0)?,
                        "outlet": r.get::<_, Option<String>>(1)?,
                        "count": r.get::<_, i64>(2)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v["events"] = events.into();
            v["aliases_by_outlet"] = aliases.into();
            Ok(Some(v))
        })
        .await;
    respond(r, "entity", &id)
}

// ---------------------------------------------------------------- /api/documents

async fn one_document(State(pool): Shared, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let r = pool
        .read(move |tx| {
            let row = tx
                .query_row(
                    "SELECT id, date, outlet, path, title, text, distributor, dateline, url, \
                     duplicate_of FROM documents WHERE id = ?1",
                    [&key],
                    |r| {
                        Ok(json!({
                            "id": r.get::<_, String>(0)?,
                            "date": r.get::<_, Option<String>>(1)?,
                            "outlet": r.get::<_, Option<String>>(2)?,
                            "path": r.get::<_, Option<String>>(3)?,
                            "title": r.get::<_, Option<String>>(4)?,
                            "text": r.get::<_, String>(5)?,
                            "distributor": r.get::<_, Option<String>>(6)?,
                            "dateline": r.get::<_, Option<String>>(7)?,
                            "url": r.get::<_, Option<String>>(8)?,
                            "duplicate_of": r.get::<_, Option<String>>(9)?,
                        }))
                    },
                )
                .optional()?;
            let Some(mut v) = row else {
                return Ok(None);
            };
            let text = v["text"].as_str().unwrap_or_default().to_string();
            v["label"] = doc_label(
                &key,
                v["outlet"].as_str(),
                v["title"].as_str(),
                v["path"].as_str(),
            )
            .into();
            v["segments"] =
                serde_json::to_value(document_segments(tx, &key, &text)?).map_err(json_err)?;
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT ev.id, ev.headline, ev.date, ev.type FROM events ev WHERE ev.id IN \
                 (SELECT event_id FROM event_source_rows WHERE doc_id = ?1) ORDER BY {}",
                store::timeline_order("ev")
            ))?;
            let events = stmt
                .query_map([&key], |r| {
                    Ok(json!({
                        "id": r.get::<_, String>(0)?,
                        "headline": r.get::<_, String>(1)?,
                        "date": r.get::<_, Option<String>>(2)?,
                        "type": r.get::<_, String>(3)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v["events"] = events.into();
            v["stories"] = stories_of_docs(tx, &id_array([&key]))?.into();
            Ok(Some(v))
        })
        .await;
    respond(r, "document", &id)
}

/// A document's text cut into entity mentions, time expressions and event triggers.
fn document_segments(
    tx: &Transaction<'_>,
    doc: &str,
    text: &str,
) -> rusqlite::Result<Vec<Segment>> {
    let mut marks = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT trigger_start, trigger_end, event_id FROM event_source_rows WHERE doc_id = ?1",
    )?;
    let event_at: BTreeMap<i64, String> = stmt
        .query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT trigger_start, trigger_end, type FROM event_mentions WHERE doc_id = ?1",
    )?;
    let rows = stmt.query_map([doc], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (a, b, kind) = row?;
        marks.push(Mark {
            start: a as usize,
            end: b as usize,
            kind: "trigger",
            id: event_at.get(&a).cloned(),
            note: Some(kind),
        });
    }
    let mut stmt = tx.prepare_cached(
        "SELECT start_byte, end_byte, entity_id, label FROM entity_mentions WHERE doc_id = ?1",
    )?;
    let rows = stmt.query_map([doc], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (a, b, entity, label) = row?;
        marks.push(Mark {
            start: a as usize,
            end: b as usize,
            kind: "entity",
            id: entity,
            note: Some(label),
        });
    }
    let mut stmt =
        tx.prepare_cached("SELECT start_byte, end_byte, value FROM timexes WHERE doc_id = ?1")?;
    let rows = stmt.query_map([doc], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (a, b, value) = row?;
        marks.push(Mark {
            start: a as usize,
            end: b as usize,
            kind: "time",
            id: None,
            note: Some(value),
        });
    }
    Ok(segments(text, marks))
}

// ---------------------------------------------------------------- the rest

async fn stats(State(pool): Shared) -> Response {
    let r = pool
        .read(|tx| {
            let count = |sql: &str| tx.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok(json!({
                "documents": count("SELECT count(*) FROM documents")?,
                "entities": count("SELECT count(*) FROM entities")?,
                "events": count("SELECT count(*) FROM events")?,
                "outlets": count("SELECT count(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL")?,
            }))
        })
        .await;
    respond(r.map(Some), "", "")
}

async fn outlets(State(pool): Shared) -> Response {
    let r = pool
        .read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT outlet, count(*) FROM documents WHERE outlet IS NOT NULL \
                 GROUP BY outlet ORDER BY 2 DESC, 1",
            )?;
            let v = stmt
                .query_map([], |r| {
                    Ok(json!({"outlet": r.get::<_, String>(0)?, "documents": r.get::<_, i64>(1)?}))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(json!({ "outlets": v }))
        })
        .await;
    respond(r.map(Some), "", "")
}

async fn list_stories(State(pool): Shared) -> Response {
    let r = pool
        .read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT s.id, \
                 (SELECT count(*) FROM framing_documents d WHERE d.story_id = s.id), \
                 (SELECT count(*) FROM framing_labels l WHERE l.story_id = s.id), \
                 (SELECT group_concat(outlet, '; ') FROM (SELECT DISTINCT outlet FROM \
                  framing_documents d WHERE d.story_id = s.id ORDER BY outlet)) \
                 FROM framing_stories s ORDER BY s.position",
            )?;
            let v = stmt
                .query_map([], |r| {
                    let outlets: Option<String> = r.get(3)?;
                    Ok(json!({
                        "id": r.get::<_, String>(0)?,
                        "documents": r.get::<_, i64>(1)?,
                        "labels": r.get::<_, i64>(2)?,
                        "outlets": outlets.map(|o| o.split("; ").map(str::to_string).collect::<Vec<_>>()).unwrap_or_default(),
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(json!({ "stories": v }))
        })
        .await;
    respond(r.map(Some), "", "")
}

async fn one_story(State(pool): Shared, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let r = pool
        .read(move |tx| {
            let found: Option<String> = tx
                .query_row(
                    "SELECT id FROM framing_stories WHERE id = ?1",
                    [&key],
                    |r| r.get(0),
                )
                .optional()?;
            if found.is_none() {
                return Ok(None);
            }
            let mut stmt = tx.prepare_cached(
                "SELECT f.doc_id, f.outlet, d.title, d.date, d.url FROM framing_documents f \
                 JOIN documents d ON d.id = f.doc_id WHERE f.story_id = ?1 ORDER BY f.position",
            )?;
            let documents = stmt
                .query_map([&key], |r| {
                    Ok(json!({
                        "id": r.get::<_, String>(0)?,
                        "outlet": r.get::<_, String>(1)?,
                        "title": r.get::<_, Option<String>>(2)?,
                        "date": r.get::<_, Option<String>>(3)?,
                        "url": r.get::<_, Option<String>>(4)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = tx.prepare_cached(
                "SELECT l.category, l.outlet, l.label, l.head, l.loaded, l.quoted, l.doc_id, \
                 l.words, l.entity_id, en.name FROM framing_labels l \
                 LEFT JOIN entities en ON en.id = l.entity_id \
                 WHERE l.story_id = ?1 ORDER BY l.position",
            )?;
            let labels = stmt
                .query_map([&key], |r| {
                    Ok(json!({
                        "category": r.get::<_, String>(0)?,
                        "outlet": r.get::<_, String>(1)?,
                        "label": r.get::<_, String>(2)?,
                        "head": r.get::<_, String>(3)?,
                        "loaded": r.get::<_, bool>(4)?,
                        "quoted": r.get::<_, bool>(5)?,
                        "doc": r.get::<_, String>(6)?,
                        "words": r.get::<_, String>(7)?,
                        "entity": r.get::<_, Option<String>>(8)?,
                        "entity_name": r.get::<_, Option<String>>(9)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT ev.id, ev.headline, ev.date, ev.type FROM events ev WHERE ev.id IN \
                 (SELECT s.event_id FROM event_source_rows s JOIN framing_documents f \
                  ON f.doc_id = s.doc_id WHERE f.story_id = ?1) ORDER BY {} LIMIT 500",
                store::timeline_order("ev")
            ))?;
            let events = stmt
                .query_map([&key], |r| {
                    Ok(json!({
                        "id": r.get::<_, String>(0)?,
                        "headline": r.get::<_, String>(1)?,
                        "date": r.get::<_, Option<String>>(2)?,
                        "type": r.get::<_, String>(3)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(json!({
                "id": key,
                "documents": documents,
                "labels": labels,
                "events": events,
            })))
        })
        .await;
    respond(r, "story", &id)
}
