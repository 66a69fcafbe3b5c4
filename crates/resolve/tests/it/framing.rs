//! Framing labels over live analyses: each sentence (written for these tests,
//! general news English) is run through the bundled spaCy model
//! (`models/en_core_web_sm-3.8.0`, the pure-Rust port) and the entity linker,
//! then through label extraction. The model is part of the repository: tests
//! fail without it.

use model::{Document, Stage};
use nlp::spacy_stage::SpacyStage;
use resolve::entities::EntityLinker;
use resolve::framing::{Label, Lexicon, compare_in, labels};
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

/// Documents analysed and linked together.
fn analyse_all(texts: &[(&str, &str)]) -> Vec<Document> {
    let mut docs = Vec::new();
    for (id, text) in texts {
        let mut d = Document::new(*id, *text);
        stage().run(&mut d).expect("spaCy stage runs");
        docs.push(d);
    }
    EntityLinker::new().link(&mut docs);
    docs
}

fn analyse(text: &str) -> Document {
    analyse_all(&[("t", text)]).remove(0)
}

/// `(text, category, loaded, cited words)` of each label.
fn show(d: &Document, ls: &[Label]) -> Vec<(String, String, bool, String)> {
    ls.iter()
        .map(|l| {
            (
                l.text.clone(),
                l.category.clone(),
                l.loaded,
                d.span_text(l.span).to_string(),
            )
        })
        .collect()
}

/// An expected label: normalized text, category, loaded, cited words.
type Expected = (&'static str, &'static str, bool, &'static str);

#[test]
fn label_case_table() {
    // sentence, expected labels as (normalized text, category, loaded, cited words)
    let cases: &[(&str, &[Expected])] = &[
        (
            "Insurgent groups attacked a checkpoint near the border on Monday.",
            &[(
                "insurgent group",
                "armed-nonstate",
                false,
                "Insurgent groups",
            )],
        ),
        (
            "Islamist-led rebels seized the airport on Saturday.",
            &[(
                "islamist-led rebel",
                "armed-nonstate",
                false,
                "Islamist-led rebels",
            )],
        ),
        (
            "The government blamed foreign-backed terrorist groups for the shelling.",
            &[
                ("government", "state", false, "government"),
                (
                    "foreign-backed terrorist group",
                    "armed-nonstate",
                    true,
                    "foreign-backed terrorist groups",
                ),
            ],
        ),
        (
            "Security forces fired tear gas at protesters in the capital.",
            &[
                ("security force", "state", false, "Security forces"),
                ("protester", "civil", false, "protesters"),
            ],
        ),
        (
            "Rebel fighters advanced toward the city as the regime withdrew its troops.",
            &[
                ("rebel fighter", "armed-nonstate", false, "Rebel fighters"),
                ("regime", "state", true, "regime"),
                ("troop", "state", false, "troops"),
            ],
        ),
        // a name joined by a hyphen is a word of the label
        (
            "Iran-backed militias fired rockets at the base overnight.",
            &[(
                "iran-backed militia",
                "armed-nonstate",
                false,
                "Iran-backed militias",
            )],
        ),
        // an age or a head count is no characterization
        (
            "A 42-year-old protester and a 300-strong police force clashed near the square.",
            &[
                ("protester", "civil", false, "protester"),
                ("police force", "state", false, "police force"),
            ],
        ),
        // a generic noun needs a descriptive modifier or a name
        (
            "Several groups met in the town hall to discuss the budget.",
            &[],
        ),
        // an actor word modifying another noun is the word for the people behind it
        (
            "The rebel offensive surprised many residents of the province.",
            &[("rebel", "armed-nonstate", false, "rebel")],
        ),
        // ... alone: the other modifiers are the modified noun's
        (
            "Residents fled as a surprise rebel offensive reached the suburbs.",
            &[("rebel", "armed-nonstate", false, "rebel")],
        ),
    ];
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let d = analyse(text);
        let got = show(&d, &labels(&d));
        let want: Vec<(String, String, bool, String)> = expected
            .iter()
            .map(|(t, c, l, w)| (t.to_string(), c.to_string(), *l, w.to_string()))
            .collect();
        if got != want {
            failures.push(format!("{text}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn label_of_a_named_group_cites_the_entity() {
    let d = analyse(
        "By Sunday, the jihadist Ansar al-Islam group and allied factions held most of the valley. \
         Hamas, a militant group, claimed the attack.",
    );
    let ls = labels(&d);
    let shown = show(&d, &ls);
    let jihadist = ls
        .iter()
        .find(|l| l.text == "jihadist group")
        .unwrap_or_else(|| panic!("no jihadist group in {shown:?}"));
    assert!(jihadist.entity.is_some(), "{shown:?}");
    let cited = d.span_text(jihadist.span);
    assert!(
        cited.starts_with("jihadist") && cited.ends_with("group"),
        "{cited}"
    );
    let militant = ls
        .iter()
        .find(|l| l.text == "militant group")
        .unwrap_or_else(|| panic!("no militant group in {shown:?}"));
    let hamas = d
        .layers
        .entities
        .iter()
        .find(|m| d.span_text(m.span) == "Hamas")
        .and_then(|m| m.entity.clone());
    assert!(hamas.is_some());
    assert_eq!(militant.entity, hamas, "{shown:?}");
}

#[test]
fn every_label_span_is_its_words() {
    let d = analyse(
        "Government troops and allied militias shelled positions held by \
         opposition fighters, while armed separatists ambushed a police convoy. \
         Activists said pro-government gunmen fired on demonstrators.",
    );
    let ls = labels(&d);
    assert!(ls.len() >= 5, "{:?}", show(&d, &ls));
    for l in &ls {
        let cited = d.span_text(l.span).to_lowercase();
        // the head ends the phrase; every label word is in it, in order
        let mut at = 0;
        for w in l.text.split(' ') {
            let w = if w == l.head { &w[..w.len().min(4)] } else { w };
            let found = cited[at..].find(w);
            assert!(found.is_some(), "{w:?} of {:?} in {cited:?}", l.text);
            at += found.unwrap_or(0);
        }
        assert!(
            !cited.starts_with(' ') && !cited.ends_with(' '),
            "{cited:?}"
        );
    }
}

#[test]
fn story_comparison_is_deterministic_and_per_outlet() {
    let texts = [
        (
            "a1",
            "Terrorist groups attacked army positions near the northern city, the government said.",
        ),
        (
            "b1",
            "Rebels attacked army positions near the northern city, a monitoring group said.",
        ),
        (
            "c1",
            "Insurgents attacked army positions near the northern city on Friday.",
        ),
    ];
    let mut docs = analyse_all(&texts);
    for (d, outlet) in docs.iter_mut().zip(["Wire A", "Wire B", "Wire A"]) {
        d.meta.outlet = Some(outlet.into());
    }
    let lex = Lexicon::bundled();
    let one_story = [0, 0, 0];
    let s = compare_in(&docs, &one_story, lex);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].id, "s1");
    assert_eq!(s[0].outlets(), ["Wire A", "Wire B"]);
    let armed = s[0]
        .categories
        .iter()
        .find(|c| c.category == "armed-nonstate")
        .expect("armed-nonstate labels");
    let by_outlet: Vec<(&str, Vec<&str>)> = armed
        .outlets
        .iter()
        .map(|o| {
            (
                o.outlet.as_str(),
                o.labels.iter().map(|l| l.label.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        by_outlet,
        [
            ("Wire A", vec!["insurgent", "terrorist group"]),
            ("Wire B", vec!["rebel"])
        ]
    );
    let terrorist = &armed.outlets[0].labels[1];
    assert!(terrorist.loaded && terrorist.count == 1);
    assert_eq!(terrorist.mentions[0].words, "Terrorist groups");
    // the same input in another order gives the same view
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(compare_in(&reversed, &one_story, lex), s);
    // one outlet alone is no comparison
    let two_stories = [0, 1, 0];
    assert!(compare_in(&docs, &two_stories, lex).is_empty());
}

#[test]
fn bundled_lexicon_parses_and_rejects_bad_rows() {
    let lex = Lexicon::bundled();
    assert!(lex.get("terrorist").is_some_and(|e| e.loaded));
    assert!(lex.get("rebel").is_some_and(|e| !e.loaded));
    let err = Lexicon::parse("rebel\tarmed-nonstate\tmaybe\tactor\n").unwrap_err();
    assert!(err.contains("line 1"), "{err}");
    assert!(Lexicon::parse("rebel\tarmed-nonstate\n").is_err());
}

#[test]
fn label_in_quotation_marks_is_reported_not_the_outlets_own() {
    let d = analyse(
        "The minister vowed to crush \"terrorist gangs\" in the north. \
         Rebels later withdrew from two villages.",
    );
    let ls = labels(&d);
    let shown = show(&d, &ls);
    let quoted: Vec<(&str, bool)> = ls.iter().map(|l| (l.text.as_str(), l.quoted)).collect();
    assert_eq!(
        quoted,
        [("terrorist gang", true), ("rebel", false)],
        "{shown:?}"
    );
}

#[test]
fn named_possessor_is_the_entity_a_label_characterizes() {
    let d = analyse("Thousands of people marched against Maduro's regime in Caracas on Sunday.");
    let ls = labels(&d);
    let regime = ls.iter().find(|l| l.text == "regime");
    let maduro = d
        .layers
        .entities
        .iter()
        .find(|m| d.span_text(m.span) == "Maduro")
        .and_then(|m| m.entity.clone());
    assert!(maduro.is_some(), "{:?}", d.layers.entities);
    assert_eq!(
        regime.and_then(|l| l.entity.clone()),
        maduro,
        "{:?}",
        show(&d, &ls)
    );
}
