//! Measures the framing step ("who says what", `resolve::framing`) on the
//! ECB+ development corpus with the real pipeline, and counts its labels.
//!
//! ```text
//! cargo run --release -p eventline-resolve --example framing [-- --show N]
//! ```
//! `--show N` prints every N-th label with its cited words, to read by hand.
//! Reads the per-document analyses cached by the `eval_events` example
//! (`$TMPDIR/eventline-eval-events/ecbplus.json`; run
//! `cargo run --release -p eventline-pipeline --example eval_events -- ecbplus`
//! first), links entities as the cross-document step does, then times label
//! extraction alone and the whole comparison (story clustering included).
//! Skips with a message when the corpus or the cache is absent.

use model::Document;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let cache = std::env::temp_dir()
        .join("eventline-eval-events")
        .join("ecbplus.json");
    let Ok(text) = std::fs::read_to_string(&cache) else {
        eprintln!(
            "skipping: no cached ECB+ analyses at {} (run the eval_events example first)",
            cache.display()
        );
        return;
    };
    let data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if !data.join("ecbplus-dev").is_dir() {
        eprintln!("skipping: ../shared/data/ecbplus-dev is absent");
        return;
    }
    let mut docs: Vec<Document> = serde_json::from_str(&text).expect("cached analyses parse");
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    resolve::entities::EntityLinker::new().link(&mut docs);

    let t0 = Instant::now();
    let labels: Vec<Vec<resolve::framing::Label>> =
        docs.iter().map(resolve::framing::labels).collect();
    let extract = t0.elapsed();
    let t1 = Instant::now();
    let stories = resolve::framing::compare(&docs);
    let whole = t1.elapsed();

    let n: usize = labels.iter().map(Vec::len).sum();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_label: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut loaded, mut with_entity) = (0, 0);
    for l in labels.iter().flatten() {
        *by_category.entry(l.category.as_str()).or_default() += 1;
        *by_label.entry(l.text.as_str()).or_default() += 1;
        loaded += usize::from(l.loaded);
        with_entity += usize::from(l.entity.is_some());
    }
    let docs_with = labels.iter().filter(|v| !v.is_empty()).count();
    println!(
        "{} documents, {} tokens; {n} labels in {docs_with} documents ({loaded} loaded, {with_entity} naming an entity)",
        docs.len(),
        docs.iter().map(|d| d.layers.tokens.len()).sum::<usize>()
    );
    println!(
        "label extraction: {extract:.2?}; compare (clustering + labels + grouping): {whole:.2?}"
    );
    println!("by category: {by_category:?}");
    let uses: usize = stories
        .iter()
        .flat_map(|s| &s.categories)
        .flat_map(|c| &c.outlets)
        .flat_map(|o| &o.labels)
        .map(|l| l.count as usize)
        .sum();
    println!(
        "{} stories told by 2+ outlets with labels, {uses} label uses in them",
        stories.len()
    );
    let every: usize = std::env::args()
        .skip_while(|a| a != "--show")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if every > 0 {
        for (d, l) in docs
            .iter()
            .zip(&labels)
            .flat_map(|(d, ls)| ls.iter().map(move |l| (d, l)))
            .step_by(every)
        {
            println!(
                "  {} {:?} -> {:?} [{}]{}{}",
                d.id,
                d.span_text(l.span),
                l.text,
                l.category,
                if l.loaded { " loaded" } else { "" },
                if l.quoted { " quoted" } else { "" }
            );
        }
    }
    let mut top: Vec<(&str, usize)> = by_label.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("most frequent labels: {:?}", &top[..top.len().min(25)]);
}
