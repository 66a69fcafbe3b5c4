//! Merging case tables over small hand-made documents (text, entity ids,
//! timexes and event mentions written out by hand).

use model::{
    Argument, ByteSpan, DatePrecision, DateSource, Document, Entity, EntityMention, EventMention,
    EventStatus, EventType, Sentence, Timex, TimexType,
};
use resolve::events::merge;

/// A one-sentence document; entities are `(words, label, id)`.
struct Doc {
    d: Document,
}

impl Doc {
    fn new(id: &str, date: &str, text: &str, ents: &[(&str, &str, &str)]) -> Self {
        let mut d = Document::new(id, text);
        d.meta.date = Some(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
        // sentences end at ". "
        let mut start = 0;
        for (i, _) in text.match_indices(". ") {
            d.layers.sentences.push(Sentence {
                span: ByteSpan::new(start, i + 1),
            });
            start = i + 2;
        }
        d.layers.sentences.push(Sentence {
            span: ByteSpan::new(start, text.len()),
        });
        for (w, label, eid) in ents {
            let s = text.find(w).unwrap();
            let mut m = EntityMention::new(ByteSpan::new(s, s + w.len()), *label);
            m.entity = Some(eid.to_string());
            d.layers.entities.push(m);
        }
        Self { d }
    }

    fn span(&self, w: &str) -> ByteSpan {
        let s = self.d.text.find(w).unwrap_or_else(|| panic!("{w} in text"));
        ByteSpan::new(s, s + w.len())
    }

    fn arg(&self, w: &str) -> Argument {
        let span = self.span(w);
        let m = self.d.layers.entities.iter().position(|e| e.span == span);
        Argument {
            span,
            mention: m.map(|m| m as u32),
        }
    }

    /// Adds an event; `time` is `(words, TIMEX3 value)`.
    #[allow(clippy::too_many_arguments)]
    fn event(
        mut self,
        trigger: &str,
        kind: EventType,
        mode: Option<&str>,
        actors: &[&str],
        recipients: &[&str],
        place: Option<&str>,
        time: Option<(&str, &str)>,
    ) -> Self {
        let timex = time.map(|(w, v)| {
            let span = self.span(w);
            self.d.layers.timexes.push(Timex {
                span,
                kind: TimexType::Date,
                value: v.into(),
            });
            (self.d.layers.timexes.len() - 1) as u32
        });
        let trigger = self.span(trigger);
        let m = EventMention {
            trigger,
            sentence: self
                .d
                .layers
                .sentences
                .iter()
                .position(|x| x.span.end >= trigger.end)
                .expect("a sentence holds the trigger") as u32,
            kind,
            mode: mode.map(String::from),
            status: EventStatus::Occurred,
            actors: actors.iter().map(|a| self.arg(a)).collect(),
            recipients: recipients.iter().map(|a| self.arg(a)).collect(),
            place: place.map(|p| self.arg(p)),
            timex,
            date: None,
            date_precision: DatePrecision::Unknown,
            quote: None,
        };
        self.d.layers.events.push(m);
        self
    }
}

fn entity(id: &str, name: &str, kind: &str) -> Entity {
    Entity {
        id: id.into(),
        name: name.into(),
        kind: kind.into(),
        aliases: vec![name.into()],
        mentions: 1,
        geo: None,
    }
}

fn entities() -> Vec<Entity> {
    vec![
        entity("e1", "Sergei Lavrov", "PERSON"),
        entity("e2", "Wang Yi", "PERSON"),
        entity("e3", "Beijing", "GPE"),
        entity("e4", "Recep Erdogan", "PERSON"),
        entity("e5", "Ankara", "GPE"),
    ]
}

const C: EventType = EventType::Consult;

/// The same meeting as three outlets tell it.
fn three_outlets() -> Vec<Document> {
    vec![
        Doc::new(
            "a",
            "2024-12-02",
            "Lavrov met with Wang Yi in Beijing on Sunday evening.",
            &[
                ("Lavrov", "PERSON", "e1"),
                ("Wang Yi", "PERSON", "e2"),
                ("Beijing", "GPE", "e3"),
            ],
        )
        .event(
            "met",
            C,
            None,
            &["Lavrov", "Wang Yi"],
            &[],
            Some("Beijing"),
            Some(("Sunday evening", "2024-12-01TEV")),
        )
        .d,
        Doc::new(
            "b",
            "2024-12-02",
            "Russia's top diplomat Sergei Lavrov met Wang Yi in Beijing Sunday.",
            &[
                ("Sergei Lavrov", "PERSON", "e1"),
                ("Wang Yi", "PERSON", "e2"),
                ("Beijing", "GPE", "e3"),
            ],
        )
        .event(
            "met",
            C,
            Some("visit"),
            &["Sergei Lavrov", "Wang Yi"],
            &[],
            Some("Beijing"),
            Some(("Sunday", "2024-12-01")),
        )
        .d,
        Doc::new(
            "c",
            "2024-12-01",
            "Wang Yi also met with the Russian foreign minister Lavrov.",
            &[("Wang Yi", "PERSON", "e2"), ("Lavrov", "PERSON", "e1")],
        )
        .event("met", C, None, &["Wang Yi", "Lavrov"], &[], None, None)
        .d,
    ]
}

#[test]
fn same_meeting_from_three_outlets_merges() {
    let ev = merge(&three_outlets(), &entities());
    assert_eq!(ev.len(), 1, "{ev:#?}");
    let e = &ev[0];
    assert_eq!(e.id, "v1");
    assert_eq!(e.date.as_deref(), Some("2024-12-01"));
    assert_eq!(e.date_precision, DatePrecision::Day);
    assert_eq!(e.sources.len(), 3);
    let docs: Vec<&str> = e.sources.iter().map(|s| s.doc.as_str()).collect();
    assert_eq!(docs, ["a", "b", "c"]);
    assert_eq!(e.actors.len(), 2);
    assert_eq!(e.place.as_deref(), Some("e3"));
    assert_eq!(e.headline, "Sergei Lavrov meets Wang Yi in Beijing");
    let s = &e.sources[0];
    assert_eq!(
        s.sentence,
        "Lavrov met with Wang Yi in Beijing on Sunday evening."
    );
    assert_eq!(s.trigger, "met");
    assert_eq!(
        &s.sentence[s.trigger_start as usize..s.trigger_end as usize],
        "met"
    );
    assert_eq!(s.time_text.as_deref(), Some("Sunday evening"));
}

#[test]
fn merging_does_not_depend_on_input_order() {
    let docs = three_outlets();
    let mut rev = docs.clone();
    rev.reverse();
    assert_eq!(merge(&docs, &entities()), merge(&rev, &entities()));
}

#[test]
fn meetings_with_different_partners_places_and_days_stay_apart() {
    let docs = vec![Doc::new(
        "a",
        "2024-12-01",
        "Wang Yi met Lavrov in Beijing on Sunday, and on Friday he held talks in Ankara with Erdogan.",
        &[("Wang Yi", "PERSON", "e2"), ("Lavrov", "PERSON", "e1"), ("Beijing", "GPE", "e3"), ("Ankara", "GPE", "e5"), ("Erdogan", "PERSON", "e4")],
    )
    .event("met", C, None, &["Wang Yi", "Lavrov"], &[], Some("Beijing"), Some(("Sunday", "2024-12-01")))
    .event("talks", C, None, &["Erdogan"], &[], Some("Ankara"), Some(("Friday", "2024-11-29")))
    .d];
    // "he" is unresolved: the talks have one resolved participant, Erdogan, disjoint from the meeting
    let ev = merge(&docs, &entities());
    assert_eq!(ev.len(), 2, "{ev:#?}");
    assert_eq!(ev[0].date.as_deref(), Some("2024-11-29"));
    assert_eq!(ev[1].date.as_deref(), Some("2024-12-01"));
    assert_eq!(ev[0].id, "v1");
}

#[test]
fn different_day_dates_never_merge() {
    let mk = |id: &str, day: &str| {
        Doc::new(
            id,
            "2024-12-03",
            "Lavrov met Wang Yi in Beijing on Sunday.",
            &[
                ("Lavrov", "PERSON", "e1"),
                ("Wang Yi", "PERSON", "e2"),
                ("Beijing", "GPE", "e3"),
            ],
        )
        .event(
            "met",
            C,
            None,
            &["Lavrov", "Wang Yi"],
            &[],
            Some("Beijing"),
            Some(("Sunday", day)),
        )
        .d
    };
    let ev = merge(&[mk("a", "2024-12-01"), mk("b", "2024-12-02")], &entities());
    assert_eq!(ev.len(), 2);
    // same day merges
    let ev = merge(&[mk("a", "2024-12-01"), mk("b", "2024-12-01")], &entities());
    assert_eq!(ev.len(), 1);
    // a month contains the day
    let ev = merge(&[mk("a", "2024-12-01"), mk("b", "2024-12")], &entities());
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].date.as_deref(), Some("2024-12-01"));
}

#[test]
fn disjoint_actors_never_merge() {
    let a = Doc::new(
        "a",
        "2024-12-01",
        "Lavrov attacked Wang Yi.",
        &[("Lavrov", "PERSON", "e1"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "attacked",
        EventType::Assault,
        None,
        &["Lavrov"],
        &["Wang Yi"],
        None,
        None,
    )
    .d;
    let b = Doc::new(
        "b",
        "2024-12-01",
        "Erdogan attacked Wang Yi.",
        &[("Erdogan", "PERSON", "e4"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "attacked",
        EventType::Assault,
        None,
        &["Erdogan"],
        &["Wang Yi"],
        None,
        None,
    )
    .d;
    assert_eq!(merge(&[a, b], &entities()).len(), 2);
}

#[test]
fn phone_call_is_not_a_visit() {
    let a = Doc::new(
        "a",
        "2024-12-01",
        "Lavrov met Wang Yi on Sunday.",
        &[("Lavrov", "PERSON", "e1"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "met",
        C,
        Some("visit"),
        &["Lavrov", "Wang Yi"],
        &[],
        None,
        Some(("Sunday", "2024-12-01")),
    )
    .d;
    let b = Doc::new(
        "b",
        "2024-12-01",
        "Lavrov called Wang Yi on Sunday.",
        &[("Lavrov", "PERSON", "e1"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "called",
        C,
        Some("phone"),
        &["Lavrov", "Wang Yi"],
        &[],
        None,
        Some(("Sunday", "2024-12-01")),
    )
    .d;
    assert_eq!(merge(&[a, b], &entities()).len(), 2);
}

#[test]
fn anaphoric_mention_joins_its_documents_event_only() {
    let a = Doc::new(
        "a",
        "2024-12-01",
        "Lavrov met Wang Yi on Sunday. During the meeting, they discussed trade.",
        &[("Lavrov", "PERSON", "e1"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "met",
        C,
        None,
        &["Lavrov", "Wang Yi"],
        &[],
        None,
        Some(("Sunday", "2024-12-01")),
    )
    .event("meeting", C, None, &[], &[], None, None)
    .d;
    let ev = merge(&[a], &entities());
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].sources.len(), 2);
    // alone in another document, an unplaced, undated, participant-less mention is dropped
    let b = Doc::new(
        "b",
        "2024-12-01",
        "During the meeting, they discussed trade.",
        &[],
    )
    .event("meeting", C, None, &[], &[], None, None)
    .d;
    assert!(merge(&[b], &entities()).is_empty());
}

#[test]
fn a_reprint_is_merged_as_a_source_and_another_meeting_stays_apart() {
    let mut docs = three_outlets();
    docs[2].duplicate_of = Some("a".into());
    let extra = Doc::new(
        "d",
        "2024-12-02",
        "Erdogan met Wang Yi on Sunday.",
        &[("Erdogan", "PERSON", "e4"), ("Wang Yi", "PERSON", "e2")],
    )
    .event(
        "met",
        C,
        None,
        &["Erdogan", "Wang Yi"],
        &[],
        None,
        Some(("Sunday", "2024-12-01")),
    )
    .d;
    docs.push(extra);
    let ev = merge(&docs, &entities());
    assert_eq!(ev.len(), 2);
    let big = ev.iter().find(|e| e.sources.len() == 3).unwrap();
    // the reprint ("c", a duplicate of "a") is cited but not independent
    assert_eq!(big.independent_sources(|d| d == "c"), 2);
    let other = ev.iter().find(|e| e.sources.len() == 1).unwrap();
    assert_eq!(other.sources[0].doc, "d");
}

/// Regression: two mentions with one trigger word in one sentence cited the
/// sentence twice.
#[test]
fn a_sentence_telling_an_event_twice_is_cited_once() {
    let mut d = Doc::new(
        "a",
        "2024-12-02",
        "Lavrov met Wang Yi in Beijing on Sunday, and they met again later.",
        &[
            ("Lavrov", "PERSON", "e1"),
            ("Wang Yi", "PERSON", "e2"),
            ("Beijing", "GPE", "e3"),
        ],
    )
    .event(
        "met",
        C,
        None,
        &["Lavrov", "Wang Yi"],
        &[],
        Some("Beijing"),
        Some(("Sunday", "2024-12-01")),
    );
    // the second "met", with the same trigger words as the first
    let mut second = d.d.layers.events[0].clone();
    let at = d.d.text.rfind("met").unwrap();
    second.trigger = ByteSpan::new(at, at + 3);
    d.d.layers.events.push(second.clone());
    // and the very same mention read twice
    d.d.layers.events.push(d.d.layers.events[0].clone());
    let ev = merge(&[d.d], &entities());
    assert_eq!(ev.len(), 1);
    let cited: Vec<(u32, u32, &str)> = ev[0]
        .sources
        .iter()
        .map(|s| (s.start, s.end, s.trigger.as_str()))
        .collect();
    assert_eq!(cited.len(), 1, "{cited:?}");
}

/// Gives a document one token per space-separated word, all governed by the
/// verb `verb` (the root).
fn with_clause(mut d: Document, verb: &str) -> Document {
    let text = d.text.clone();
    let mut at = 0;
    let words: Vec<&str> = text.split(' ').collect();
    let root = words.iter().position(|w| *w == verb).unwrap() as u32;
    for (i, w) in words.iter().enumerate() {
        let mut t = model::Token::new(ByteSpan::new(at, at + w.len()));
        t.pos = if *w == verb { "VERB" } else { "NOUN" }.into();
        t.tag = if *w == verb { "VBD" } else { "NN" }.into();
        t.lemma = w.to_lowercase();
        t.head = if i as u32 == root { i as u32 } else { root };
        d.layers.tokens.push(t);
        at += w.len() + 1;
    }
    d
}

#[test]
fn support_dated_to_another_year_by_its_clause_stays_apart() {
    let s = EventType::Support;
    let ents = entities();
    let past = |dated: bool| {
        let d = Doc::new(
            "a",
            "2024-12-02",
            "The army retook the port in 2019 with the support of Lavrov",
            &[("Lavrov", "PERSON", "e1")],
        );
        let d = if dated {
            // the year is the clause's, not attached to the mention
            let mut d = d;
            let span = d.span("2019");
            d.d.layers.timexes.push(Timex {
                span,
                kind: TimexType::Date,
                value: "2019".into(),
            });
            d
        } else {
            d
        };
        let d = d.event("support", s, None, &["Lavrov"], &[], None, None);
        with_clause(d.d, "retook")
    };
    let now = Doc::new(
        "b",
        "2024-12-01",
        "Lavrov pledged support for the army.",
        &[("Lavrov", "PERSON", "e1")],
    )
    .event("support", s, None, &["Lavrov"], &[], None, None)
    .d;
    // without the year the two undated mentions of one participant merge
    let merged = merge(&[past(false), now.clone()], &ents);
    assert_eq!(merged.len(), 1, "{merged:#?}");
    // with it, the support of 2019 is not the support of this week
    let apart = merge(&[past(true), now], &ents);
    assert_eq!(apart.len(), 2, "{apart:#?}");
    // each is dated: the old one by its clause's year, the other by its article
    let dates: Vec<_> = apart
        .iter()
        .map(|e| (e.date.as_deref(), e.date_precision, e.date_source))
        .collect();
    assert_eq!(
        dates,
        [
            (Some("2019"), DatePrecision::Year, Some(DateSource::Text)),
            (
                Some("2024-12-01"),
                DatePrecision::Day,
                Some(DateSource::Article)
            ),
        ]
    );
    let old = apart
        .iter()
        .find(|e| e.date.as_deref() == Some("2019"))
        .unwrap();
    assert_eq!(old.sources[0].time_text.as_deref(), Some("2019"));
}

#[test]
fn support_by_different_or_unknown_speakers_for_one_recipient_stays_apart() {
    let s = EventType::Support;
    let ents = entities();
    let d = |id: &str, text: &str, ents: &[(&str, &str, &str)], actors: &[&str]| {
        Doc::new(id, "2024-12-02", text, ents)
            .event("support", s, None, actors, &["Ankara"], None, None)
            .d
    };
    let docs = vec![
        d(
            "a",
            "Lavrov reaffirmed his support for Ankara.",
            &[("Lavrov", "PERSON", "e1"), ("Ankara", "GPE", "e5")],
            &["Lavrov"],
        ),
        d(
            "b",
            "Wang Yi voiced support for Ankara.",
            &[("Wang Yi", "PERSON", "e2"), ("Ankara", "GPE", "e5")],
            &["Wang Yi"],
        ),
        d(
            "c",
            "Allies offered their support for Ankara.",
            &[("Ankara", "GPE", "e5")],
            &[],
        ),
    ];
    let merged = merge(&docs, &ents);
    assert_eq!(merged.len(), 3, "{merged:#?}");
}

#[test]
fn visit_announced_then_told_as_done_is_one_event_that_occurred() {
    let ents = entities();
    let mut announced = Doc::new(
        "a",
        "2024-12-01",
        "Erdogan will visit Ankara.",
        &[("Erdogan", "PERSON", "e4"), ("Ankara", "GPE", "e5")],
    )
    .event(
        "visit",
        C,
        Some("visit"),
        &["Erdogan"],
        &[],
        Some("Ankara"),
        None,
    )
    .d;
    announced.layers.events[0].status = EventStatus::Planned;
    let done = Doc::new(
        "b",
        "2024-12-02",
        "Erdogan travelled to Ankara.",
        &[("Erdogan", "PERSON", "e4"), ("Ankara", "GPE", "e5")],
    )
    .event(
        "travelled",
        C,
        Some("travel"),
        &["Erdogan"],
        &[],
        Some("Ankara"),
        None,
    )
    .d;
    let merged = merge(&[announced.clone(), done.clone()], &ents);
    assert_eq!(merged.len(), 1, "{merged:#?}");
    assert_eq!(merged[0].status, EventStatus::Occurred);
    assert_eq!(merged[0].sources.len(), 2);
    // announced for another doer: two events
    drop(done);
    let other = Doc::new(
        "b",
        "2024-12-02",
        "Lavrov travelled to Ankara.",
        &[("Lavrov", "PERSON", "e1"), ("Ankara", "GPE", "e5")],
    )
    .event(
        "travelled",
        C,
        Some("travel"),
        &["Lavrov"],
        &[],
        Some("Ankara"),
        None,
    )
    .d;
    let apart = merge(&[announced, other], &ents);
    assert_eq!(apart.len(), 2, "{apart:#?}");
}

#[test]
fn headline_names_an_unnamed_group_doer() {
    let ents = entities();
    let mut d = Doc::new(
        "a",
        "2024-12-02",
        "Armed rebels seized Ankara on Saturday.",
        &[("Ankara", "GPE", "e5")],
    )
    .event(
        "seized",
        EventType::Coerce,
        Some("seize"),
        &["Armed rebels"],
        &["Ankara"],
        None,
        Some(("on Saturday", "2024-11-30")),
    )
    .d;
    let rebels = d.text.find("rebels").unwrap();
    d.layers.tokens = ["Armed", "rebels"]
        .iter()
        .zip([(0, "JJ"), (rebels, "NNS")])
        .map(|(w, (at, tag))| {
            let mut t = model::Token::new(ByteSpan::new(at, at + w.len()));
            t.tag = tag.into();
            t
        })
        .collect();
    let merged = merge(&[d], &ents);
    assert_eq!(merged[0].headline, "Armed rebels seize Ankara");
}
