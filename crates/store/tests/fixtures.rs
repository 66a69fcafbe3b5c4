//! Documents and timelines built in code for the store's tests and its bench
//! example. Invented text only; no evaluation data.
#![allow(dead_code)]

use model::{
    Argument, ByteSpan, DatePrecision, DocMeta, Document, EntityMention, EventMention,
    EventStatus, EventType, Geo, Layers, MentionOrigin, Sentence, Source, Timex, TimexType,
    Timeline, Token,
};

/// The span of the `n`-th occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str, n: usize) -> ByteSpan {
    let start = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} #{n} not in {text:?}"))
        .0;
    ByteSpan::new(start, start + needle.len())
}

/// Splits on ASCII spaces into tokens; punctuation stays attached. Heads point to the first token
/// of the sentence.
fn tokens(text: &str, sentences: &[Sentence]) -> Vec<Token> {
    let mut out = Vec::new();
    for s in sentences {
        let root = out.len() as u32;
        let mut pos = s.span.start as usize;
        for w in text[s.span.range()].split(' ') {
            let span = ByteSpan::new(pos, pos + w.len());
            pos += w.len() + 1;
            if w.is_empty() {
                continue;
            }
            let mut t = Token::new(span);
            t.tag = if w.chars().next().is_some_and(char::is_uppercase) {
                "NNP".into()
            } else {
                "NN".into()
            };
            t.pos = "NOUN".into();
            t.lemma = w.to_lowercase();
            t.head = root;
            t.dep = if out.len() as u32 == root {
                "ROOT".into()
            } else {
                "dep".into()
            };
            out.push(t);
        }
    }
    out
}

/// A document with every field and every layer filled, in non-ASCII text.
pub fn rich_doc(id: &str) -> Document {
    let text = "Ministra Zoë Çelik met Jürgen Ødegaard in Zürich on Tuesday — “talks went well,” she said.\n\nThe two will meet again in São Paulo next month.";
    let s1 = find(text, "Ministra", 0).start as usize;
    let e1 = find(text, "said.", 0).end as usize;
    let s2 = find(text, "The two", 0).start as usize;
    let e2 = text.len();
    let sentences = vec![
        Sentence {
            span: ByteSpan::new(s1, e1),
        },
        Sentence {
            span: ByteSpan::new(s2, e2),
        },
    ];
    let tokens = tokens(text, &sentences);
    let mut zoe = EntityMention::new(find(text, "Zoë Çelik", 0), "PERSON");
    zoe.entity = Some("e1".into());
    let mut jurgen = EntityMention::new(find(text, "Jürgen Ødegaard", 0), "PERSON");
    jurgen.entity = Some("e2".into());
    jurgen.origin = MentionOrigin::Rule;
    let mut zurich = EntityMention::new(find(text, "Zürich", 0), "GPE");
    zurich.entity = Some("e3".into());
    zurich.origin = MentionOrigin::Gazetteer;
    let sao = EntityMention::new(find(text, "São Paulo", 0), "GPE");
    let timexes = vec![
        Timex {
            span: find(text, "on Tuesday", 0),
            kind: TimexType::Date,
            value: "2024-12-03".into(),
        },
        Timex {
            span: find(text, "next month", 0),
            kind: TimexType::Date,
            value: "2025-01".into(),
        },
    ];
    let met = EventMention {
        trigger: find(text, "met", 0),
        sentence: 0,
        kind: EventType::Consult,
        mode: Some("visit".into()),
        status: EventStatus::Occurred,
        actors: vec![
            Argument {
                span: zoe.span,
                mention: Some(0),
            },
            Argument {
                span: jurgen.span,
                mention: Some(1),
            },
        ],
        recipients: vec![],
        place: Some(Argument {
            span: zurich.span,
            mention: Some(2),
        }),
        timex: Some(0),
        date: Some("2024-12-03".into()),
        date_precision: DatePrecision::Day,
        quote: Some(find(text, "talks went well,", 0)),
    };
    let meet = EventMention {
        trigger: find(text, "meet", 0),
        sentence: 1,
        kind: EventType::Consult,
        mode: None,
        status: EventStatus::Planned,
        actors: vec![Argument {
            span: find(text, "The two", 0),
            mention: None,
        }],
        recipients: vec![Argument {
            span: jurgen.span,
            mention: Some(1),
        }],
        place: Some(Argument {
            span: sao.span,
            mention: Some(3),
        }),
        timex: Some(1),
        date: Some("2025-01".into()),
        date_precision: DatePrecision::Month,
        quote: None,
    };
    Document {
        id: id.into(),
        text: text.into(),
        meta: DocMeta {
            date: chrono_date(2024, 12, 4),
            outlet: Some("Die Zeitung".into()),
            distributor: Some("Wire Service".into()),
            dateline: Some("ZÜRICH".into()),
            path: Some(format!("in/{id}.txt")),
            title: Some("Çelik und Ødegaard".into()),
            url: Some(format!("https://example.org/{id}")),
        },
        content_hash: format!("hash-{id}"),
        duplicate_of: None,
        layers: Layers {
            sentences,
            tokens,
            entities: vec![zoe, jurgen, zurich, sao],
            timexes,
            events: vec![met, meet],
            diagnostics: vec![
                model::Diagnostic {
                    stage: "resolve".into(),
                    message: "São Paulo: no entity".into(),
                    span: Some(find(text, "São Paulo", 0)),
                },
                model::Diagnostic {
                    stage: "temporal".into(),
                    message: "no anchor".into(),
                    span: None,
                },
            ],
        },
    }
}

fn chrono_date(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

/// A plain document with only text and id.
pub fn plain_doc(id: &str, text: &str) -> Document {
    let mut d = Document::new(id, text);
    d.content_hash = format!("hash-of-{text}");
    d
}

/// A timeline citing `rich_doc(doc)`: three entities (one with geo), two events.
pub fn timeline_for(doc: &Document) -> Timeline {
    let l = &doc.layers;
    let source = |e: &EventMention, time: Option<&str>, quote: Option<&str>| Source {
        doc: doc.id.clone(),
        start: l.sentences[e.sentence as usize].span.start,
        end: l.sentences[e.sentence as usize].span.end,
        sentence: doc
            .span_text(l.sentences[e.sentence as usize].span)
            .to_string(),
        trigger: doc.span_text(e.trigger).to_string(),
        trigger_start: e.trigger.start,
        trigger_end: e.trigger.end,
        time_text: time.map(String::from),
        quote: quote.map(String::from),
    };
    Timeline {
        entities: vec![
            model::Entity {
                id: "e1".into(),
                name: "Zoë Çelik".into(),
                kind: "PERSON".into(),
                aliases: vec!["Zoë Çelik".into(), "Çelik".into()],
                mentions: 2,
                geo: None,
            },
            model::Entity {
                id: "e2".into(),
                name: "Jürgen Ødegaard".into(),
                kind: "PERSON".into(),
                aliases: vec!["Jürgen Ødegaard".into()],
                mentions: 2,
                geo: None,
            },
            model::Entity {
                id: "e3".into(),
                name: "Zürich".into(),
                kind: "GPE".into(),
                aliases: vec!["Zürich".into()],
                mentions: 1,
                geo: Some(Geo {
                    lat: 47.366_67,
                    lon: 8.55,
                    country: "CH".into(),
                    geonames_id: 2_657_896,
                }),
            },
        ],
        events: vec![
            model::Event {
                id: "v1".into(),
                date: Some("2024-12-03".into()),
                date_end: None,
                date_precision: DatePrecision::Day,
                kind: EventType::Consult,
                mode: Some("visit".into()),
                status: EventStatus::Occurred,
                headline: "Zoë Çelik meets Jürgen Ødegaard in Zürich".into(),
                actors: vec!["e1".into(), "e2".into()],
                recipients: vec![],
                place: Some("e3".into()),
                sources: vec![source(
                    &l.events[0],
                    Some("on Tuesday"),
                    Some("talks went well,"),
                )],
            },
            model::Event {
                id: "v2".into(),
                date: Some("2025-01".into()),
                date_end: Some("2025-01-31".into()),
                date_precision: DatePrecision::Month,
                kind: EventType::Consult,
                mode: None,
                status: EventStatus::Planned,
                headline: "Zoë Çelik to meet Jürgen Ødegaard again".into(),
                actors: vec!["e1".into()],
                recipients: vec!["e2".into()],
                place: None,
                sources: vec![source(&l.events[1], Some("next month"), None)],
            },
        ],
    }
}

/// A synthetic document of `sentences` sentences with tokens, entity mentions,
/// timexes and event mentions, for the bench. `seed` varies the text.
pub fn synthetic_doc(seed: usize, sentences: usize) -> Document {
    let mut text = String::new();
    let mut sents = Vec::new();
    let mut ents = Vec::new();
    let mut timexes = Vec::new();
    let mut events = Vec::new();
    for i in 0..sentences {
        let start = text.len();
        let a = format!("Person{}", (seed + i) % 97);
        let b = format!("Städt{}", (seed * 7 + i) % 89);
        text.push_str(&format!(
            "{a} met officials of {b} on Monday to discuss trade, security and the road ahead for item {i}."
        ));
        let end = text.len();
        sents.push(Sentence {
            span: ByteSpan::new(start, end),
        });
        let pa = ByteSpan::new(start, start + a.len());
        let sb = text[start..].find(&b).unwrap() + start;
        let pb = ByteSpan::new(sb, sb + b.len());
        ents.push(EntityMention::new(pa, "PERSON"));
        ents.push(EntityMention::new(pb, "GPE"));
        let mo = text[start..].find("on Monday").unwrap() + start;
        timexes.push(Timex {
            span: ByteSpan::new(mo, mo + "on Monday".len()),
            kind: TimexType::Date,
            value: "2024-12-02".into(),
        });
        let tr = start + a.len() + 1;
        events.push(EventMention {
            trigger: ByteSpan::new(tr, tr + 3),
            sentence: i as u32,
            kind: EventType::Consult,
            mode: Some("visit".into()),
            status: EventStatus::Occurred,
            actors: vec![Argument {
                span: pa,
                mention: Some(2 * i as u32),
            }],
            recipients: vec![],
            place: Some(Argument {
                span: pb,
                mention: Some(2 * i as u32 + 1),
            }),
            timex: Some(i as u32),
            date: Some("2024-12-02".into()),
            date_precision: DatePrecision::Day,
            quote: None,
        });
        text.push(' ');
    }
    text.pop();
    let tokens = tokens(&text, &sents);
    Document {
        id: format!("doc{seed:06}"),
        content_hash: format!("h{seed}"),
        meta: DocMeta {
            date: chrono_date(2024, 12, 4),
            outlet: Some(format!("Outlet {}", seed % 13)),
            ..DocMeta::default()
        },
        text,
        duplicate_of: None,
        layers: Layers {
            sentences: sents,
            tokens,
            entities: ents,
            timexes,
            events,
            diagnostics: vec![],
        },
    }
}
