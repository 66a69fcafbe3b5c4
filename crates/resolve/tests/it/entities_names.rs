//! Case tables: name pairs that must name the same person (transliteration
//! variants, short and long forms) and pairs that must stay apart.

use model::{ByteSpan, Document, EntityMention};
use resolve::entities::EntityLinker;
use resolve::entities::full_names_compatible;
use resolve::entities::names::{name_keys, tokens_equiv, translit_key};

/// Single tokens that are one name in different transliterations.
const SAME_TOKEN: &[(&str, &str)] = &[
    ("Araghchi", "Araqchi"),
    ("Baghaei", "Baqaei"),
    ("Esmaeil", "Ismail"),
    ("Mohammed", "Muhammad"),
    ("Mohammed", "Mohamed"),
    ("Muhammad", "Mohamad"),
    ("Qaeda", "Qaida"),
    ("Gaddafi", "Qadhafi"),
    ("Qaddafi", "Kadhafi"),
    ("Hussein", "Husain"),
    ("Hussein", "Hussain"),
    ("Lavrov", "Lavroff"),
    ("Khamenei", "Khamene'i"),
    ("Rouhani", "Ruhani"),
    ("Zelensky", "Zelenskyy"),
    ("Zelensky", "Zelenskiy"),
    ("Sergei", "Sergey"),
    ("Erdoğan", "Erdogan"),
    ("Abdullah", "Abdallah"),
    ("Nasrallah", "Nasrullah"),
    ("Sheikh", "Shaikh"),
    ("Yusuf", "Youssef"),
];

/// Single tokens that are different names.
const DIFFERENT_TOKEN: &[(&str, &str)] = &[
    ("Hassan", "Hussein"),
    ("Omar", "Amir"),
    ("Ali", "Eli"),
    ("Bashar", "Hafez"),
    ("Abbas", "Ahmad"),
    ("Salman", "Sultan"),
];

/// Full names that are one person.
const SAME_NAME: &[(&str, &str)] = &[
    ("Abbas Araghchi", "Abbas Araqchi"),
    ("Esmaeil Baghaei", "Ismail Baqaei"),
    ("Bashar al-Assad", "Bashar Assad"),
    ("Bashar al-Assad", "Bashar el-Assad"),
    ("Mohammed bin Salman", "Muhammad bin Salman"),
    ("Mohammed bin Zayed", "Mohammed bin Zayed al-Nahyan"),
    ("Muammar Gaddafi", "Moammar Qadhafi"),
    ("Ayman al-Zawahiri", "Ayman al-Zawahri"),
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Mohammed Shia al-Sudani", "Mohammed al-Sudani"),
];

/// Full names that are different people (shared family or given name).
const DIFFERENT_NAME: &[(&str, &str)] = &[
    ("Bashar al-Assad", "Hafez al-Assad"),
    ("Hassan Nasrallah", "Hussein Nasrallah"),
    ("Ali Khamenei", "Mojtaba Khamenei"),
    ("Mohammed bin Salman", "Mohammed bin Zayed"),
    ("Joe Biden", "Hunter Biden"),
    ("Abbas Araghchi", "Mahmoud Abbas"),
];

fn keys(s: &str) -> Vec<String> {
    name_keys(s)
}

#[test]
fn transliteration_variants_fold_together() {
    for (a, b) in SAME_TOKEN {
        let (ka, kb) = (
            translit_key(&a.to_lowercase()),
            translit_key(&b.to_lowercase()),
        );
        assert!(
            tokens_equiv(&ka, &kb),
            "{a} ({ka}) and {b} ({kb}) should be one name"
        );
    }
}

#[test]
fn different_names_stay_apart() {
    for (a, b) in DIFFERENT_TOKEN {
        let (ka, kb) = (
            translit_key(&a.to_lowercase()),
            translit_key(&b.to_lowercase()),
        );
        assert!(
            !tokens_equiv(&ka, &kb),
            "{a} ({ka}) and {b} ({kb}) should differ"
        );
    }
}

#[test]
fn full_name_case_table() {
    for (a, b) in SAME_NAME {
        assert!(
            full_names_compatible(&keys(a), &keys(b)),
            "{a} / {b} should merge"
        );
    }
    for (a, b) in DIFFERENT_NAME {
        assert!(
            !full_names_compatible(&keys(a), &keys(b)),
            "{a} / {b} must not merge"
        );
    }
}

/// A document whose entity layer is the given (text, label) mentions, found in order.
fn doc(id: &str, text: &str, mentions: &[(&str, &str)]) -> Document {
    let mut d = Document::new(id, text);
    let mut from = 0;
    for (m, label) in mentions {
        let at = from + text[from..].find(m).expect("mention in text");
        d.layers
            .entities
            .push(EntityMention::new(ByteSpan::new(at, at + m.len()), *label));
        from = at + m.len();
    }
    d
}

fn entity_of<'a>(d: &'a Document, text: &str) -> &'a str {
    d.layers
        .entities
        .iter()
        .find(|m| d.span_text(m.span) == text)
        .and_then(|m| m.entity.as_deref())
        .unwrap_or_else(|| panic!("{text} not linked"))
}

#[test]
fn across_documents_variants_merge_and_namesakes_do_not() {
    let mut docs = vec![
        doc(
            "a",
            "Abbas Araghchi met Bashar al-Assad. Araghchi spoke.",
            &[
                ("Abbas Araghchi", "PERSON"),
                ("Bashar al-Assad", "PERSON"),
                ("Araghchi", "PERSON"),
            ],
        ),
        doc(
            "b",
            "Abbas Araqchi said Hafez al-Assad ruled before. Araqchi left.",
            &[
                ("Abbas Araqchi", "PERSON"),
                ("Hafez al-Assad", "PERSON"),
                ("Araqchi", "PERSON"),
            ],
        ),
        doc(
            "c",
            "Assad spoke in Damascus.",
            &[("Assad", "PERSON"), ("Damascus", "GPE")],
        ),
    ];
    let ents = EntityLinker::new().link(&mut docs);
    assert_eq!(
        entity_of(&docs[0], "Araghchi"),
        entity_of(&docs[1], "Abbas Araqchi")
    );
    assert_eq!(
        entity_of(&docs[1], "Araqchi"),
        entity_of(&docs[0], "Abbas Araghchi")
    );
    assert_ne!(
        entity_of(&docs[0], "Bashar al-Assad"),
        entity_of(&docs[1], "Hafez al-Assad")
    );
    // "Assad" alone fits two full names and has no shared context: it stays apart from both
    let lone = entity_of(&docs[2], "Assad");
    assert_ne!(lone, entity_of(&docs[0], "Bashar al-Assad"));
    assert_ne!(lone, entity_of(&docs[1], "Hafez al-Assad"));
    // ids follow first mention in document-id order
    assert_eq!(ents[0].id, "e1");
    assert_eq!(entity_of(&docs[0], "Abbas Araghchi"), "e1");
    let d = ents
        .iter()
        .find(|e| e.name == "Damascus")
        .expect("Damascus entity");
    assert_eq!(d.geo.as_ref().map(|g| g.geonames_id), Some(170654));
}

#[test]
fn acronyms_join_their_expansion() {
    let mut docs = vec![
        doc(
            "a",
            "The Islamic Revolutionary Guard Corps said the IRGC would respond.",
            &[
                ("Islamic Revolutionary Guard Corps", "ORG"),
                ("IRGC", "ORG"),
            ],
        ),
        doc(
            "b",
            "Hayat Tahrir al-Sham (HTS) advanced. HTS fighters took the city.",
            &[("Hayat Tahrir al-Sham", "ORG")],
        ),
        doc("c", "HTS said it took the airport.", &[("HTS", "ORG")]),
    ];
    EntityLinker::new().link(&mut docs);
    assert_eq!(
        entity_of(&docs[0], "IRGC"),
        entity_of(&docs[0], "Islamic Revolutionary Guard Corps")
    );
    // "(HTS)" defines the acronym; its uses become rule mentions of the group
    let hts_rule: Vec<_> = docs[1]
        .layers
        .entities
        .iter()
        .filter(|m| docs[1].span_text(m.span) == "HTS")
        .collect();
    assert_eq!(hts_rule.len(), 2);
    assert!(
        hts_rule
            .iter()
            .all(|m| m.entity.as_deref() == Some(entity_of(&docs[1], "Hayat Tahrir al-Sham")))
    );
    // and a document that only says "HTS" joins it too
    assert_eq!(
        entity_of(&docs[2], "HTS"),
        entity_of(&docs[1], "Hayat Tahrir al-Sham")
    );
}
