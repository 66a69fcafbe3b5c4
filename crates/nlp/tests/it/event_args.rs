//! Event arguments over live analyses: each sentence (written for these tests,
//! general news English) is run through the bundled spaCy model
//! (`models/en_core_web_sm-3.8.0`, the pure-Rust port) and then through event
//! extraction. The model is part of the repository: tests fail without it.
//! Time expressions are added by hand (the temporal tagger is another crate).

use model::{ByteSpan, Document, EventMention, EventStatus, EventType, Stage, Timex, TimexType};
use nlp::events::extract;
use nlp::spacy_stage::SpacyStage;
use std::path::Path;
use std::sync::OnceLock;

/// The bundled spaCy stage, loaded once. The model is part of the
/// repository: a missing model fails the test, it does not skip it.
fn stage() -> &'static SpacyStage {
    static STAGE: OnceLock<SpacyStage> = OnceLock::new();
    STAGE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm-3.8.0");
        SpacyStage::load(&dir)
            .unwrap_or_else(|e| panic!("bundled spaCy model at {}: {e}", dir.display()))
    })
}

/// The analysed document (article date 2024-03-10).
fn analyse(text: &str) -> Document {
    let mut d = Document::new("t", text);
    d.meta.date = chrono::NaiveDate::from_ymd_opt(2024, 3, 10);
    stage().run(&mut d).expect("spaCy stage runs");
    d
}

/// Adds a date timex over the first occurrence of `words`.
fn with_timex(mut d: Document, words: &str, value: &str) -> Document {
    let start = d.text.find(words).expect("timex words in text");
    d.layers.timexes.push(Timex {
        span: ByteSpan::new(start, start + words.len()),
        kind: TimexType::Date,
        value: value.into(),
    });
    d
}

fn texts(d: &Document, args: &[model::Argument]) -> Vec<String> {
    args.iter()
        .map(|a| d.span_text(a.span).to_string())
        .collect()
}

/// The entity-mention texts the arguments resolve to ("-" for none).
fn resolved(d: &Document, args: &[model::Argument]) -> Vec<String> {
    args.iter()
        .map(|a| match a.mention {
            Some(m) => d.span_text(d.layers.entities[m as usize].span).to_string(),
            None => "-".to_string(),
        })
        .collect()
}

fn show(d: &Document, ms: &[EventMention]) -> String {
    let mut s = String::new();
    for m in ms {
        s.push_str(&format!(
            "\n  [{}] {:?}/{:?} {:?} actors={:?}->{:?} rec={:?}->{:?} place={:?} date={:?}",
            d.span_text(m.trigger),
            m.kind,
            m.mode,
            m.status,
            texts(d, &m.actors),
            resolved(d, &m.actors),
            texts(d, &m.recipients),
            resolved(d, &m.recipients),
            m.place.as_ref().map(|p| d.span_text(p.span)),
            m.date,
        ));
    }
    s
}

fn find<'a>(d: &Document, ms: &'a [EventMention], trigger: &str) -> &'a EventMention {
    ms.iter()
        .find(|m| d.span_text(m.trigger) == trigger)
        .unwrap_or_else(|| panic!("no trigger {trigger:?} in {}{}", d.text, show(d, ms)))
}

/// Prints tokens and mentions of `EVENTS_TEXT`:
/// `EVENTS_TEXT='...' cargo test -p eventline-nlp --test it event_args::dump_text -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_text() {
    let text = std::env::var("EVENTS_TEXT").expect("set EVENTS_TEXT to the text to dump");
    let d = analyse(&text);
    for (i, t) in d.layers.tokens.iter().enumerate() {
        println!(
            "{i:3} {:15} {:5} {:10} -> {:3} {}",
            d.span_text(t.span),
            t.tag,
            t.dep,
            t.head,
            t.lemma
        );
    }
    for e in &d.layers.entities {
        println!("  ent {:?} {}", d.span_text(e.span), e.label.as_str());
    }
    println!("{}", show(&d, &extract(&d)));
}

#[test]
fn nominal_trigger_took_the_clause_subject_as_actor() {
    let d = analyse(
        "Prime Minister Jane Doe reaffirmed Canada's firm support for Ukraine in its battle against the invaders.",
    );
    let ms = extract(&d);
    let support = find(&d, &ms, "support");
    assert_eq!(
        resolved(&d, &support.actors),
        ["Canada"],
        "{}",
        show(&d, &ms)
    );
    assert_eq!(resolved(&d, &support.recipients), ["Ukraine"]);
    // "its battle": the possessor's antecedent fights, the speaker does not
    let battle = find(&d, &ms, "battle");
    assert_eq!(
        resolved(&d, &battle.actors),
        ["Ukraine"],
        "{}",
        show(&d, &ms)
    );
    assert_eq!(texts(&d, &battle.actors), ["its"]);
    assert_eq!(texts(&d, &battle.recipients), ["invaders"]);
}

#[test]
fn support_verb_subject_is_the_actor_of_its_noun_and_a_pledge_is_planned() {
    let d = analyse("Chancellor Olaf Berg pledged military assistance to Ukraine.");
    let ms = extract(&d);
    let aid = find(&d, &ms, "assistance");
    assert_eq!(
        resolved(&d, &aid.actors),
        ["Olaf Berg"],
        "{}",
        show(&d, &ms)
    );
    assert_eq!(aid.status, EventStatus::Planned);
    // a pledge is an intent to cooperate: PLOVER AGREE (CAMEO 033)
    assert_eq!(find(&d, &ms, "pledged").kind, EventType::Agree);
    assert_eq!(nlp::events::plover_type(aid), EventType::Agree);
}

#[test]
fn raising_subject_lost_to_a_demonym_of_the_noun_complement() {
    let d = analyse(
        "Foreign Minister Anna Lind was expected to travel to Oslo for consultations with Danish officials.",
    );
    let ms = extract(&d);
    let travel = find(&d, &ms, "travel");
    assert_eq!(
        resolved(&d, &travel.actors),
        ["Anna Lind"],
        "{}",
        show(&d, &ms)
    );
    assert_eq!(travel.status, EventStatus::Planned);
    let talks = find(&d, &ms, "consultations");
    let who = resolved(&d, &talks.actors);
    assert!(
        who.contains(&"Anna Lind".to_string()) && who.contains(&"Danish".to_string()),
        "{}",
        show(&d, &ms)
    );
}

#[test]
fn pronoun_subject_of_light_verb_resolves_to_the_preceding_person() {
    let d = analyse(
        "Peter Hall arrived in Rome on Friday, and on Saturday he held talks with Maria Conti.",
    );
    let ms = extract(&d);
    let talks = find(&d, &ms, "talks");
    assert_eq!(
        resolved(&d, &talks.actors),
        ["Maria Conti", "Peter Hall"],
        "{}",
        show(&d, &ms)
    );
    // the span stays on the pronoun's own words
    assert!(texts(&d, &talks.actors).contains(&"he".to_string()));
}

#[test]
fn plural_pronoun_stands_for_the_two_persons_of_the_previous_sentence() {
    let d = analyse(
        "Senator Mark Jones spoke by phone on Sunday with President Paul Martin.\nThey discussed the trade dispute.",
    );
    let ms = extract(&d);
    let talk = find(&d, &ms, "discussed");
    assert_eq!(
        resolved(&d, &talk.actors),
        ["Mark Jones", "Paul Martin"],
        "{}",
        show(&d, &ms)
    );
}

#[test]
fn object_pronoun_is_not_its_own_clause_subject() {
    // "him" is not the praising Mary Brown; with no other named person it stays unresolved
    let d = analyse("Mary Brown met the mayor on Monday. She later praised him.");
    let ms = extract(&d);
    let praised = find(&d, &ms, "praised");
    assert_eq!(
        resolved(&d, &praised.actors),
        ["Mary Brown"],
        "{}",
        show(&d, &ms)
    );
    assert!(praised.recipients.iter().all(|a| a.mention.is_none()));

    let d = analyse("Mary Brown met Paul Stone on Monday. She later commended his courage.");
    let ms = extract(&d);
    let commended = find(&d, &ms, "commended");
    assert_eq!(
        resolved(&d, &commended.recipients),
        ["Paul Stone"],
        "{}",
        show(&d, &ms)
    );
}

#[test]
fn relative_pronoun_subject_of_a_raised_clause_is_the_modified_noun() {
    let d = analyse(
        "The envoy later flew to Lisbon, which is believed to be supporting armed groups in the region.",
    );
    let ms = extract(&d);
    let s = find(&d, &ms, "supporting");
    assert_eq!(resolved(&d, &s.actors), ["Lisbon"], "{}", show(&d, &ms));
    assert_eq!(texts(&d, &s.recipients), ["armed groups"]);
}

#[test]
fn time_of_a_light_noun_left_its_of_event_undated() {
    let d = analyse(
        "But the insurgents' launch on Wednesday of a surprise offensive against the town shattered the truce.",
    );
    let d = with_timex(d, "Wednesday", "2024-03-06");
    let ms = extract(&d);
    let o = find(&d, &ms, "offensive");
    assert_eq!(o.date.as_deref(), Some("2024-03-06"), "{}", show(&d, &ms));
    assert_eq!(texts(&d, &o.actors), ["insurgents"]);
    assert_eq!(texts(&d, &o.recipients), ["town"]);

    let d = analyse("Gunmen carried out an attack on a police station on Monday.");
    let d = with_timex(d, "Monday", "2024-03-04");
    let ms = extract(&d);
    let a = find(&d, &ms, "attack");
    assert_eq!(a.date.as_deref(), Some("2024-03-04"), "{}", show(&d, &ms));
    assert_eq!(texts(&d, &a.actors), ["Gunmen"]);
}

#[test]
fn group_participant_lost_its_modifiers() {
    let d = analyse("Islamist-led rebels on Saturday seized most of the city.");
    let ms = extract(&d);
    let s = find(&d, &ms, "seized");
    assert_eq!(
        texts(&d, &s.actors),
        ["Islamist-led rebels"],
        "{}",
        show(&d, &ms)
    );
    assert_eq!(s.actors[0].mention, None);
    // "most of the city": the city is what was seized
    assert_eq!(texts(&d, &s.recipients), ["city"]);
}

#[test]
fn possessor_of_a_praised_quality_is_the_recipient() {
    let d = analyse("Senator Ruth Cole praised Governor Tom Hale's courage.");
    let ms = extract(&d);
    let p = find(&d, &ms, "praised");
    assert_eq!(resolved(&d, &p.actors), ["Ruth Cole"], "{}", show(&d, &ms));
    let to = resolved(&d, &p.recipients);
    assert!(to.len() == 1 && to[0].starts_with("Tom Hale"), "{to:?}");
    let d = analyse("The minister condemned the army's conduct.");
    let ms = extract(&d);
    let c = find(&d, &ms, "condemned");
    assert_eq!(texts(&d, &c.recipients), ["army"], "{}", show(&d, &ms));
}

#[test]
fn untagged_surname_after_the_full_name_was_unresolved() {
    let d = analyse(
        "Defence Minister Olga Lind arrived in Oslo on Monday. Lind was expected to travel to Bergen next.",
    );
    let ms = extract(&d);
    let t = find(&d, &ms, "travel");
    assert_eq!(texts(&d, &t.actors), ["Lind"], "{}", show(&d, &ms));
    assert_eq!(resolved(&d, &t.actors), ["Olga Lind"]);
}

#[test]
fn offer_to_someone_had_no_recipient() {
    let d = analyse("The club made a four-year offer to Teixeira.");
    let ms = extract(&d);
    let o = find(&d, &ms, "offer");
    assert_eq!(texts(&d, &o.recipients), ["Teixeira"], "{}", show(&d, &ms));
}

#[test]
fn demonym_in_a_parenthetical_apposition_replaced_the_group() {
    let d = analyse("The arrest of the 23 pirates (12 Somali and 11 Yemeni) was announced.");
    let ms = extract(&d);
    let a = find(&d, &ms, "arrest");
    assert_eq!(texts(&d, &a.recipients), ["pirates"], "{}", show(&d, &ms));
}

#[test]
fn published_report_was_typed_as_a_prisoner_release() {
    let cases = [
        "The ministry released a report on Friday showing that exports fell.",
        "A report released by the statistics office on Friday showed that exports fell.",
    ];
    for text in cases {
        let d = analyse(text);
        let ms = extract(&d);
        assert!(
            ms.iter().all(|m| d.span_text(m.trigger) != "released"),
            "{}",
            show(&d, &ms)
        );
    }
    // freeing people stays a release
    let d = analyse("The rebels released two hostages on Friday.");
    let ms = extract(&d);
    assert_eq!(find(&d, &ms, "released").kind, EventType::Retreat);
}

#[test]
fn a_seized_or_besieged_place_is_also_where_the_event_happened() {
    let d = analyse(
        "Government troops captured Mosul on Friday after a long battle.\nThe army began the siege of Sarajevo in the summer.",
    );
    let ms = extract(&d);
    let capture = find(&d, &ms, "captured");
    assert_eq!(
        capture.place.as_ref().map(|p| d.span_text(p.span)),
        Some("Mosul"),
        "{}",
        show(&d, &ms)
    );
    assert_eq!(
        texts(&d, &capture.recipients),
        ["Mosul"],
        "{}",
        show(&d, &ms)
    );
    let siege = find(&d, &ms, "siege");
    assert_eq!(
        siege.place.as_ref().map(|p| d.span_text(p.span)),
        Some("Sarajevo"),
        "{}",
        show(&d, &ms)
    );
}
