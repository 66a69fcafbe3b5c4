//! "Which events match these filters?": the filters of `/api/events`
//! (`spec/api.md`) as a function over a timeline, for `export` and any other
//! caller that holds a [`Timeline`] rather than a store.

use model::{Document, Event, Timeline};
use std::collections::BTreeMap;

/// Filters over events, all optional, combined with AND; the same names and
/// meaning as the parameters of `GET /api/events`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Words that must all start a word of the headline or of a source
    /// sentence (case-insensitive; unlike the server's FTS5 search, accents are not folded).
    pub q: Option<String>,
    /// Entity id as actor or recipient.
    pub actor: Option<String>,
    /// Entity id in any role, place included.
    pub entity: Option<String>,
    /// Entity id of the place.
    pub place: Option<String>,
    /// Exact outlet name of a citing document.
    pub outlet: Option<String>,
    /// PLOVER type (`CONSULT`, ...).
    pub kind: Option<String>,
    /// `occurred`, `planned`, `ongoing` or `claimed`.
    pub status: Option<String>,
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`): events whose date span ends on or after it.
    pub from: Option<String>,
    /// ISO date: events whose date starts on or before it.
    pub to: Option<String>,
}

impl EventFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == EventFilter::default()
    }

    /// Whether `e` passes every filter; `docs` gives the outlets of its sources.
    pub fn matches(&self, e: &Event, docs: &BTreeMap<&str, &Document>) -> bool {
        let has = |ids: &[String], id: &str| ids.iter().any(|x| x == id);
        if let Some(a) = &self.actor
            && !(has(&e.actors, a) || has(&e.recipients, a))
        {
            return false;
        }
        if let Some(x) = &self.entity
            && !(has(&e.actors, x) || has(&e.recipients, x) || e.place.as_deref() == Some(x))
        {
            return false;
        }
        if let Some(p) = &self.place
            && e.place.as_deref() != Some(p)
        {
            return false;
        }
        if let Some(o) = &self.outlet {
            let cited = e.sources.iter().any(|s| {
                docs.get(s.doc.as_str())
                    .and_then(|d| d.meta.outlet.as_deref())
                    == Some(o.as_str())
            });
            if !cited {
                return false;
            }
        }
        if let Some(k) = &self.kind
            && e.kind.as_str() != k
        {
            return false;
        }
        if let Some(s) = &self.status {
            let status = serde_json::to_value(e.status).ok();
            if status.as_ref().and_then(|v| v.as_str()) != Some(s.as_str()) {
                return false;
            }
        }
        // A coarse date (2024-12) covers its days: it matches when its span meets [from, to].
        if let Some(f) = &self.from {
            let end = e.date_end.as_ref().or(e.date.as_ref());
            if end.is_none_or(|d| format!("{d}~").as_str() < f.as_str()) {
                return false;
            }
        }
        if let Some(t) = &self.to
            && e.date
                .as_ref()
                .is_none_or(|d| d.as_str() > format!("{t}~").as_str())
        {
            return false;
        }
        if let Some(q) = &self.q {
            let words = |s: &str| -> Vec<String> {
                s.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect()
            };
            let mut text = words(&e.headline);
            for s in &e.sources {
                text.extend(words(&s.sentence));
            }
            let wanted = words(q);
            if wanted.is_empty() || !wanted.iter().all(|w| text.iter().any(|t| t.starts_with(w))) {
                return false;
            }
        }
        true
    }
}

/// `t` with only the events that pass `f` (entities and framing kept whole).
pub fn filter_timeline(t: &Timeline, docs: &[Document], f: &EventFilter) -> Timeline {
    let by_id: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    Timeline {
        entities: t.entities.clone(),
        events: t
            .events
            .iter()
            .filter(|e| f.matches(e, &by_id))
            .cloned()
            .collect(),
        framing: t.framing.clone(),
    }
}
