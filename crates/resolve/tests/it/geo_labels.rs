//! Geocoding accuracy on hand-labelled place mentions from MEANTIME
//! (tests/data/geo_labels.tsv: doc id, mention, context, GeoNames id).
//!
//! Input is the real spaCy's analysis of the MEANTIME articles committed by the
//! spacy crate (`crates/spacy/tests/golden/meantime/`, CC BY 4.0), run through the
//! gazetteer recall stage and the entity linker; a label counts as right when
//! the entity of the mention at the labelled place carries the expected GeoNames id.
//! (The goldens are detokenized, so contexts are matched with whitespace ignored.)

use model::{Document, Stage};
use resolve::entities::EntityLinker;
use resolve::geo::GazetteerStage;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Label {
    doc: String,
    mention: String,
    context: String,
    geonames_id: u64,
}

fn labels() -> Vec<Label> {
    let rows = nlp::tsv::rows::<Label>("geo_labels.tsv", include_str!("../data/geo_labels.tsv"))
        .unwrap_or_else(|e| panic!("{e}"));
    rows.into_iter().map(|(_, label)| label).collect()
}

/// The text without whitespace, and the byte offset in `text` of each kept byte.
fn squeeze(text: &str) -> (String, Vec<usize>) {
    let mut s = String::new();
    let mut map = Vec::new();
    for (i, ch) in text.char_indices() {
        if !ch.is_whitespace() {
            s.push(ch);
            for k in 0..ch.len_utf8() {
                map.push(i + k);
            }
        }
    }
    (s, map)
}

#[test]
fn geocoding_accuracy_on_labelled_meantime_places() {
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spacy/tests/golden/meantime"
    );
    let labels = labels();
    assert!(labels.len() >= 100, "at least 100 labelled mentions");
    let ids: std::collections::BTreeSet<&str> = labels.iter().map(|l| l.doc.as_str()).collect();
    let mut docs: Vec<Document> = Vec::new();
    for id in &ids {
        let p = format!("{golden}/meantime_{id}.json");
        let raw = std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("{p} (committed with the spaCy goldens): {e}"));
        let mut d: Document = serde_json::from_str(&raw).expect("golden parses");
        GazetteerStage.run(&mut d).expect("gazetteer stage");
        docs.push(d);
    }
    let ents = EntityLinker::new().link(&mut docs);
    let geo: BTreeMap<&str, Option<u64>> = ents
        .iter()
        .map(|e| (e.id.as_str(), e.geo.as_ref().map(|g| g.geonames_id)))
        .collect();
    let mut right = 0;
    let mut errors = Vec::new();
    for l in &labels {
        let d = docs
            .iter()
            .find(|d| d.id == format!("meantime_{}", l.doc))
            .expect("labelled doc loaded");
        let (text, map) = squeeze(&d.text);
        let (ctx, _) = squeeze(&l.context);
        let (men, _) = squeeze(&l.mention);
        let at = text
            .find(&ctx)
            .unwrap_or_else(|| panic!("{}: context {:?} not found", l.doc, l.context));
        let off = at + ctx.find(&men).expect("mention in context");
        let (start, end) = (map[off], map[off + men.len() - 1] + 1);
        let span = model::ByteSpan::new(start, end);
        // the smallest mention at the place ("Australian" inside "Australian Prime Minister")
        let hit = d
            .layers
            .entities
            .iter()
            .filter(|m| m.span.overlaps(span))
            .min_by_key(|m| m.span.len());
        let got = hit.and_then(|m| m.entity.as_deref()).and_then(|e| geo[e]);
        if got == Some(l.geonames_id) {
            right += 1;
        } else {
            errors.push(format!(
                "{} {:?} expected {} got {:?} (mention {:?}) | {}",
                l.doc,
                l.mention,
                l.geonames_id,
                got,
                hit.map(|m| (d.span_text(m.span), m.label.as_str())),
                l.context
            ));
        }
    }
    let acc = right as f64 / labels.len() as f64;
    eprintln!(
        "geocoding accuracy: {right}/{} = {:.1}%",
        labels.len(),
        100.0 * acc
    );
    for e in &errors {
        eprintln!("  {e}");
    }
    assert!(acc >= 0.90, "geocoding accuracy {acc:.3} below 0.90");
}
