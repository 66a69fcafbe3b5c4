//! Event merging: which mentions, within one document and across documents,
//! tell of the same real-world event? And which events matter most on a day?
//!
//! Two mentions (or a mention and an event built so far) merge when all hold:
//! - same PLOVER type, both statements or neither, both planned or neither;
//!   modes do not contradict (a phone call is never a visit; other
//!   differing modes contradict except within `CONSULT`);
//! - their resolved participants overlap (for meetings and calls, where all
//!   participants are actors, two events that each name two or more
//!   participants must share two); a mention with no resolved participant
//!   joins only an event of its own document ("during the meeting");
//! - their dates are compatible: time-expression dates must share a day (so
//!   two different day-precision dates never merge; "Sunday" and "Sunday
//!   evening" do), and a mention dated only by its article counts as "within
//!   the week before the article date" (planned: the two months after);
//! - their explicit places ("in X") agree when both have one;
//! - statements additionally share most of their quoted words.
//!
//! Mentions are merged greedily, most informative first (dated, with
//! participants), each into the best-scoring compatible event; the order is
//! fixed by document id and byte offset, so the result does not depend on the
//! input order. Events without any participant, date or place are dropped
//! (they cannot be placed on a timeline); so are statements whose speaker is
//! not a resolved entity.
//!
//! An event's date is the shared day (or month, year) of its time-expression
//! dates; when no source dates it by a time expression, the date is `null`
//! with precision `unknown`, as the timeline contract requires (its sources
//! still cite their articles). Its place is the most cited explicit place,
//! else the dateline of its first source when that names a known place.

use model::{DatePrecision, Document, Entity, Event, EventMention, EventStatus, EventType, Source};
use nlp::events::TimeValue;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Days before the article date within which an undated event is taken to have happened.
const SOFT_DAYS_BEFORE: i64 = 7;
/// Days after the article date within which an undated planned event is expected.
const SOFT_DAYS_AFTER_PLANNED: i64 = 60;

/// One mention with what merging needs, read once.
struct Item<'a> {
    doc: &'a Document,
    m: &'a EventMention,
    actors: BTreeSet<String>,
    recipients: BTreeSet<String>,
    parts: BTreeSet<String>,
    place: Option<String>,
    hard: Option<TimeValue>,
    soft: Option<TimeValue>,
    statement: bool,
    symmetric: bool,
    quote_words: BTreeSet<String>,
}

/// An event being built.
struct Cluster {
    members: Vec<usize>,
    kind: EventType,
    statement: bool,
    planned: bool,
    symmetric: bool,
    modes: BTreeSet<String>,
    parts: BTreeSet<String>,
    actors: BTreeSet<String>,
    places: BTreeSet<String>,
    hard: Option<TimeValue>,
    soft: Option<TimeValue>,
    docs: BTreeSet<String>,
    quote_words: BTreeSet<String>,
}

fn entity_of(doc: &Document, a: &model::Argument) -> Option<String> {
    let m = a.mention? as usize;
    doc.layers.entities.get(m)?.entity.clone()
}

fn content_words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(str::to_lowercase)
        .collect()
}

fn item<'a>(doc: &'a Document, m: &'a EventMention) -> Item<'a> {
    let ids = |args: &[model::Argument]| -> BTreeSet<String> {
        args.iter().filter_map(|a| entity_of(doc, a)).collect()
    };
    let actors = ids(&m.actors);
    let recipients = ids(&m.recipients);
    let parts = actors.union(&recipients).cloned().collect();
    let hard = m
        .timex
        .and_then(|x| doc.layers.timexes.get(x as usize))
        .and_then(|x| TimeValue::parse(&x.value));
    let soft = if hard.is_some() {
        None
    } else {
        doc.meta.date.map(|d| {
            if m.status == EventStatus::Planned {
                TimeValue::around(d, 0, SOFT_DAYS_AFTER_PLANNED)
            } else {
                TimeValue::around(d, SOFT_DAYS_BEFORE, 0)
            }
        })
    };
    let statement = m.mode.as_deref() == Some("statement");
    let symmetric = m.recipients.is_empty()
        && matches!(
            m.kind,
            EventType::Consult | EventType::Agree | EventType::Cooperate
        );
    Item {
        doc,
        m,
        actors,
        recipients,
        parts,
        place: m.place.as_ref().and_then(|p| entity_of(doc, p)),
        hard,
        soft,
        statement,
        symmetric,
        quote_words: m
            .quote
            .map(|q| content_words(doc.span_text(q)))
            .unwrap_or_default(),
    }
}

fn modes_compatible(kind: EventType, a: &BTreeSet<String>, b: Option<&str>) -> bool {
    let Some(b) = b else {
        return !a.contains("phone") || a.is_empty();
    };
    if a.is_empty() {
        return b != "phone";
    }
    if (b == "phone") != a.contains("phone") {
        return false;
    }
    kind == EventType::Consult || a.contains(b)
}

fn dates_compatible(c: &Cluster, it: &Item) -> bool {
    let both = |x: &Option<TimeValue>, y: &Option<TimeValue>| match (x, y) {
        (Some(x), Some(y)) => x.overlaps(y),
        _ => true,
    };
    both(&c.hard, &it.hard)
        && both(&c.hard, &it.soft)
        && both(&c.soft, &it.hard)
        && both(&c.soft, &it.soft)
}

/// Compatibility score of a mention with an event so far; `None` when they must not merge.
fn score(c: &Cluster, it: &Item) -> Option<u32> {
    if c.kind != it.m.kind
        || c.statement != it.statement
        || c.planned != (it.m.status == EventStatus::Planned)
    {
        return None;
    }
    let same_doc = c.docs.contains(&it.doc.id);
    if !modes_compatible(c.kind, &c.modes, it.m.mode.as_deref()) {
        return None;
    }
    if !dates_compatible(c, it) {
        return None;
    }
    if let Some(p) = &it.place
        && !c.places.is_empty()
        && !c.places.contains(p)
    {
        return None;
    }
    let shared = c.parts.intersection(&it.parts).count();
    if c.parts.is_empty() || it.parts.is_empty() {
        if !same_doc {
            return None;
        }
    } else {
        if shared == 0 {
            return None;
        }
        if (c.symmetric || it.symmetric) && c.parts.len() >= 2 && it.parts.len() >= 2 && shared < 2
        {
            return None;
        }
        // directed events: the doers must not be disjoint when both are named
        if !c.symmetric
            && !it.symmetric
            && !c.actors.is_empty()
            && !it.actors.is_empty()
            && c.actors.is_disjoint(&it.actors)
        {
            return None;
        }
    }
    if c.statement {
        if it.actors.is_empty() || c.actors.is_disjoint(&it.actors) {
            return None;
        }
        let small = c.quote_words.len().min(it.quote_words.len());
        let common = c.quote_words.intersection(&it.quote_words).count();
        if small == 0 || common * 2 < small {
            return None;
        }
    }
    let dated = matches!((&c.hard, &it.hard), (Some(a), Some(b)) if a.is_day() && b.is_day());
    let placed = it.place.is_some() && !c.places.is_empty();
    Some(10 * shared as u32 + 5 * u32::from(dated) + 3 * u32::from(placed) + u32::from(same_doc))
}

fn add(c: &mut Cluster, idx: usize, it: &Item) {
    c.members.push(idx);
    if let Some(m) = &it.m.mode {
        c.modes.insert(m.clone());
    }
    c.parts.extend(it.parts.iter().cloned());
    c.actors.extend(it.actors.iter().cloned());
    c.places.extend(it.place.iter().cloned());
    c.symmetric |= it.symmetric;
    c.docs.insert(it.doc.id.clone());
    c.quote_words.extend(it.quote_words.iter().cloned());
    c.hard = match (c.hard.take(), &it.hard) {
        (Some(a), Some(b)) => a.intersect(b).or(Some(a)),
        (a, b) => a.or_else(|| b.clone()),
    };
    c.soft = match (c.soft.take(), &it.soft) {
        (Some(a), Some(b)) => a.intersect(b).or(Some(a)),
        (a, b) => a.or_else(|| b.clone()),
    };
}

fn new_cluster(idx: usize, it: &Item) -> Cluster {
    let mut c = Cluster {
        members: Vec::new(),
        kind: it.m.kind,
        statement: it.statement,
        planned: it.m.status == EventStatus::Planned,
        symmetric: false,
        modes: BTreeSet::new(),
        parts: BTreeSet::new(),
        actors: BTreeSet::new(),
        places: BTreeSet::new(),
        hard: None,
        soft: None,
        docs: BTreeSet::new(),
        quote_words: BTreeSet::new(),
    };
    add(&mut c, idx, it);
    c
}

/// Merges the event mentions of all documents into events, each citing every
/// source mention. Sorted by date (nulls last), then id; ids `v1..` follow
/// that order. Deterministic whatever the order of `docs`.
pub fn merge(docs: &[Document], entities: &[Entity]) -> Vec<Event> {
    let mut items: Vec<Item> = docs
        .iter()
        .flat_map(|d| d.layers.events.iter().map(move |m| item(d, m)))
        .collect();
    // most informative first; then a fixed order independent of the input
    items.sort_by(|a, b| {
        let key = |x: &Item| {
            (
                x.parts.is_empty(),
                x.hard.as_ref().is_none_or(|h| !h.is_day()),
                x.hard.is_none(),
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.doc.id.cmp(&b.doc.id))
            .then_with(|| a.m.trigger.cmp(&b.m.trigger))
    });
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let best = clusters
            .iter()
            .enumerate()
            .filter_map(|(k, c)| score(c, it).map(|s| (s, Reverse(k))))
            .max();
        match best {
            Some((_, Reverse(k))) => add(&mut clusters[k], i, it),
            None => clusters.push(new_cluster(i, it)),
        }
    }
    let by_id: BTreeMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut events: Vec<(Event, (bool, String, String, u32))> = clusters
        .iter()
        .filter(|c| keep(c, &items))
        .map(|c| build(c, &items, &by_id))
        .collect();
    events.sort_by(|a, b| a.1.cmp(&b.1));
    events
        .into_iter()
        .enumerate()
        .map(|(i, (mut e, _))| {
            e.id = format!("v{}", i + 1);
            e
        })
        .collect()
}

fn keep(c: &Cluster, items: &[Item]) -> bool {
    if c.statement {
        return !c.actors.is_empty();
    }
    !c.parts.is_empty()
        || !c.places.is_empty()
        || c.members.iter().any(|&i| items[i].hard.is_some())
}

/// The most frequent value, ties broken by the smallest.
fn most_common<'s>(xs: impl Iterator<Item = &'s str>) -> Option<String> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for x in xs {
        *n.entry(x).or_default() += 1;
    }
    n.into_iter()
        .max_by_key(|&(x, k)| (k, Reverse(x)))
        .map(|(x, _)| x.to_string())
}

fn build(
    c: &Cluster,
    items: &[Item],
    by_id: &BTreeMap<&str, &Entity>,
) -> (Event, (bool, String, String, u32)) {
    let mut members: Vec<&Item> = c.members.iter().map(|&i| &items[i]).collect();
    members.sort_by(|a, b| a.doc.id.cmp(&b.doc.id).then(a.m.trigger.cmp(&b.m.trigger)));
    let (date, precision) = match &c.hard {
        Some(h) if h.iso.is_some() => (h.iso.clone(), h.precision),
        _ => (None, DatePrecision::Unknown),
    };
    let mode = most_common(members.iter().filter_map(|it| it.m.mode.as_deref()));
    let status = if members
        .iter()
        .any(|it| it.m.status == EventStatus::Occurred)
    {
        EventStatus::Occurred
    } else if c.planned {
        EventStatus::Planned
    } else if members.iter().any(|it| it.m.status == EventStatus::Ongoing) {
        EventStatus::Ongoing
    } else {
        EventStatus::Claimed
    };
    // participants by how often they are cited, then id
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for it in &members {
        for p in it.parts.iter() {
            *count.entry(p).or_default() += 1;
        }
    }
    let order = |set: BTreeSet<&str>| -> Vec<String> {
        let mut v: Vec<&str> = set.into_iter().collect();
        v.sort_by_key(|x| (Reverse(count.get(x).copied().unwrap_or(0)), *x));
        v.into_iter().map(str::to_string).collect()
    };
    let (actors, recipients) = if c.symmetric {
        (
            order(c.parts.iter().map(String::as_str).collect()),
            Vec::new(),
        )
    } else {
        let a: BTreeSet<&str> = members
            .iter()
            .flat_map(|it| it.actors.iter().map(String::as_str))
            .collect();
        let r: BTreeSet<&str> = members
            .iter()
            .flat_map(|it| it.recipients.iter().map(String::as_str))
            .filter(|x| !a.contains(x))
            .collect();
        (order(a), order(r))
    };
    let place = most_common(members.iter().filter_map(|it| it.place.as_deref())).or_else(|| {
        let dl = members
            .first()?
            .doc
            .meta
            .dateline
            .as_deref()?
            .trim()
            .to_lowercase();
        by_id
            .values()
            .filter(|e| matches!(e.kind.as_str(), "GPE" | "LOC" | "FAC"))
            .find(|e| {
                e.name.to_lowercase() == dl || e.aliases.iter().any(|a| a.to_lowercase() == dl)
            })
            .map(|e| e.id.clone())
    });
    let sources: Vec<Source> = members.iter().map(|it| source(it)).collect();
    let headline = headline(
        c.kind,
        mode.as_deref(),
        status,
        &actors,
        &recipients,
        place.as_deref(),
        by_id,
        &members,
    );
    let first = &sources[0];
    let key = (
        date.is_none(),
        c.hard
            .as_ref()
            .map(|h| h.lo.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        first.doc.clone(),
        first.trigger_start,
    );
    let event = Event {
        id: String::new(),
        date,
        date_end: None,
        date_precision: precision,
        kind: c.kind,
        mode,
        status,
        headline,
        actors,
        recipients,
        place,
        sources,
    };
    (event, key)
}

fn source(it: &Item) -> Source {
    let doc = it.doc;
    let s = doc.layers.sentences[it.m.sentence as usize].span;
    Source {
        doc: doc.id.clone(),
        start: s.start,
        end: s.end,
        sentence: doc.span_text(s).to_string(),
        trigger: doc.span_text(it.m.trigger).to_string(),
        trigger_start: it.m.trigger.start,
        trigger_end: it.m.trigger.end,
        time_text: it
            .m
            .timex
            .and_then(|x| doc.layers.timexes.get(x as usize))
            .map(|x| doc.span_text(x.span).to_string()),
        quote: it.m.quote.map(|q| doc.span_text(q).to_string()),
    }
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[allow(clippy::too_many_arguments)]
fn headline(
    kind: EventType,
    mode: Option<&str>,
    status: EventStatus,
    actors: &[String],
    recipients: &[String],
    place: Option<&str>,
    by_id: &BTreeMap<&str, &Entity>,
    members: &[&Item],
) -> String {
    let name = |id: &String| {
        by_id
            .get(id.as_str())
            .map_or(id.clone(), |e| e.name.clone())
    };
    let a: Vec<String> = actors.iter().map(name).collect();
    let r: Vec<String> = recipients.iter().map(name).collect();
    let p = place.map(|p| name(&p.to_string()));
    let trigger = members
        .first()
        .map(|it| it.doc.span_text(it.m.trigger).to_string())
        .unwrap_or_default();
    use EventType::*;
    let verb = match (kind, mode) {
        (Consult, Some("phone")) => "speaks by phone with",
        (Consult, Some("visit" | "travel")) if a.len() == 1 && r.is_empty() => "visits",
        (Consult, _) => "meets",
        (Agree, _) => "agrees with",
        (Support, _) => "supports",
        (Concede, _) => "concedes to",
        (Cooperate, _) => "cooperates with",
        (Aid, _) => "aids",
        (Retreat, Some("ceasefire")) => "agrees a ceasefire with",
        (Retreat, Some("release")) => "releases",
        (Retreat, _) => "withdraws from",
        (Request, _) => "appeals to",
        (Accuse, Some("investigate")) => "investigates",
        (Accuse, _) => "accuses",
        (Reject, _) => "rejects",
        (Threaten, _) => "threatens",
        (Protest, _) => "protests against",
        (Sanction, _) => "sanctions",
        (Mobilize, _) => "mobilizes against",
        (Coerce, Some("seize")) => "seizes",
        (Coerce, Some("arrest")) => "arrests",
        (Coerce, _) => "coerces",
        (Assault, Some("kill")) => "kills",
        (Assault, _) => "attacks",
        (Other, Some("statement")) => "says",
        (Other, _) => "acts on",
    };
    let mut h = if a.is_empty() && r.is_empty() {
        let mut t = trigger;
        if let Some(f) = t.get(..1) {
            t = f.to_uppercase() + &t[1..];
        }
        t
    } else if a.is_empty() {
        format!("{} ({trigger})", join_names(&r))
    } else {
        let (first, others) = if r.is_empty() && a.len() > 1 && verb_is_mutual(kind) {
            (vec![a[0].clone()], a[1..].to_vec())
        } else {
            (a.clone(), r.clone())
        };
        let verb = if others.is_empty() {
            verb.split(' ').next().unwrap_or(verb)
        } else {
            verb
        };
        let verb = if first.len() > 1 {
            plural(verb)
        } else {
            verb.to_string()
        };
        format!("{} {verb} {}", join_names(&first), join_names(&others))
            .trim_end()
            .to_string()
    };
    if let Some(p) = p {
        let visits = h.contains(" visits");
        if visits && !h.contains(&p) {
            h = format!("{h} {p}");
        } else if !h.contains(&p) {
            h = format!("{h} in {p}");
        }
    }
    if status == EventStatus::Planned {
        h.push_str(" (planned)");
    }
    h
}

fn verb_is_mutual(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::Consult | EventType::Agree | EventType::Cooperate | EventType::Retreat
    )
}

/// "meets with" -> "meet with" for compound subjects.
fn plural(verb: &str) -> String {
    let mut parts = verb.splitn(2, ' ');
    let v = parts.next().unwrap_or("");
    let rest = parts.next();
    let base = if let Some(s) = v.strip_suffix("ies") {
        format!("{s}y")
    } else if let Some(s) = v
        .strip_suffix("es")
        .filter(|s| s.ends_with("ss") || s.ends_with("sh"))
    {
        s.to_string()
    } else if let Some(s) = v.strip_suffix('s') {
        s.to_string()
    } else {
        v.to_string()
    };
    match rest {
        Some(r) => format!("{base} {r}"),
        None => base,
    }
}

/// Number of independent documents citing an event: sources from documents
/// marked as near-duplicates (`duplicate_of`) do not count.
pub fn independent_sources(event: &Event, docs: &[Document]) -> usize {
    let dup: BTreeSet<&str> = docs
        .iter()
        .filter(|d| d.duplicate_of.is_some())
        .map(|d| d.id.as_str())
        .collect();
    event
        .sources
        .iter()
        .map(|s| s.doc.as_str())
        .filter(|d| !dup.contains(d))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Sort key for ranking: by date (undated last), then by more independent
/// sources first, then by id number.
pub fn rank_key(event: &Event, docs: &[Document]) -> (bool, String, Reverse<usize>, u64) {
    let num = event
        .id
        .trim_start_matches('v')
        .parse::<u64>()
        .unwrap_or(u64::MAX);
    (
        event.date.is_none(),
        event.date.clone().unwrap_or_default(),
        Reverse(independent_sources(event, docs)),
        num,
    )
}

/// The `n` best-sourced events of each date, dates in order (undated last),
/// for the Markdown and HTML writers.
pub fn top_per_day<'e>(
    events: &'e [Event],
    docs: &[Document],
    n: usize,
) -> Vec<(Option<String>, Vec<&'e Event>)> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_cached_key(|e| rank_key(e, docs));
    let mut out: Vec<(Option<String>, Vec<&Event>)> = Vec::new();
    for e in sorted {
        match out.last_mut() {
            Some((d, v)) if *d == e.date => {
                if v.len() < n {
                    v.push(e);
                }
            }
            _ => out.push((e.date.clone(), vec![e])),
        }
    }
    if n == 0 {
        for (_, v) in out.iter_mut() {
            v.clear();
        }
    }
    out
}
