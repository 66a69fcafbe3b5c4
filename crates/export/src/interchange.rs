//! Formats other tools load: TimelineJS3 JSON, GeoJSON of geocoded events,
//! and PLOVER-style event records (JSON Lines). Each cites its sources with
//! outlet, sentence and URL when known.

use crate::{ExportError, ExportSource, PrettyArray, doc_index, io, write_pretty};
use model::{Document, Entity, Event};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

struct Lookup<'a> {
    docs: BTreeMap<&'a str, &'a Document>,
    entities: BTreeMap<&'a str, &'a Entity>,
}

impl<'a> Lookup<'a> {
    fn new(src: &'a dyn ExportSource) -> Lookup<'a> {
        Lookup {
            docs: doc_index(src.documents()),
            entities: src.entities().iter().map(|e| (e.id.as_str(), e)).collect(),
        }
    }

    fn name(&self, id: &str) -> String {
        self.entities
            .get(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    /// What to call a document: outlet, else title, else file name, else id.
    fn label(&self, id: &str) -> String {
        let Some(d) = self.docs.get(id) else {
            return id.to_string();
        };
        d.meta
            .outlet
            .clone()
            .or_else(|| d.meta.title.clone())
            .or_else(|| {
                d.meta.path.as_deref().and_then(|p| {
                    std::path::Path::new(p)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                })
            })
            .unwrap_or_else(|| id.to_string())
    }

    fn cites(&self, e: &Event) -> Vec<Value> {
        e.sources
            .iter()
            .map(|s| {
                let d = self.docs.get(s.doc.as_str());
                json!({
                    "doc_id": s.doc,
                    "outlet": d.and_then(|d| d.meta.outlet.clone()),
                    "label": self.label(&s.doc),
                    "title": d.and_then(|d| d.meta.title.clone()),
                    "date": d.and_then(|d| d.meta.date.map(|x| x.to_string())),
                    "url": d.and_then(|d| d.meta.url.clone()),
                    "sentence": s.sentence,
                    "trigger": s.trigger,
                })
            })
            .collect()
    }

    fn location(&self, e: &Event) -> Value {
        match e.place.as_deref().and_then(|p| self.entities.get(p)) {
            None => Value::Null,
            Some(p) => json!({
                "entity": p.id,
                "name": p.name,
                "lat": p.geo.as_ref().map(|g| g.lat),
                "lon": p.geo.as_ref().map(|g| g.lon),
                "country": p.geo.as_ref().map(|g| g.country.clone()),
                "geonames_id": p.geo.as_ref().map(|g| g.geonames_id),
            }),
        }
    }
}

fn ser(format: &'static str) -> impl Fn(serde_json::Error) -> ExportError {
    move |e| ExportError::Serialize {
        format,
        message: e.to_string(),
    }
}

fn status(e: &Event) -> Value {
    serde_json::to_value(e.status).unwrap_or(Value::Null)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// TimelineJS3 date object of an ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
fn tl_date(d: &str) -> Value {
    let mut it = d.split('-');
    let mut v = serde_json::Map::new();
    for key in ["year", "month", "day"] {
        if let Some(p) = it.next() {
            v.insert(
                key.into(),
                Value::String(p.trim_start_matches('0').to_string()),
            );
        }
    }
    Value::Object(v)
}

/// Writes a TimelineJS3 JSON file: dated events only (TimelineJS needs a
/// start date), grouped by type, each with its sources as an HTML list.
pub fn write_timelinejs(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let l = Lookup::new(src);
    out.write_all(b"{\n  \"events\": ")
        .map_err(io("timelinejs"))?;
    let mut events = PrettyArray::new("timelinejs", "    ");
    src.for_each_event(&mut |e| {
        let Some(date) = e.date.as_deref() else {
            return Ok(());
        };
        let mut text = String::from("<ul>");
        for c in l.cites(e) {
            let label = html_escape(c["label"].as_str().unwrap_or_default());
            let who = match c["url"].as_str() {
                Some(u) => format!("<a href=\"{}\">{label}</a>", html_escape(u)),
                None => label,
            };
            text.push_str(&format!(
                "<li><b>{who}</b>: {}</li>",
                html_escape(c["sentence"].as_str().unwrap_or_default())
            ));
        }
        text.push_str("</ul>");
        let mut v = json!({
            "unique_id": e.id,
            "start_date": tl_date(date),
            "text": {"headline": html_escape(&e.headline), "text": text},
            "group": e.kind.as_str(),
        });
        if let Some(end) = &e.date_end {
            v["end_date"] = tl_date(end);
        }
        events.item(out, &v)
    })?;
    let dated = events.len();
    events.end(out)?;
    out.write_all(b",\n  \"title\": ")
        .map_err(io("timelinejs"))?;
    let title = json!({"text": {
        "headline": "eventline timeline",
        "text": format!("{dated} events from {} articles", src.documents().len()),
    }});
    write_pretty("timelinejs", out, &title, "  ", false)?;
    out.write_all(b"\n}\n").map_err(io("timelinejs"))
}

/// Writes a GeoJSON FeatureCollection: one Point per event whose place is geocoded.
pub fn write_geojson(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let l = Lookup::new(src);
    out.write_all(b"{\n  \"features\": ")
        .map_err(io("geojson"))?;
    let mut features = PrettyArray::new("geojson", "    ");
    src.for_each_event(&mut |e| {
        let Some(place) = e.place.as_deref().and_then(|p| l.entities.get(p)) else {
            return Ok(());
        };
        let Some(g) = place.geo.as_ref() else {
            return Ok(());
        };
        let feature = json!({
            "type": "Feature",
            "id": e.id,
            "geometry": {"type": "Point", "coordinates": [g.lon, g.lat]},
            "properties": {
                "id": e.id,
                "date": e.date,
                "date_end": e.date_end,
                "type": e.kind.as_str(),
                "mode": e.mode,
                "status": status(e),
                "headline": e.headline,
                "place": place.name,
                "country": g.country,
                "geonames_id": g.geonames_id,
                "actors": e.actors.iter().map(|a| l.name(a)).collect::<Vec<_>>(),
                "recipients": e.recipients.iter().map(|a| l.name(a)).collect::<Vec<_>>(),
                "sources": l.cites(e),
            },
        });
        features.item(out, &feature)
    })?;
    features.end(out)?;
    out.write_all(b",\n  \"type\": \"FeatureCollection\"\n}\n")
        .map_err(io("geojson"))
}

/// Writes one PLOVER-style record per event, one JSON object per line:
/// `id`, `date`, `event` (PLOVER type), `mode`, `status`, `actor` /
/// `recipient` (entity names joined with "; "), `actors` / `recipients`
/// (lists of `{entity, text}`), `location` (`name`, `lat`, `lon`, `country`,
/// `geonames_id`, or null), `headline`, and `cite` (per source: `doc_id`,
/// `outlet`, `title`, `date`, `url`, `sentence`, `trigger`).
pub fn write_plover(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let l = Lookup::new(src);
    src.for_each_event(&mut |e| {
        let who = |ids: &[String]| -> Vec<Value> {
            ids.iter()
                .map(|id| json!({"entity": id, "text": l.name(id)}))
                .collect()
        };
        let names = |ids: &[String]| {
            let v: Vec<String> = ids.iter().map(|id| l.name(id)).collect();
            (!v.is_empty()).then(|| v.join("; "))
        };
        let rec = json!({
            "id": e.id,
            "date": e.date,
            "date_precision": e.date_precision,
            "event": e.kind.as_str(),
            "mode": e.mode,
            "status": status(e),
            "actor": names(&e.actors),
            "recipient": names(&e.recipients),
            "actors": who(&e.actors),
            "recipients": who(&e.recipients),
            "location": l.location(e),
            "headline": e.headline,
            "cite": l.cites(e),
        });
        serde_json::to_writer(&mut *out, &rec).map_err(ser("plover"))?;
        out.write_all(b"\n").map_err(io("plover"))
    })
}
