//! Machine-readable flat views: JSON Lines and CSV, one event per line/row.

use crate::{ExportError, ExportSource, doc_index, entity_names, io};
use std::io::Write;

/// Writes one event per line, in contract order, each line the contract's event object.
pub fn write_jsonl(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    src.for_each_event(&mut |e| {
        serde_json::to_writer(&mut *out, e).map_err(|err| ExportError::Serialize {
            format: "jsonl",
            message: err.to_string(),
        })?;
        out.write_all(b"\n").map_err(io("jsonl"))
    })
}

/// Writes one event per row with a header. Lists are joined with `; `; actor
/// columns carry display names, the `*_ids` columns entity ids; `outlets`
/// names the citing documents' outlets (the id when unknown) in `documents`
/// order, `urls` their URLs when known, `place_*` the place's coordinates.
pub fn write_csv(src: &dyn ExportSource, out: &mut dyn Write) -> Result<(), ExportError> {
    let names = entity_names(src.entities());
    let by_id = doc_index(src.documents());
    let geo: std::collections::BTreeMap<&str, &model::Geo> = src
        .entities()
        .iter()
        .filter_map(|e| e.geo.as_ref().map(|g| (e.id.as_str(), g)))
        .collect();
    let name = |id: &String| names.get(id.as_str()).copied().unwrap_or(id).to_string();
    let mut w = csv::Writer::from_writer(out);
    let ser = |e: csv::Error| ExportError::Serialize {
        format: "csv",
        message: e.to_string(),
    };
    w.write_record([
        "id",
        "date",
        "date_end",
        "date_precision",
        "date_source",
        "type",
        "mode",
        "status",
        "headline",
        "actors",
        "recipients",
        "place",
        "actor_ids",
        "recipient_ids",
        "place_id",
        "sources",
        "documents",
        "first_sentence",
        "outlets",
        "urls",
        "place_lat",
        "place_lon",
        "place_country",
    ])
    .map_err(ser)?;
    src.for_each_event(&mut |e| {
        let mut docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        let outlets: Vec<&str> = docs.iter().map(|d| crate::outlet_of(&by_id, d)).collect();
        let urls: Vec<&str> = docs
            .iter()
            .filter_map(|d| by_id.get(d).and_then(|d| d.meta.url.as_deref()))
            .collect();
        let g = e.place.as_deref().and_then(|p| geo.get(p));
        let precision = serde_json::to_value(e.date_precision)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let status = serde_json::to_value(e.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        w.write_record(
            [
                e.id.clone(),
                e.date.clone().unwrap_or_default(),
                e.date_end.clone().unwrap_or_default(),
                precision,
                e.date_source
                    .and_then(|d| serde_json::to_value(d).ok())
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                e.kind.as_str().to_string(),
                e.mode.clone().unwrap_or_default(),
                status,
                e.headline.clone(),
                e.actors.iter().map(name).collect::<Vec<_>>().join("; "),
                e.recipients.iter().map(name).collect::<Vec<_>>().join("; "),
                e.place.as_ref().map(name).unwrap_or_default(),
                e.actors.join("; "),
                e.recipients.join("; "),
                e.place.clone().unwrap_or_default(),
                e.sources.len().to_string(),
                docs.join("; "),
                e.sources
                    .first()
                    .map(|s| s.sentence.clone())
                    .unwrap_or_default(),
                outlets.join("; "),
                urls.join("; "),
                g.map(|g| g.lat.to_string()).unwrap_or_default(),
                g.map(|g| g.lon.to_string()).unwrap_or_default(),
                g.map(|g| g.country.clone()).unwrap_or_default(),
            ]
            .map(|c| spreadsheet_safe(&c)),
        )
        .map_err(ser)
    })?;
    w.flush().map_err(io("csv"))
}

/// A cell a spreadsheet will not run as a formula: a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (OWASP's advice against CSV injection); NUL characters are dropped.
pub(crate) fn spreadsheet_safe(cell: &str) -> String {
    let cell = cell.replace('\0', "");
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_neutralized() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("a\0b", "ab"),
            ("Troops entered the city", "Troops entered the city"),
            ("2024-12-02", "2024-12-02"),
        ] {
            assert_eq!(spreadsheet_safe(cell), want);
        }
    }
}
