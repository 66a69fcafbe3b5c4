//! "Cut this text into plain and marked pieces": byte spans become a list of
//! text segments, so the UI never sees a byte offset.

use serde::Serialize;

/// A span to mark, in UTF-8 bytes of the text being cut.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// Start byte (inclusive).
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// `trigger`, `actor`, `time`, `entity`, ...
    pub kind: &'static str,
    /// An entity, event or label the mark refers to.
    pub id: Option<String>,
    /// A short note shown on hover (entity type, normalized time value, event type).
    pub note: Option<String>,
}

/// One piece of a cut text.
#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct Segment {
    /// The words.
    pub text: String,
    /// What the words are, or null for plain text.
    pub kind: Option<&'static str>,
    /// The entity, event or label id they refer to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Hover note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Cuts `text` at the marks. Marks outside the text, not on character
/// boundaries, or overlapping an earlier (or longer, at the same start) mark
/// are dropped; the segments' texts join back to `text`.
pub(crate) fn segments(text: &str, mut marks: Vec<Mark>) -> Vec<Segment> {
    marks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = Vec::new();
    let mut at = 0;
    let plain = |out: &mut Vec<Segment>, s: &str| {
        if !s.is_empty() {
            out.push(Segment {
                text: s.to_string(),
                kind: None,
                id: None,
                note: None,
            });
        }
    };
    for m in marks {
        if m.start < at
            || m.end <= m.start
            || m.end > text.len()
            || !text.is_char_boundary(m.start)
            || !text.is_char_boundary(m.end)
        {
            continue;
        }
        plain(&mut out, &text[at..m.start]);
        out.push(Segment {
            text: text[m.start..m.end].to_string(),
            kind: Some(m.kind),
            id: m.id,
            note: m.note,
        });
        at = m.end;
    }
    plain(&mut out, &text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, kind: &'static str) -> Mark {
        Mark {
            start,
            end,
            kind,
            id: None,
            note: None,
        }
    }

    #[test]
    fn segments_join_back_and_skip_bad_marks() {
        let text = "Zoë met Ødegaard on Sunday.";
        let marks = vec![
            mark(5, 8, "trigger"),
            mark(0, 4, "actor"),
            mark(1, 3, "entity"), // inside the actor: dropped
            mark(10, 12, "x"),    // not a char boundary (inside Ø)
            mark(19, 28, "time"), // "on Sunday"
            mark(100, 101, "outside"),
        ];
        let segs = segments(text, marks);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        let kinds: Vec<(&str, Option<&str>)> =
            segs.iter().map(|s| (s.text.as_str(), s.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("Zoë", Some("actor")),
                (" ", None),
                ("met", Some("trigger")),
                (" Ødegaard ", None),
                ("on Sunday", Some("time")),
                (".", None)
            ]
        );
    }
}
