//! A dated list for people: each day, its events ranked by independent
//! sources, each event with its outlets and the cited sentences.

use crate::{ExportError, ExportInput, ViewOptions, events_by_day, io, outlet_of};
use model::Document;
use std::collections::BTreeMap;
use std::io::Write;

/// Writes the Markdown timeline.
pub fn write_markdown(
    input: ExportInput<'_>,
    view: ViewOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let docs: BTreeMap<&str, &Document> = input.docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut s = String::new();
    s.push_str("# Timeline\n\n");
    s.push_str(&format!(
        "{} events from {} documents.\n",
        input.timeline.events.len(),
        input.docs.len()
    ));
    for (day, events) in events_by_day(&input, view) {
        s.push_str(&format!("\n## {}\n\n", day));
        for (e, independent) in events {
            let status = match e.status {
                model::EventStatus::Occurred => String::new(),
                other => format!(
                    " _({})_",
                    serde_json::to_value(other)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ),
            };
            let mut outlets: Vec<&str> =
                e.sources.iter().map(|x| outlet_of(&docs, &x.doc)).collect();
            outlets.sort_unstable();
            outlets.dedup();
            s.push_str(&format!(
                "- **{}** `{}`{}{} — {} ({} independent)\n",
                escape(&e.headline),
                e.kind.as_str(),
                e.mode
                    .as_deref()
                    .map(|m| format!(" `{m}`"))
                    .unwrap_or_default(),
                status,
                outlets
                    .iter()
                    .map(|o| escape(o))
                    .collect::<Vec<_>>()
                    .join(", "),
                independent,
            ));
            for src in &e.sources {
                s.push_str(&format!(
                    "  - {} [{}..{}]: “{}”\n",
                    escape(outlet_of(&docs, &src.doc)),
                    src.start,
                    src.end,
                    escape(&src.sentence.replace('\n', " "))
                ));
            }
        }
    }
    out.write_all(s.as_bytes()).map_err(io("markdown"))
}

/// Escapes the Markdown characters that would change meaning inline.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '\\'
        ) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}
