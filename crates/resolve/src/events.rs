//! Event merging: which mentions, within one document and across documents,
//! tell of the same real-world event? And which events matter most on a day?
//!
//! Two mentions (or a mention and an event built so far) merge when all hold:
//! - same PLOVER type, both statements or neither; a planned and an
//!   unplanned mention only when they share a doer ("X will visit Ankara",
//!   "X travelled to Ankara": one visit, which occurred);
//!   modes do not contradict: a phone call is never a meeting in person
//!   ("met", "visit", "summit"), `OTHER` events are only the same kind of
//!   event (a death is not a fire); within other types modes may differ
//!   ("bombing" and "killed");
//! - their resolved participants overlap (for meetings and calls, where all
//!   participants are actors, two events that each name two or more
//!   participants must share two; directed events must not have disjoint
//!   doers);
//! - a mention with no resolved participant joins only when it refers back
//!   ("the meeting", "during the call", "they discussed"): to the nearest
//!   compatible event told at most three sentences before it in its own
//!   document, and, outside consultations and `OTHER` kinds, only to one told
//!   with the same word ("the attack" after "attacked");
//! - their dates are compatible: time-expression dates must share a day (so
//!   two different day-precision dates never merge; "Sunday" and "Sunday
//!   evening" do), and a mention dated only by its article counts as "within
//!   the week before the article date" (planned: the two months after);
//! - their explicit places ("in X") agree when both have one;
//! - statements additionally share most of their quoted words.
//!
//! Mentions are merged greedily, most informative first (dated, with
//! participants), each into the best-scoring compatible event among those
//! sharing a participant or its document (no comparison of all
//! pairs); the order is fixed by document id and byte offset, so the result
//! does not depend on the input order.
//!
//! **Stories.** Before anything merges across documents, the
//! documents are clustered by what they are about ([`stories`]: TF-IDF over
//! lemmas, entity ids and the years and months they name, average-link
//! clustering). Mentions of different story clusters merge only with strong
//! evidence: same type and mode, two shared participants, the same day.
//!
//! **Seminal events.** An article's seminal events are the mentions of its
//! first two eventful sentences, and the main (least embedded) mention of
//! the next four, that tell something happening (not a statement or speech
//! act), as fact or plan (in the first two, also as a claim). Within a story
//! cluster, two articles' seminal events merge when their classes share a
//! family (a shooting, a killing and a death; an arrest and a charge; a
//! takeover and a deal: see `class_families`), their stated dates and places
//! agree, and their participants do not rule it out (a meeting naming two
//! or more participants on each side shares two; directed events do not
//! have disjoint doers; participants named on both sides and disjoint need
//! a person, organization or named event shared by the two leads) -- even when the sentences name the
//! participants differently ("Tara Reid checked into rehab" / "the actress
//! entered a rehab program").
//!
//! Events without any participant, date or place are dropped (they cannot be
//! placed on a timeline); so are statements whose speaker is not a resolved
//! entity.
//!
//! An event's date is the shared day (or month, year) of its time-expression
//! dates, or of the time its clause names when that is another time than the
//! article's present ("in 2015 with the support of ..."): `date_source` is
//! `text`. When no source dates it so, the date is the earliest citing
//! article's date (`date_source` `article`): the text does not say when, and
//! news tells what happened on or shortly before its date. Its place is the
//! most cited explicit place;
//! a dateline is where the story was filed, never the event's place.

pub mod stories;

use model::{
    DatePrecision, DateSource, DepTree, Document, Entity, Event, EventMention, EventStatus,
    EventType, Source, UnionFind,
};
use nlp::events::TimeValue;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Days before the article date within which an undated event is taken to have happened.
const SOFT_DAYS_BEFORE: i64 = 7;
/// Days after the article date within which an undated planned event is expected.
const SOFT_DAYS_AFTER_PLANNED: i64 = 60;
/// How many sentences back a mention without resolved participants may refer.
const RECENT_SENTENCES: u32 = 3;

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
    /// Index of the document in the input.
    doc_idx: usize,
    /// The trigger's lemma (lowercase), or its words when untagged.
    lemma: String,
    /// May refer back to an event told earlier in its document ("the meeting", "they discussed").
    anaphoric: bool,
    /// The document's story ([`stories`]).
    story: usize,
    /// Undated, but its own clause names another time than the article's
    /// present ("regained control in 2015 with the support of ..."): it
    /// joins no event of another document, and that time (with the index of
    /// its time expression) dates it.
    elsewhen: Option<(u32, TimeValue)>,
}

impl Item<'_> {
    /// The time expression that dates the mention: its own, or its clause's
    /// when that names another time than the article's present.
    fn timex(&self) -> Option<u32> {
        self.m.timex.or(self.elsewhen.as_ref().map(|&(x, _)| x))
    }
}

/// An event being built.
struct Cluster {
    members: Vec<usize>,
    kind: EventType,
    statement: bool,
    /// Every member is planned.
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
    /// (document index, sentence) of every member.
    spots: Vec<(usize, u32)>,
    in_person: bool,
    /// Trigger lemmas of the members.
    lemmas: BTreeSet<String>,
    /// Story clusters of the members' documents.
    stories: BTreeSet<usize>,
    /// Some member is dated elsewhere by its clause (see `Item::elsewhen`).
    elsewhen: bool,
    /// The shared time of the members dated by their clause only.
    clause: Option<TimeValue>,
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

/// Words before a noun that make it refer back ("the meeting", "their talks").
const DEFINITE: &[&str] = &[
    "the", "this", "that", "these", "those", "his", "her", "their", "its", "our", "such",
];

/// Triggers that tell of meeting in person: never the same event as a phone call.
const IN_PERSON: &[&str] = &[
    "meet", "meeting", "summit", "visit", "trip", "host", "arrive",
];

/// The trigger's lemma and whether the mention may refer back to an earlier one.
fn lemma_and_anaphora(doc: &Document, m: &EventMention) -> (String, bool) {
    let tok = DepTree::new(doc).token_at(m.trigger.start);
    let lemma = tok
        .map(|i| doc.layers.tokens[i].lemma.to_lowercase())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| doc.span_text(m.trigger).to_lowercase());
    if tok.is_some_and(|i| doc.layers.tokens[i].tag.starts_with("VB")) {
        return (lemma, true);
    }
    // a noun: the word before it (skipping one modifier) is a determiner or possessive
    let sent = doc.layers.sentences[m.sentence as usize].span;
    let before = &doc.text[sent.start as usize..m.trigger.start as usize];
    let words: Vec<String> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(2)
        .map(str::to_lowercase)
        .collect();
    let definite = words
        .first()
        .is_some_and(|w| DEFINITE.contains(&w.as_str()))
        || words.get(1).is_some_and(|w| DEFINITE.contains(&w.as_str()));
    (lemma, definite)
}

/// The calendar time a time expression of the mention's own clause names,
/// when the mention has none attached: in "regained control in 2015 with
/// the support of its allies" the support is of 2015 too, not of the
/// article's week. The first such expression of the sentence.
fn clause_time(doc: &Document, m: &EventMention) -> Option<(u32, TimeValue)> {
    let tree = DepTree::new(doc);
    let clause = tree.clause(tree.token_at(m.trigger.start)?);
    let sent = doc.layers.sentences.get(m.sentence as usize)?.span;
    doc.layers
        .timexes
        .iter()
        .enumerate()
        .filter(|(_, x)| sent.contains(x.span))
        .find_map(|(k, x)| {
            let v = TimeValue::parse(&x.value)?;
            let head = tree.span_head(x.span)?;
            (tree.clause(tree.head(head)) == clause).then_some((k as u32, v))
        })
}

fn item<'a>(doc_idx: usize, story: usize, doc: &'a Document, m: &'a EventMention) -> Item<'a> {
    let (lemma, anaphoric) = lemma_and_anaphora(doc, m);
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
    // dated by its own clause to another time than the article's present
    let elsewhen = match (&hard, &soft) {
        (None, Some(w)) => clause_time(doc, m).filter(|(_, t)| !t.overlaps(w)),
        _ => None,
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
        doc_idx,
        lemma,
        anaphoric,
        story,
        elsewhen,
    }
}

/// Whether a mention's refinement fits an event's: a phone call is never a
/// meeting in person; `OTHER` events (deaths, fires, launches, ...) are only
/// the same kind of event; within a PLOVER type, different modes may tell of
/// one event ("bombing" and "killed").
fn modes_compatible(c: &Cluster, it: &Item) -> bool {
    let mode = it.m.mode.as_deref();
    if c.kind == EventType::Consult {
        let phone = mode == Some("phone");
        let in_person = is_in_person(it);
        let c_phone = c.modes.contains("phone");
        return !(phone && c.in_person || in_person && c_phone);
    }
    if c.kind == EventType::Other {
        return match mode {
            Some(m) => c.modes.is_empty() || c.modes.contains(m),
            None => c.modes.is_empty(),
        };
    }
    true
}

fn is_in_person(it: &Item) -> bool {
    matches!(it.m.mode.as_deref(), Some("visit" | "travel"))
        || IN_PERSON.contains(&it.lemma.as_str())
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
    if c.kind != it.m.kind || c.statement != it.statement {
        return None;
    }
    // an event announced and an event told as done are one when the same
    // doer does it (and the rest below agrees): "X will visit Ankara" and
    // "X travelled to Ankara"
    if c.planned != (it.m.status == EventStatus::Planned) && c.actors.is_disjoint(&it.actors) {
        return None;
    }
    let same_doc = c.docs.contains(&it.doc.id);
    // a mention its clause dates to another time than the article's
    // present joins only events of its own document
    if (it.elsewhen.is_some() || c.elsewhen) && (!same_doc || c.docs.len() > 1) {
        return None;
    }
    if !modes_compatible(c, it) {
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
        // no resolved participant on one side: only a mention that refers back
        // joins, and only the nearest event told before it in its own document
        if !same_doc || !it.anaphoric || c.statement {
            return None;
        }
        // "the meeting", "the talks", "the visit" refer to any consultation;
        // other words refer back only to an event told with the same word
        // ("the attack" to "attacked") or of the same kind (`OTHER` modes)
        if !matches!(c.kind, EventType::Consult | EventType::Other) && !c.lemmas.contains(&it.lemma)
        {
            return None;
        }
        let here = (it.m.sentence, it.m.trigger.start);
        let before = c
            .spots
            .iter()
            .filter(|&&(d, s)| d == it.doc_idx && s <= here.0)
            .map(|&(_, s)| here.0 - s)
            .min()?;
        if before > RECENT_SENTENCES {
            return None;
        }
        return Some(1000 - 10 * before);
    } else {
        if shared == 0 {
            return None;
        }
        // across story clusters only with strong evidence: two shared
        // participants on one day
        if !c.stories.contains(&it.story) {
            let same_day =
                matches!((&c.hard, &it.hard), (Some(a), Some(b)) if a.is_day() && b.is_day());
            if shared < 2 || !same_day {
                return None;
            }
        }
        if (c.symmetric || it.symmetric) && c.parts.len() >= 2 && it.parts.len() >= 2 && shared < 2
        {
            return None;
        }
        // a speech act is its speaker's: "the UAE's support for Syria" and
        // "Iraq's readiness to support Syria" are two acts, and one whose
        // speaker is unknown is not told apart from them by its recipient
        if !c.symmetric
            && !it.symmetric
            && is_speech_kind(it.m.kind, it.m.mode.as_deref())
            && (c.actors.is_empty() || it.actors.is_empty())
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
    c.planned &= it.m.status == EventStatus::Planned;
    c.spots.push((it.doc_idx, it.m.sentence));
    c.in_person |= is_in_person(it);
    c.lemmas.insert(it.lemma.clone());
    c.stories.insert(it.story);
    if let Some((_, t)) = &it.elsewhen {
        c.elsewhen = true;
        c.clause = match c.clause.take() {
            Some(a) => a.intersect(t).or(Some(a)),
            None => Some(t.clone()),
        };
    }
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
        spots: Vec::new(),
        in_person: false,
        lemmas: BTreeSet::new(),
        stories: BTreeSet::new(),
        elsewhen: false,
        clause: None,
    };
    add(&mut c, idx, it);
    c
}

/// Merges the event mentions of all documents into events, each citing every
/// source mention. Sorted by date (nulls last), then id; ids `v1..` follow
/// that order. Deterministic whatever the order of `docs`.
pub fn merge(docs: &[Document], entities: &[Entity]) -> Vec<Event> {
    merge_with(docs, entities, &stories::Params::default())
}

/// [`merge`] with the document clustering's weights and threshold given
/// (for tuning and diagnosis).
pub fn merge_with(docs: &[Document], entities: &[Entity], params: &stories::Params) -> Vec<Event> {
    let stories = stories::cluster_documents_with(docs, params);
    merge_in(docs, entities, &stories)
}

/// [`merge`] over given story clusters (`stories[i]` is document `i`'s story
/// number, as [`stories::cluster_documents`] returns them), so that stories
/// are computed once and shared with framing.
pub fn merge_in(docs: &[Document], entities: &[Entity], stories: &[usize]) -> Vec<Event> {
    let mut items: Vec<Item> = docs
        .iter()
        .enumerate()
        .flat_map(|(k, d)| {
            let b = stories[k];
            d.layers.events.iter().map(move |m| item(k, b, d, m))
        })
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
    let clusters = seminal_union(docs, &items, cluster(&items));
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

/// Greedy clustering: each mention joins the best-scoring compatible event
/// or starts one. Candidates are blocked by shared participant and by
/// document, so the work grows with the number of mentions that share an
/// entity, not with the square of all mentions.
fn cluster(items: &[Item]) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut by_part: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_doc: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        let mut cands: Vec<usize> = it
            .parts
            .iter()
            .filter_map(|p| by_part.get(p.as_str()))
            .flatten()
            .chain(by_doc.get(&it.doc_idx).into_iter().flatten())
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        let best = cands
            .into_iter()
            .filter_map(|k| score(&clusters[k], it).map(|s| (s, Reverse(k))))
            .max();
        let k = match best {
            Some((_, Reverse(k))) => {
                add(&mut clusters[k], i, it);
                k
            }
            None => {
                clusters.push(new_cluster(i, it));
                clusters.len() - 1
            }
        };
        for p in &it.parts {
            let v = by_part.entry(p.as_str()).or_default();
            if v.last() != Some(&k) && !v.contains(&k) {
                v.push(k);
            }
        }
        let v = by_doc.entry(it.doc_idx).or_default();
        if !v.contains(&k) {
            v.push(k);
        }
    }
    clusters
}

/// Sentences at the top of an article whose main event is its seminal event.
const SEMINAL_SENTENCES: usize = 6;
/// Eventful sentences at the top of an article all of whose events are seminal.
const LEAD_EVENT_SENTENCES: usize = 2;

/// One article's seminal event: the cluster of the main mention of its
/// first eventful sentences, with the entities its lead is about.
struct Seminal {
    doc: usize,
    /// The article's story cluster.
    story: usize,
    cluster: usize,
    /// People, organizations, facilities, named events, products and works
    /// named in the lead.
    specific: BTreeSet<String>,
    /// Told in the article's first two eventful sentences.
    lead: bool,
}

/// A mention that can tell an article's seminal event: something that
/// happens (not a statement or a speech act such as praise, demand, denial
/// or accusation, which articles mention in passing), reported as fact or
/// as planned; in the lead (`lead`) also ongoing or on one party's word ("a
/// man was shot dead, police said": the article is about the shooting all
/// the same), while further down a claim is usually a side remark ("Syria
/// is capable of defeating terrorism").
fn seminal_candidate(it: &Item, lead: bool) -> bool {
    let told_as_fact = matches!(it.m.status, EventStatus::Occurred | EventStatus::Planned);
    !speech_act(it) && (lead || told_as_fact)
}

/// A statement, or a speech act such as praise, demand, denial or accusation.
fn speech_act(it: &Item) -> bool {
    it.statement || is_speech_kind(it.m.kind, it.m.mode.as_deref())
}

/// Whether an event type (with its mode) is a speech act: support or praise,
/// a demand, a rejection, a threat, an agreement, a disapproval.
fn is_speech_kind(kind: EventType, mode: Option<&str>) -> bool {
    use EventType::*;
    matches!(kind, Support | Request | Reject | Threaten | Agree)
        || (kind == Accuse && mode == Some("disapprove"))
}

/// Whether two events' participants rule out one event: a meeting or
/// call naming two or more participants on each side shares two; directed
/// events with doers named on both sides share one.
fn participants_conflict(a: &Cluster, b: &Cluster) -> bool {
    if a.parts.is_empty() || b.parts.is_empty() {
        return false;
    }
    let shared = a.parts.intersection(&b.parts).count();
    if (a.symmetric || b.symmetric) && a.parts.len() >= 2 && b.parts.len() >= 2 && shared < 2 {
        return true;
    }
    !a.symmetric
        && !b.symmetric
        && !a.actors.is_empty()
        && !b.actors.is_empty()
        && a.actors.is_disjoint(&b.actors)
}

/// Families of event classes that tell one happening from different
/// angles: a shooting is a killing is a death; an armed robbery is violence;
/// an earthquake or a fire is the damage, the killing and the deaths it
/// causes; an arrest leads to charges, custody,
/// a trial and a conviction; a takeover is a deal; a fight or an election is
/// won; a resignation opens an office. Seminal events of articles about one
/// story merge when they share a family; a class outside the table is its
/// own family. `mode` is the event's refinement ("" when it has none).
fn class_families(kind: EventType, mode: &str) -> Vec<String> {
    use EventType::*;
    let fams: &[&str] = match (kind, mode) {
        (Other, "death") | (Other, "fire") | (Coerce, "destroy") => &["violence", "disaster"],
        (Assault, "beat") => &["violence", "win"],
        (Assault, "kill") => &["violence", "disaster"],
        (Other, "robbery") => &["violence"],
        (Assault, _) => &["violence"],
        (Other, "earthquake" | "storm" | "flood" | "crash" | "outage") => &["disaster"],
        (Coerce, "arrest") | (Accuse, "allege" | "investigate") => &["justice"],
        (Accuse, "disapprove") | (Sanction, _) => &["justice"],
        (Other, "verdict" | "trial" | "escape") => &["justice"],
        (Other, "acquisition") | (Agree, _) => &["deal"],
        (Other, "appointment" | "dismissal") | (Retreat, "") => &["office"],
        (Other, "election") => &["office", "win"],
        (Other, "win" | "award") => &["win"],
        (Other, "rehab" | "hospital") => &["care"],
        (Consult, "phone") => &["phone"],
        (Consult, _) => &["meeting"],
        (Protest, _) => &["protest"],
        _ => return vec![format!("{kind:?}/{mode}")],
    };
    fams.iter().map(|f| f.to_string()).collect()
}

/// The families of an event built so far: those of each of its modes (a
/// consultation told as a phone call anywhere is a call).
fn cluster_families(c: &Cluster) -> BTreeSet<String> {
    if c.kind == EventType::Consult {
        let m = if c.modes.contains("phone") {
            "phone"
        } else {
            ""
        };
        return class_families(c.kind, m).into_iter().collect();
    }
    if c.modes.is_empty() {
        return class_families(c.kind, "").into_iter().collect();
    }
    c.modes
        .iter()
        .flat_map(|m| class_families(c.kind, m))
        .collect()
}

/// Article-level linking: within a story cluster, two articles whose
/// seminal events share a class family, with compatible stated dates and
/// places and participants that do not rule it out, tell of one event, even
/// when their sentences name the participants differently. Blocked by story
/// cluster and family, so only articles sharing both are compared.
fn seminal_union(docs: &[Document], items: &[Item], clusters: Vec<Cluster>) -> Vec<Cluster> {
    let mut cluster_of = vec![0usize; items.len()];
    for (k, c) in clusters.iter().enumerate() {
        for &i in &c.members {
            cluster_of[i] = k;
        }
    }
    let mut by_doc: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        by_doc.entry(it.doc_idx).or_default().push(i);
    }
    let mut seminal: Vec<Seminal> = Vec::new();
    for (&d, members) in &by_doc {
        let doc = &docs[d];
        let tree = DepTree::new(doc);
        let mut sentences: Vec<u32> = members
            .iter()
            .filter(|&&i| seminal_candidate(&items[i], true))
            .map(|&i| items[i].m.sentence)
            .collect();
        sentences.sort_unstable();
        sentences.dedup();
        let mut specific = BTreeSet::new();
        let lead_end = stories::lead_end(doc);
        for e in doc
            .layers
            .entities
            .iter()
            .take_while(|e| e.span.start < lead_end)
        {
            let Some(id) = &e.entity else { continue };
            if matches!(
                e.label.as_str(),
                "PERSON" | "ORG" | "FAC" | "EVENT" | "PRODUCT" | "WORK_OF_ART"
            ) {
                specific.insert(id.clone());
            }
        }
        for (rank, &s) in sentences.iter().take(SEMINAL_SENTENCES).enumerate() {
            let mut told: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| {
                    items[i].m.sentence == s
                        && seminal_candidate(&items[i], rank < LEAD_EVENT_SENTENCES)
                })
                .collect();
            told.sort_by_key(|&i| {
                let tok = tree.token_at(items[i].m.trigger.start);
                (
                    tok.map_or(usize::MAX, |t| tree.depth(t)),
                    items[i].m.trigger.start,
                )
            });
            // the headline and lead tell the story in every event they
            // name ("arrested over the shooting"); later sentences by
            // their main event only
            let take = if rank < LEAD_EVENT_SENTENCES {
                told.len()
            } else {
                // below the lead, a sentence whose main event is a remark
                // ("he expressed confidence that X, having defeated Y, ...")
                // tells what someone said, not the story
                let main = members
                    .iter()
                    .copied()
                    .filter(|&i| items[i].m.sentence == s)
                    .min_by_key(|&i| {
                        let tok = tree.token_at(items[i].m.trigger.start);
                        (
                            tok.map_or(usize::MAX, |t| tree.depth(t)),
                            items[i].m.trigger.start,
                        )
                    });
                if main.is_some_and(|i| speech_act(&items[i])) {
                    0
                } else {
                    1
                }
            };
            for &i in told.iter().take(take) {
                seminal.push(Seminal {
                    doc: d,
                    story: items[i].story,
                    cluster: cluster_of[i],
                    specific: specific.clone(),
                    lead: rank < LEAD_EVENT_SENTENCES,
                });
            }
        }
    }
    // union-find over clusters
    let mut sets = UnionFind::new(clusters.len());
    // blocked by story cluster and class family: only seminal events of
    // articles about one story, telling one kind of happening, are compared
    let mut index: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (k, sm) in seminal.iter().enumerate() {
        for f in cluster_families(&clusters[sm.cluster]) {
            index.entry((sm.story, f)).or_default().push(k);
        }
    }
    for v in index.values() {
        for (x, &a) in v.iter().enumerate() {
            for &b in &v[x + 1..] {
                let (sa, sb) = (&seminal[a], &seminal[b]);
                if sa.doc == sb.doc {
                    continue;
                }
                let (ca, cb) = (&clusters[sa.cluster], &clusters[sb.cluster]);
                if !story_compatible(ca, cb) {
                    continue;
                }
                // participants named on both sides must not be disjoint
                // unless the leads are about a shared person, organization
                // or named event (a shared place does not tell two visitors
                // of one city apart)
                if !ca.parts.is_empty()
                    && !cb.parts.is_empty()
                    && ca.parts.is_disjoint(&cb.parts)
                    && sa.specific.is_disjoint(&sb.specific)
                {
                    continue;
                }
                sets.union(sa.cluster, sb.cluster);
            }
        }
    }
    story_mentions(items, &clusters, &seminal, &cluster_of, &mut sets);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, r) in sets.roots().into_iter().enumerate() {
        groups.entry(r).or_default().push(k);
    }
    if groups.len() == clusters.len() {
        return clusters;
    }
    let mut slots: Vec<Option<Cluster>> = clusters.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(groups.len());
    for (_, ks) in groups {
        let mut first = slots[ks[0]].take().expect("each cluster once");
        for &k in &ks[1..] {
            let other = slots[k].take().expect("each cluster once");
            for i in other.members {
                add(&mut first, i, &items[i]);
            }
        }
        out.push(first);
    }
    out
}

/// Whether two events of articles of one story may be one: neither is a
/// statement or dated by its clause to another time, the dates their time
/// expressions state agree (articles of one story may be published days
/// apart, so only stated dates count), their places agree, and their
/// participants do not rule it out.
fn story_compatible(a: &Cluster, b: &Cluster) -> bool {
    let hard = match (&a.hard, &b.hard) {
        (Some(x), Some(y)) => x.overlaps(y),
        _ => true,
    };
    let places = a.places.is_empty() || b.places.is_empty() || !a.places.is_disjoint(&b.places);
    !a.statement
        && !b.statement
        && hard
        && !a.elsewhen
        && !b.elsewhen
        && places
        && !participants_conflict(a, b)
}

/// Story mentions: an article of a story that does not lead with the
/// story's event (seminal in the leads of two or more of its articles) usually still
/// tells it further down ("was arrested two days after the shooting").
/// Its first mention of the same family that is not a plan or a speech act
/// (told as fact, or on one party's word: "police said the fire was set"),
/// compatible with each of the story event's seminal events, joins that
/// event.
fn story_mentions(
    items: &[Item],
    clusters: &[Cluster],
    seminal: &[Seminal],
    cluster_of: &[usize],
    sets: &mut UnionFind,
) {
    // story events: roots with seminal events in the leads of two or more articles
    let mut seminal_of: BTreeMap<usize, Vec<&Seminal>> = BTreeMap::new();
    for sm in seminal.iter().filter(|s| s.lead) {
        seminal_of
            .entry(sets.find(sm.cluster))
            .or_default()
            .push(sm);
    }
    seminal_of.retain(|_, v| v.iter().map(|s| s.doc).collect::<BTreeSet<_>>().len() >= 2);
    if seminal_of.is_empty() {
        return;
    }
    // the articles each root already has a member from
    let mut docs_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (k, c) in clusters.iter().enumerate() {
        let r = sets.find(k);
        docs_of
            .entry(r)
            .or_default()
            .extend(c.members.iter().map(|&i| items[i].doc_idx));
    }
    let mut by_doc: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        by_doc.entry(it.doc_idx).or_default().push(i);
    }
    for (d, mut mine) in by_doc {
        mine.sort_by_key(|&i| (items[i].m.sentence, items[i].m.trigger.start));
        let story = items[mine[0]].story;
        for (&first, sms) in &seminal_of {
            let root = sets.find(first);
            if sms.iter().all(|s| s.story != story)
                || docs_of.get(&root).is_some_and(|ds| ds.contains(&d))
            {
                continue;
            }
            let families: BTreeSet<String> = sms
                .iter()
                .flat_map(|s| cluster_families(&clusters[s.cluster]))
                .collect();
            let found = mine.iter().copied().find(|&i| {
                let it = &items[i];
                let c = &clusters[cluster_of[i]];
                it.m.status != EventStatus::Planned
                    && !speech_act(it)
                    && !cluster_families(c).is_disjoint(&families)
                    && sms
                        .iter()
                        .all(|s| story_compatible(c, &clusters[s.cluster]))
            });
            if let Some(i) = found
                && let Some((kept, absorbed)) = sets.union(cluster_of[i], root)
            {
                let moved = docs_of.remove(&absorbed).unwrap_or_default();
                docs_of.entry(kept).or_default().extend(moved);
            }
        }
    }
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
    // the time the sources' words state; else the earliest citing article's date
    let stated = c
        .hard
        .as_ref()
        .or(c.clause.as_ref())
        .filter(|h| h.iso.is_some());
    let reported = members.iter().filter_map(|it| it.doc.meta.date).min();
    let (date, precision, date_source) = match (stated, reported) {
        (Some(h), _) => (h.iso.clone(), h.precision, Some(DateSource::Text)),
        (None, Some(d)) => (
            Some(d.format("%Y-%m-%d").to_string()),
            DatePrecision::Day,
            Some(DateSource::Article),
        ),
        (None, None) => (None, DatePrecision::Unknown, None),
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
    // the place the text states; a dateline is only where the story was filed
    let place = most_common(members.iter().filter_map(|it| it.place.as_deref()));
    // one source per sentence: a sentence telling the event twice ("the
    // attack ... the assault") is cited once, by its first mention
    let mut seen = BTreeSet::new();
    let sources: Vec<Source> = members
        .iter()
        .map(|it| source(it))
        .filter(|s| seen.insert((s.doc.clone(), s.start, s.end)))
        .collect();
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
        stated
            .map(|h| h.lo)
            .or(reported)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        first.doc.clone(),
        first.trigger_start,
    );
    let event = Event {
        id: String::new(),
        date,
        date_end: None,
        date_precision: precision,
        date_source,
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
            .timex()
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
    let verb = match (kind, mode) {
        (Other, Some("statement")) if !r.is_empty() => "tells",
        _ => verb,
    };
    // unnamed doers ("Islamist-led rebels") stand in when no doer is named
    let (a, a_plural) = match unnamed_actor(members) {
        Some((words, plural)) if a.is_empty() => (vec![words], plural),
        _ => (a, false),
    };
    let mut h = if a.is_empty() && r.is_empty() {
        capitalized(&trigger)
    } else if a.is_empty() || kind == Other && verb == "acts on" {
        // no doer: the done-to in the passive ("Aleppo seized"), or the
        // trigger word when the verb has no passive here
        let who = if a.is_empty() { &r } else { &a };
        match participle(verb) {
            Some(pp) if a.is_empty() => format!("{} {pp}", join_names(who)),
            _ => format!("{} ({trigger})", join_names(who)),
        }
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
        let verb = if first.len() > 1 || a_plural {
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

/// The most cited doer phrase that names no entity ("Islamist-led rebels",
/// "police"), capitalized, and whether its head noun is plural.
fn unnamed_actor(members: &[&Item]) -> Option<(String, bool)> {
    let mut seen: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for it in members {
        let doc = it.doc;
        for a in it.m.actors.iter().filter(|a| a.mention.is_none()) {
            let words = doc.span_text(a.span).trim();
            if words.is_empty() || words.chars().all(|c| !c.is_alphabetic()) {
                continue;
            }
            // the phrase's last token is its head noun
            let toks = &doc.layers.tokens;
            let last = toks.partition_point(|t| t.span.start < a.span.end);
            let plural = last
                .checked_sub(1)
                .is_some_and(|t| matches!(toks[t].tag.as_str(), "NNS" | "NNPS"));
            let e = seen.entry(capitalized(words)).or_insert((0, plural));
            e.0 += 1;
        }
    }
    seen.into_iter()
        .max_by_key(|(w, (n, _))| (*n, Reverse(w.clone())))
        .map(|(w, (_, plural))| (w, plural))
}

/// The words with their first letter in upper case.
fn capitalized(words: &str) -> String {
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The past participle of a headline verb, for a headline without a doer
/// ("Aleppo seized"); `None` for verbs that do not take a passive here.
fn participle(verb: &str) -> Option<&'static str> {
    Some(match verb.split(' ').next()? {
        "releases" => "released",
        "accuses" => "accused",
        "investigates" => "investigated",
        "rejects" => "rejected",
        "threatens" => "threatened",
        "sanctions" => "sanctioned",
        "seizes" => "seized",
        "arrests" => "arrested",
        "coerces" => "coerced",
        "kills" => "killed",
        "attacks" => "attacked",
        _ => return None,
    })
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
