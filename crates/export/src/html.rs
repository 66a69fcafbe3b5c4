//! A self-contained HTML report: inline CSS and JS, no network. The timeline
//! by date, each event with its sources, the cited sentence with the trigger
//! marked, a filter box, and who says what (the framing of each story told
//! by several outlets). Opening the file with `#q=WORDS` pre-fills the
//! filter, so a filtered view can be shared as a link.

use crate::{
    ExportError, ExportSource, ViewOptions, doc_index, entity_names, for_each_day, io,
    labels_by_use, outlet_of, use_note,
};
use model::Source;
use std::fmt::Write as _;
use std::io::Write;

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;color:#c9d1dc}
main{display:flex;gap:24px;padding:16px 24px;align-items:flex-start}
#timeline{flex:3;min-width:0} aside{flex:1;min-width:220px;position:sticky;top:12px}
input#filter{width:100%;padding:8px;font-size:15px;border:1px solid #b8c0cc;border-radius:6px;box-sizing:border-box}
h2.day{font-size:16px;margin:22px 0 8px;border-bottom:2px solid #d5dbe3;padding-bottom:4px}
.event{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:10px 14px;margin:8px 0}
.event h3{margin:0 0 4px;font-size:16px}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 6px;border-radius:4px;margin-right:4px;background:#e8edf3;color:#344055}
.badge.type{background:#dbe9ff;color:#123c7a} .badge.status{background:#fff1d6;color:#7a4b00}
.meta{font-size:13px;color:#5b6678;margin:2px 0 6px}
details summary{cursor:pointer;font-size:13px;color:#344055}
ul.sources{margin:6px 0 0;padding-left:18px;font-size:14px} ul.sources li{margin:4px 0}
.outlet{font-weight:600} mark{background:#ffe58a;padding:0 1px} .span{color:#8a94a6;font-size:12px}
.entity{font-size:13px;margin:3px 0} .count{color:#8a94a6}
.hidden{display:none}
"#;

const SCRIPT: &str = r#"
var box=document.getElementById('filter');
function applyFilter(){
  var q=box.value.toLowerCase();
  document.querySelectorAll('.event').forEach(function(e){
    e.classList.toggle('hidden', q!=='' && e.textContent.toLowerCase().indexOf(q)<0);
  });
  document.querySelectorAll('section.day').forEach(function(s){
    var shown=s.querySelectorAll('.event:not(.hidden)').length;
    s.classList.toggle('hidden', shown===0);
  });
}
box.addEventListener('input',applyFilter);
if(location.hash.indexOf('#q=')===0){box.value=decodeURIComponent(location.hash.slice(3));applyFilter();}
"#;

/// Writes the HTML report.
pub fn write_html(
    src: &dyn ExportSource,
    view: ViewOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let docs = doc_index(src.documents());
    let names = entity_names(src.entities());
    let name = |id: &str| esc(names.get(id).copied().unwrap_or(id));
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>eventline timeline</title>\n<style>");
    h.push_str(STYLE);
    h.push_str(FRAMING_STYLE);
    h.push_str("</style>\n</head>\n<body>\n<header><h1>Timeline</h1>");
    let _ = write!(
        h,
        "<p>{} events, {} entities, {} documents</p></header>\n<main>\n<div id=\"timeline\">\n",
        src.event_count()?,
        src.entities().len(),
        src.documents().len()
    );
    out.write_all(h.as_bytes()).map_err(io("html"))?;
    for_each_day(src, view, &mut |day, events| {
        let mut h = String::new();
        let _ = writeln!(
            h,
            "<section class=\"day\"><h2 class=\"day\">{}</h2>",
            esc(day)
        );
        for (e, independent) in events {
            let _ = write!(
                h,
                "<article class=\"event\" id=\"{}\"><h3>{}</h3>",
                esc(&e.id),
                esc(&e.headline)
            );
            let _ = write!(h, "<span class=\"badge type\">{}</span>", e.kind.as_str());
            if let Some(m) = &e.mode {
                let _ = write!(h, "<span class=\"badge\">{}</span>", esc(m));
            }
            if e.status != model::EventStatus::Occurred {
                let st = serde_json::to_value(e.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let _ = write!(h, "<span class=\"badge status\">{}</span>", esc(&st));
            }
            let mut meta = Vec::new();
            if !e.actors.is_empty() {
                meta.push(format!(
                    "actors: {}",
                    e.actors
                        .iter()
                        .map(|a| name(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !e.recipients.is_empty() {
                meta.push(format!(
                    "recipients: {}",
                    e.recipients
                        .iter()
                        .map(|a| name(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if let Some(p) = &e.place {
                meta.push(format!("place: {}", name(p)));
            }
            meta.push(format!(
                "{} source{} ({} independent)",
                e.sources.len(),
                if e.sources.len() == 1 { "" } else { "s" },
                independent
            ));
            let _ = write!(h, "<div class=\"meta\">{}</div>", meta.join(" · "));
            h.push_str("<details open><summary>Sources</summary><ul class=\"sources\">");
            for s in &e.sources {
                let _ = write!(
                    h,
                    "<li><span class=\"outlet\">{}</span> {} <span class=\"span\">{} [{}..{}]</span></li>",
                    esc(outlet_of(&docs, &s.doc)),
                    marked_sentence(s),
                    esc(&s.doc),
                    s.start,
                    s.end
                );
            }
            h.push_str("</ul></details></article>\n");
        }
        h.push_str("</section>\n");
        out.write_all(h.as_bytes()).map_err(io("html"))
    })?;
    let mut h = String::new();
    framing(src, &mut h);
    h.push_str("</div>\n<aside><input id=\"filter\" type=\"search\" placeholder=\"Filter events…\">\n<h2 class=\"day\">Entities</h2>\n");
    let mut ents: Vec<&model::Entity> = src.entities().iter().collect();
    ents.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.id.cmp(&b.id)));
    for e in ents.iter().take(60) {
        let _ = writeln!(
            h,
            "<div class=\"entity\" title=\"{}\">{} <span class=\"count\">{} · {}</span></div>",
            esc(&e.aliases.join(" | ")),
            esc(&e.name),
            esc(&e.kind),
            e.mentions
        );
    }
    h.push_str("</aside>\n</main>\n<script>");
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    out.write_all(h.as_bytes()).map_err(io("html"))
}

const FRAMING_STYLE: &str = r#"
#framing h3{font-size:15px;margin:14px 0 6px}
table.framing{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
table.framing th,table.framing td{border:1px solid #dde2e8;padding:4px 6px;text-align:left;vertical-align:top}
.label{display:inline-block;margin:1px 2px;padding:0 5px;border-radius:4px;background:#eef1f5}
.label.loaded{background:#ffd9d4;color:#7a1b0c;font-weight:600}
"#;

/// The "who says what" section: per story told by several outlets, a table
/// outlet x actor category with the labels each outlet uses (loaded ones
/// highlighted, every use cited in the label's tooltip), then the cited uses.
fn framing(src: &dyn ExportSource, h: &mut String) {
    let stories = src.framing();
    if stories.is_empty() {
        return;
    }
    let names = entity_names(src.entities());
    h.push_str("<section id=\"framing\"><h2 class=\"day\">Framing: who says what</h2>\n");
    h.push_str("<p class=\"meta\">The words each outlet uses for the actors of a story that several outlets tell. Loaded (evaluative) labels are highlighted; (quoted) marks uses inside quotation marks, someone else's words that the outlet reports.</p>\n");
    for story in stories {
        let outlets = story.outlets();
        let _ = write!(
            h,
            "<div class=\"story\" id=\"framing-{}\"><h3>Story {}: {} ({} articles)</h3>",
            esc(&story.id),
            esc(&story.id),
            outlets
                .iter()
                .map(|o| esc(o))
                .collect::<Vec<_>>()
                .join(", "),
            story.documents.len()
        );
        h.push_str("<table class=\"framing\"><thead><tr><th>outlet</th>");
        for c in &story.categories {
            let _ = write!(h, "<th>{}</th>", esc(&c.category));
        }
        h.push_str("</tr></thead><tbody>");
        for outlet in &outlets {
            let _ = write!(h, "<tr><th>{}</th>", esc(outlet));
            for c in &story.categories {
                h.push_str("<td>");
                if let Some(o) = c.outlets.iter().find(|o| o.outlet == *outlet) {
                    for l in labels_by_use(o) {
                        let cites = l
                            .mentions
                            .iter()
                            .map(|m| format!("{} [{}..{}]: {}", m.doc, m.start, m.end, m.words))
                            .collect::<Vec<_>>()
                            .join("\n");
                        let _ = write!(
                            h,
                            "<span class=\"label{}\" title=\"{}\">{}{}</span>",
                            if l.loaded { " loaded" } else { "" },
                            esc(&cites),
                            esc(&l.label),
                            match use_note(l) {
                                n if n.is_empty() => n,
                                n => format!(" <span class=\"count\">{}</span>", esc(n.trim())),
                            }
                        );
                    }
                }
                h.push_str("</td>");
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table><details><summary>Cited uses</summary><ul class=\"sources\">");
        for c in &story.categories {
            for o in &c.outlets {
                for l in &o.labels {
                    for m in &l.mentions {
                        let about = m
                            .entity
                            .as_deref()
                            .map(|e| format!(" → {}", esc(names.get(e).copied().unwrap_or(e))))
                            .unwrap_or_default();
                        let _ = write!(
                            h,
                            "<li><span class=\"outlet\">{}</span> <span class=\"label{}\">{}</span> “<mark>{}</mark>”{}{about} <span class=\"span\">{} [{}..{}]</span></li>",
                            esc(&o.outlet),
                            if l.loaded { " loaded" } else { "" },
                            esc(&l.label),
                            esc(&m.words),
                            if m.quoted { " (quoted)" } else { "" },
                            esc(&m.doc),
                            m.start,
                            m.end
                        );
                    }
                }
            }
        }
        h.push_str("</ul></details></div>\n");
    }
    h.push_str("</section>\n");
}

/// The cited sentence, escaped, with the trigger in `<mark>` when it lies inside the sentence.
fn marked_sentence(s: &Source) -> String {
    let (ts, te) = (
        s.trigger_start.wrapping_sub(s.start) as usize,
        s.trigger_end.wrapping_sub(s.start) as usize,
    );
    let text = &s.sentence;
    if s.trigger_start >= s.start
        && ts <= te
        && te <= text.len()
        && text.is_char_boundary(ts)
        && text.is_char_boundary(te)
    {
        format!(
            "“{}<mark>{}</mark>{}”",
            esc(&text[..ts]),
            esc(&text[ts..te]),
            esc(&text[te..])
        )
    } else {
        format!("“{}”", esc(text))
    }
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}
