//! Entity linking measured on MEANTIME (cross-document entity coreference),
//! with the real spaCy's NER as input.
//!
//! The spaCy goldens must be made on exactly the texts the MEANTIME reader
//! rebuilds (tokens joined by single spaces), so this runs in two steps:
//!
//! ```text
//! cargo run -p eventline-resolve --example eval_meantime -- dump-texts /tmp/meantime-texts
//! python3 scripts/spacy_golden.py --text-dir /tmp/meantime-texts --out /tmp/meantime-golden
//! cargo run --release -p eventline-resolve --example eval_meantime -- /tmp/meantime-golden
//! ```
//!
//! The second argument of the last command may name the MEANTIME folder
//! (default `../shared/data/meantime/intra_cross-doc_annotation` next to the repository).
//! Prints mention detection and cross-document coreference for: the linker,
//! the linker without the gazetteer recall stage, and an exact-string baseline.

use eval::meantime::{self, MtDoc};
use model::{Document, Stage};
use resolve::entities::EntityLinker;
use resolve::geo::GazetteerStage;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let default_dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/meantime/intra_cross-doc_annotation"
    );
    if args.first().map(String::as_str) == Some("dump-texts") {
        let out = PathBuf::from(args.get(1).expect("dump-texts OUT_DIR"));
        let dir = args.get(2).map_or(default_dir, String::as_str);
        let corpus = meantime::read_corpus(Path::new(dir)).expect("read MEANTIME");
        std::fs::create_dir_all(&out).expect("create out dir");
        for d in &corpus {
            std::fs::write(out.join(format!("{}.txt", d.id)), &d.text).expect("write text");
        }
        eprintln!("wrote {} texts to {}", corpus.len(), out.display());
        return;
    }
    let golden = PathBuf::from(
        args.first()
            .expect("usage: eval_meantime GOLDEN_DIR [MEANTIME_DIR]"),
    );
    let dir = args.get(1).map_or(default_dir, String::as_str);
    let corpus = meantime::read_corpus(Path::new(dir)).expect("read MEANTIME");

    let load = |docs: &mut [Document]| {
        for d in docs.iter_mut() {
            let p = golden.join(format!("{}.json", d.id));
            let g: Document =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| {
                    panic!(
                        "{}: {e} (make goldens with dump-texts + scripts/spacy_golden.py)",
                        p.display()
                    )
                }))
                .expect("golden parses");
            assert_eq!(g.text, d.text, "{}: golden made on a different text", d.id);
            d.layers.tokens = g.layers.tokens;
            d.layers.sentences = g.layers.sentences;
            d.layers.entities = g.layers.entities;
        }
    };
    let run_linker = |recall: bool| {
        move |docs: &mut [Document]| {
            load(docs);
            if recall {
                for d in docs.iter_mut() {
                    GazetteerStage.run(d).expect("gazetteer stage");
                }
            }
            let t = std::time::Instant::now();
            let ents = EntityLinker::new().link(docs);
            eprintln!(
                "linked {} documents into {} entities in {:?}",
                docs.len(),
                ents.len(),
                t.elapsed()
            );
        }
    };
    let baseline = |docs: &mut [Document]| {
        load(docs);
        let mut ids: BTreeMap<(String, String), String> = BTreeMap::new();
        for d in docs.iter_mut() {
            for m in d.layers.entities.iter_mut() {
                if resolve::entities::entity_type(&m.label).is_none() {
                    continue;
                }
                let key = (m.label.clone(), d.text[m.span.range()].to_string());
                let n = ids.len();
                m.entity = Some(ids.entry(key).or_insert_with(|| format!("b{n}")).clone());
            }
        }
    };
    let score = |run: &dyn Fn(&mut [Document])| {
        let mut docs: Vec<Document> = corpus.iter().map(MtDoc::to_document).collect();
        run(&mut docs);
        meantime::score_entities(&corpus, &docs)
    };
    println!(
        "== linker (spaCy NER + gazetteer recall + EntityLinker)\n{}",
        score(&run_linker(true))
    );
    println!(
        "== linker without gazetteer recall\n{}",
        score(&run_linker(false))
    );
    println!(
        "== baseline: one entity per (label, exact string)\n{}",
        score(&baseline)
    );
}
