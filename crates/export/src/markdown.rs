//! A dated list for people: each day, its events ranked by independent
//! sources, each event with its outlets and the cited sentences; then who
//! says what (the framing of each story told by several outlets).

use crate::{
    ExportError, ExportSource, ViewOptions, doc_index, entity_names, for_each_day, io,
    labels_by_use, outlet_of, use_note,
};
use std::io::Write;

/// Writes the Markdown timeline.
pub fn write_markdown(
    src: &dyn ExportSource,
    view: ViewOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let docs = doc_index(src.documents());
    let head = format!(
        "# Timeline\n\n{} events from {} documents.\n",
        src.event_count()?,
        src.documents().len()
    );
    out.write_all(head.as_bytes()).map_err(io("markdown"))?;
    for_each_day(src, view, &mut |day, events| {
        let mut s = String::new();
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
        out.write_all(s.as_bytes()).map_err(io("markdown"))
    })?;
    let mut s = String::new();
    framing(src, &mut s);
    out.write_all(s.as_bytes()).map_err(io("markdown"))
}

/// The "who says what" section: per story told by several outlets, a table
/// outlet x actor category with the labels each outlet uses (loaded ones in
/// bold), then every use cited by document and byte span.
fn framing(src: &dyn ExportSource, s: &mut String) {
    let stories = src.framing();
    if stories.is_empty() {
        return;
    }
    let names = entity_names(src.entities());
    s.push_str("\n## Framing: who says what\n\n");
    s.push_str(
        "The words each outlet uses for the actors of a story that several outlets tell. \
         Loaded (evaluative) labels are in **bold**; ×N counts uses; (quoted) marks uses \
         inside quotation marks, someone else's words that the outlet reports.\n",
    );
    for story in stories {
        let outlets = story.outlets();
        s.push_str(&format!(
            "\n### Story {}: {} ({} articles)\n\n",
            escape(&story.id),
            outlets
                .iter()
                .map(|o| escape(o))
                .collect::<Vec<_>>()
                .join(", "),
            story.documents.len()
        ));
        s.push_str("| outlet |");
        for c in &story.categories {
            s.push_str(&format!(" {} |", escape(&c.category)));
        }
        s.push_str("\n| --- |");
        s.push_str(&" --- |".repeat(story.categories.len()));
        s.push('\n');
        for outlet in &outlets {
            s.push_str(&format!("| {} |", escape(outlet)));
            for c in &story.categories {
                let cell = c
                    .outlets
                    .iter()
                    .find(|o| o.outlet == *outlet)
                    .map(|o| {
                        labels_by_use(o)
                            .into_iter()
                            .map(|l| {
                                let text = if l.loaded {
                                    format!("**{}**", escape(&l.label))
                                } else {
                                    escape(&l.label)
                                };
                                format!("{text}{}", use_note(l))
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_else(|| "—".to_string());
                s.push_str(&format!(" {cell} |"));
            }
            s.push('\n');
        }
        s.push('\n');
        for c in &story.categories {
            for o in &c.outlets {
                for l in &o.labels {
                    let cites = l
                        .mentions
                        .iter()
                        .map(|m| {
                            let about = m
                                .entity
                                .as_deref()
                                .map(|e| {
                                    format!(" → {}", escape(names.get(e).copied().unwrap_or(e)))
                                })
                                .unwrap_or_default();
                            format!(
                                "“{}”{} {} [{}..{}]{about}",
                                escape(&m.words.replace('\n', " ")),
                                if m.quoted { " (quoted)" } else { "" },
                                escape(&m.doc),
                                m.start,
                                m.end
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                    s.push_str(&format!(
                        "- {} · {} · {}: {}\n",
                        escape(&o.outlet),
                        escape(&c.category),
                        escape(&l.label),
                        cites
                    ));
                }
            }
        }
    }
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
