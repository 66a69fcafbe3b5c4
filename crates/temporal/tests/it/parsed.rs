//! Tense from the dependency parse: sentences run through the spaCy port
//! (the bundled model, as in the pipeline), then the tagger. Each case needs
//! the parse to pick the verb an expression attaches to: reported plans,
//! participles, infinitives under "plan"/"due", noun modifiers.

use chrono::NaiveDate;
use model::{Document, Stage};
use std::path::Path;
use temporal::TimexTagger;

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_core_web_sm-3.8.0"
);

/// (sentence, article date, expression, expected value)
const CASES: &[(&str, &str, &str, &str)] = &[
    // a plan reported in the past still looks ahead
    (
        "The team planned to leave Nairobi on Thursday.",
        "1998-09-30",
        "Thursday",
        "1998-10-01",
    ),
    (
        "The merger is scheduled to close Monday.",
        "1989-11-02",
        "Monday",
        "1989-11-06",
    ),
    (
        "The minister will travel to Ankara on Sunday.",
        "2024-12-02",
        "Sunday",
        "2024-12-08",
    ),
    // a participle modifying a noun is past, whatever the main clause says
    (
        "They said they would appeal the decision, announced Wednesday by the agency.",
        "2000-01-06",
        "Wednesday",
        "2000-01-05",
    ),
    // a possessive weekday names a past event
    (
        "Relatives said they would look for ways around Wednesday's ruling.",
        "2000-01-06",
        "Wednesday",
        "2000-01-05",
    ),
    // a plan overtaken by events ("had been due")
    (
        "The offer had been due to expire Friday evening.",
        "1989-10-30",
        "Friday evening",
        "1989-10-27TEV",
    ),
    (
        "Rescue teams left the city on Sunday.",
        "2024-12-04",
        "Sunday",
        "2024-12-01",
    ),
    // an agreement to do something later: the coming January
    (
        "The company announced an agreement to acquire the bank in January.",
        "1989-11-02",
        "January",
        "1990-01",
    ),
    // "payable" dates lie ahead even in a past-tense sentence
    (
        "Directors authorized a split, payable Dec. 7 to holders of record Nov. 22.",
        "1989-10-12",
        "Dec. 7",
        "1989-12-07",
    ),
    // a time put before a past planning verb dates the planning
    (
        "On Friday, the government planned to pay the first claims.",
        "1998-09-30",
        "Friday",
        "1998-09-25",
    ),
    // a modal perfect ("may have caused") looks back, not ahead
    (
        "The storm may have caused the outage on Wednesday.",
        "2024-12-06",
        "Wednesday",
        "2024-12-04",
    ),
    // ... but a present-tense plan still looks ahead
    (
        "On Tuesday, the league plans to hold a news conference.",
        "1998-10-26",
        "Tuesday",
        "1998-10-27",
    ),
];

#[test]
fn parsed_sentences_give_tense() {
    let spacy = nlp::spacy_stage::SpacyStage::load(Path::new(MODEL)).expect("model loads");
    let tagger = TimexTagger::new();
    let mut failures = Vec::new();
    for &(sentence, dct, span, value) in CASES {
        let mut doc = Document::new("t", sentence);
        spacy.run(&mut doc).expect("spaCy runs");
        let sents: Vec<_> = doc.layers.sentences.iter().map(|s| s.span).collect();
        let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        let got = tagger.tag(sentence, &sents, &doc.layers.tokens, dct);
        let hit = got.iter().find(|t| &sentence[t.span.range()] == span);
        if hit.is_none_or(|t| t.value != value) {
            failures.push(format!(
                "{sentence:?}: want {span:?} = {value}; got {:?}",
                got.iter()
                    .map(|t| (&sentence[t.span.range()], t.value.as_str()))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
