//! Same sentence, same bytes: a vector does not depend on the batch it is
//! embedded in, its place in the batch, concurrent callers, or the number of
//! threads candle uses (`RAYON_NUM_THREADS`, `CANDLE_NUM_THREADS`, read by
//! candle once per process, so each setting runs in a child process: this
//! test binary again, filtered to the ignored test `child_writes_vectors`).

use crate::util;

use embed::{Embedder, Embedding};
use std::path::PathBuf;
use std::process::Command;

fn bytes(vectors: &[Embedding]) -> Vec<u8> {
    vectors
        .iter()
        .flatten()
        .flat_map(|x| x.to_le_bytes())
        .collect()
}

/// Every fifth fixture sentence (64, 4 of them longer than 256 tokens).
fn sample() -> Vec<String> {
    util::cases()
        .into_iter()
        .step_by(5)
        .map(|c| c.text)
        .collect()
}

fn first_difference(a: &[Embedding], b: &[Embedding]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| bytes(&[*x]) != bytes(&[*y]))
}

#[test]
fn batching_does_not_change_bits() {
    let embedder = Embedder::load_default().expect("the bundled model");
    let texts = sample();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();

    let together = embedder.embed(&refs).unwrap();
    let alone: Vec<Embedding> = refs
        .iter()
        .map(|s| embedder.embed_one(s).unwrap())
        .collect();
    assert_eq!(
        first_difference(&together, &alone),
        None,
        "all at once vs one at a time"
    );

    let reversed: Vec<&str> = refs.iter().rev().copied().collect();
    let mut backwards = embedder.embed(&reversed).unwrap();
    backwards.reverse();
    assert_eq!(
        first_difference(&together, &backwards),
        None,
        "reversed order"
    );

    let chunked: Vec<Embedding> = refs
        .chunks(7)
        .flat_map(|c| embedder.embed(c).unwrap())
        .collect();
    assert_eq!(first_difference(&together, &chunked), None, "chunks of 7");

    // A sentence padded beside much longer ones, and repeated in one call.
    let mixed = embedder
        .embed(&[refs[0], refs[refs.len() - 1], refs[0]])
        .unwrap();
    assert_eq!(bytes(&mixed[..1]), bytes(&together[..1]));
    assert_eq!(bytes(&mixed[2..]), bytes(&together[..1]));
    assert_eq!(bytes(&mixed[1..2]), bytes(&together[refs.len() - 1..]));
}

#[test]
fn concurrent_callers_get_the_same_bits() {
    let embedder = Embedder::load_default().expect("the bundled model");
    let texts = sample();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let serial = embedder.embed(&refs).unwrap();
    let half = refs.len() / 2;
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| embedder.embed(&refs[..half]).unwrap());
        let b = s.spawn(|| embedder.embed(&refs[half..]).unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(bytes(&serial), bytes(&[a, b].concat()));
}

const OUT_ENV: &str = "EMBED_DETERMINISM_OUT";

/// Run by `thread_count_does_not_change_bits` in a child process: writes the
/// sample's vectors to the file named by `EMBED_DETERMINISM_OUT`.
#[test]
#[ignore = "run by thread_count_does_not_change_bits in a child process"]
fn child_writes_vectors() {
    let out = std::env::var(OUT_ENV).expect("EMBED_DETERMINISM_OUT");
    let embedder = Embedder::load_default().expect("the bundled model");
    let texts = sample();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    std::fs::write(out, bytes(&embedder.embed(&refs).unwrap())).unwrap();
}

#[test]
fn thread_count_does_not_change_bits() {
    let exe = std::env::current_exe().unwrap();
    let mut runs: Vec<(usize, Vec<u8>)> = Vec::new();
    for threads in [1, 2, 4] {
        let out: PathBuf = std::env::temp_dir().join(format!(
            "eventline-embed-determinism-{}-{threads}.f32",
            std::process::id()
        ));
        let child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "determinism::child_writes_vectors",
                "--test-threads",
                "1",
            ])
            .env(OUT_ENV, &out)
            .env("RAYON_NUM_THREADS", threads.to_string())
            .env("CANDLE_NUM_THREADS", threads.to_string())
            .output()
            .unwrap();
        assert!(
            child.status.success(),
            "child with {threads} threads: {}\n{}{}",
            child.status,
            String::from_utf8_lossy(&child.stdout),
            String::from_utf8_lossy(&child.stderr)
        );
        let got = std::fs::read(&out).unwrap();
        std::fs::remove_file(&out).unwrap();
        assert_eq!(got.len(), sample().len() * embed::DIM * 4);
        runs.push((threads, got));
    }
    for (threads, got) in &runs[1..] {
        assert!(got == &runs[0].1, "{threads} threads differ from 1 thread");
    }
}

#[test]
fn a_prefix_embedding_reads_only_its_first_word_pieces() {
    let embedder = Embedder::load_default().expect("the bundled model");
    let short = "Rescue teams reached the flooded villages on Tuesday.";
    let whole = embedder.embed_one(short).expect("embed");
    let prefix = embedder.embed_prefix(short, 256).expect("embed");
    assert_eq!(bytes(&[whole]), bytes(&[prefix]), "a short text is whole");
    let long = format!("{short} Officials said more rain was expected later in the week.");
    let cut = embedder.embed_prefix(&long, 8).expect("embed");
    let longer = format!("{long} Schools stayed closed.");
    assert_eq!(
        bytes(&[cut]),
        bytes(&[embedder.embed_prefix(&longer, 8).expect("embed")]),
        "what follows the prefix does not count"
    );
    assert_ne!(
        bytes(&[cut]),
        bytes(&[embedder.embed_one(&long).expect("embed")])
    );
}
