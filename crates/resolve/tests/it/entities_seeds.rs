//! Golden test: the example articles (examples/seeds, analysed by the real spaCy
//! and stored under tests/data/seeds/) linked into entities. The expectations
//! below come from the articles; the linker has no names from them in its rules.
//!
//! Refresh the inputs with:
//! `python3 scripts/spacy_golden.py --text-dir <seed bodies without the header line> --out crates/resolve/tests/data/seeds`

use model::{Document, Entity, MentionOrigin};
use resolve::entities::EntityLinker;

fn load() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("seed goldens")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("parse"))
        .collect()
}

fn dump(docs: &[Document], ents: &[Entity]) -> String {
    let mut out = String::new();
    for e in ents {
        out.push_str(&format!(
            "{} {} [{}] {:?} geo={:?}\n",
            e.id,
            e.name,
            e.kind,
            e.aliases,
            e.geo.as_ref().map(|g| g.geonames_id)
        ));
    }
    for d in docs {
        for m in &d.layers.entities {
            if m.origin != MentionOrigin::Model || std::env::var("SEEDS_ALL").is_ok() {
                out.push_str(&format!(
                    "  {} {:?} {:?} -> {:?}\n",
                    d.id,
                    m.origin,
                    d.span_text(m.span),
                    m.entity
                ));
            }
        }
    }
    out
}

fn entity_with<'a>(ents: &'a [Entity], alias: &str) -> &'a Entity {
    ents.iter()
        .find(|e| e.aliases.iter().any(|a| a == alias))
        .unwrap_or_else(|| panic!("no entity has alias {alias:?}"))
}

#[test]
fn seed_articles_link_into_expected_entities() {
    let mut docs = load();
    let ents = EntityLinker::new().link(&mut docs);
    let dump = dump(&docs, &ents);
    eprintln!("{dump}");

    let ar = entity_with(&ents, "Araghchi");
    assert_eq!(ar.kind, "PERSON");
    for a in [
        "Abbas Araghchi",
        "Abbas Araqchi",
        "Araqchi",
        "Iran's top diplomat",
    ] {
        assert!(
            ar.aliases.iter().any(|x| x == a),
            "{a} not in {:?}",
            ar.aliases
        );
    }
    let ba = entity_with(&ents, "Esmaeil Baghaei");
    assert!(
        ba.aliases.iter().any(|x| x == "Ismail Baqaei"),
        "{:?}",
        ba.aliases
    );
    let assad = entity_with(&ents, "Bashar al-Assad");
    assert!(assad.aliases.iter().any(|x| x == "Assad"));
    assert_eq!(assad.name, "Bashar al-Assad");
    let sudani = entity_with(&ents, "Mohammed Shia al-Sudani");
    assert!(sudani.aliases.iter().any(|x| x == "Sudani"));
    assert_eq!(sudani.name, "Mohammed Shia al-Sudani");

    for (place, id) in [("Damascus", 170654), ("Aleppo", 170063), ("Ankara", 323786)] {
        let e = entity_with(&ents, place);
        assert_eq!(e.geo.as_ref().map(|g| g.geonames_id), Some(id), "{place}");
    }
    let iran = entity_with(&ents, "Iran");
    assert!(
        iran.aliases.iter().any(|x| x == "Iranian"),
        "{:?}",
        iran.aliases
    );
    assert_eq!(iran.geo.as_ref().map(|g| g.country.as_str()), Some("IR"));

    // every linked mention carries its entity id; every id is known
    for d in &docs {
        for m in &d.layers.entities {
            if let Some(id) = &m.entity {
                assert!(ents.iter().any(|e| &e.id == id));
            }
        }
        d.check_spans().expect("spans valid");
    }
}

#[test]
fn linking_does_not_depend_on_document_order() {
    let mut a = load();
    let mut b = load();
    b.reverse();
    let ea = EntityLinker::new().link(&mut a);
    let eb = EntityLinker::new().link(&mut b);
    assert_eq!(ea, eb);
}
