//! Who says what, end to end: the real binary on the bundled example
//! articles. The articles are three outlets' reports of one story; the
//! checks are general (outlets differ in the words they use for the armed
//! actors; every cited span is its words; the stored view is the computed
//! one), never exact strings from the articles.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn seeds() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds")
}

fn eventline(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_eventline"))
        .env_remove("EVENTLINE_MODEL")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("spawn eventline");
    assert!(
        out.status.success(),
        "eventline {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `eventline run` on the seeds: the timeline JSON and the Markdown.
fn run() -> (Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds();
    eventline(
        dir.path(),
        &["run", seeds.to_str().unwrap(), "--out", "out"],
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join("out").join(f)).expect(f);
    let json = serde_json::from_str(&read("timeline.json")).expect("timeline JSON");
    (json, read("timeline.md"))
}

#[test]
fn outlets_of_one_story_differ_in_how_they_name_armed_groups() {
    let (t, md) = run();
    let stories = t["framing"].as_array().expect("framing array");
    assert!(!stories.is_empty(), "no story told by two outlets");
    let texts: BTreeMap<&str, &str> = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["text"].as_str().unwrap()))
        .collect();
    let mut differing = false;
    for story in stories {
        for c in story["categories"].as_array().unwrap() {
            let mut sets: Vec<BTreeSet<&str>> = Vec::new();
            for o in c["outlets"].as_array().unwrap() {
                let labels = o["labels"].as_array().unwrap();
                sets.push(
                    labels
                        .iter()
                        .map(|l| l["label"].as_str().unwrap())
                        .collect(),
                );
                for l in labels {
                    let ms = l["mentions"].as_array().unwrap();
                    assert_eq!(l["count"].as_u64().unwrap() as usize, ms.len());
                    for m in ms {
                        let text = texts[m["doc"].as_str().unwrap()];
                        let (a, b) = (
                            m["start"].as_u64().unwrap() as usize,
                            m["end"].as_u64().unwrap() as usize,
                        );
                        assert_eq!(&text[a..b], m["words"].as_str().unwrap());
                    }
                }
            }
            if c["category"] == "armed-nonstate" {
                differing |= sets.len() >= 2 && sets.iter().any(|s| *s != sets[0]);
            }
        }
    }
    assert!(
        differing,
        "no two outlets differ in their armed-nonstate labels: {:#}",
        t["framing"]
    );
    // the Markdown view has the section, with loaded labels marked
    let section = &md[md
        .find("## Framing: who says what")
        .expect("framing section")..];
    assert!(section.contains("| outlet |"), "{section}");
    assert!(section.contains("**"), "no loaded label marked: {section}");
}

#[test]
fn export_after_ingest_gives_the_framing_of_run() {
    let (ran, _) = run();
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds();
    eventline(
        dir.path(),
        &["ingest", "--db", "t.db", seeds.to_str().unwrap()],
    );
    let out = eventline(dir.path(), &["export", "--db", "t.db", "--format", "json"]);
    let exported: Value = serde_json::from_slice(&out).expect("exported JSON");
    assert!(!ran["framing"].as_array().unwrap().is_empty());
    assert_eq!(exported["framing"], ran["framing"]);
}
