//! A bad-input corpus generated into a temporary directory: every good
//! document comes through, every bad input gets one clear error, and
//! reading goes on.

use ingest::{ErrorKind, IngestOptions, read_path};
use std::collections::BTreeMap;
use std::fs;

#[test]
fn bad_inputs_get_clear_errors_and_good_ones_come_through() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let w = |name: &str, bytes: &[u8]| fs::write(root.join(name), bytes).unwrap();
    w(
        "good1.txt",
        b" date 2024-12-02 (Reuters)\nA good article.\n",
    );
    w("good2.txt", b"No header, still a body.");
    w(
        "binary.txt",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
    );
    w("latin1.txt", b" date 2024-12-02\nCaf\xe9 au lait.\n");
    w("empty.txt", b"");
    w("blank.txt", b"  \n\n \n");
    w("header_only.txt", b" date 2024-12-02 (AP)\n\n");
    w("baddate.txt", b" date 2024-13-45\nBody.\n");
    w(
        "mixed.jsonl",
        concat!(
            "{\"id\": \"ok1\", \"text\": \"Fine.\"}\n",
            "{\"id\": \"broken\", \"text\": \"no closing brace\"\n",
            "{\"id\": \"ok2\", \"text\": \"Also fine.\"}\n",
            "{\"id\": \"notext\", \"title\": \"Only a title\"}\n",
            "{\"id\": \"bad-date\", \"text\": \"x\", \"date\": \"yesterday\"}\n",
            "[1, 2]\n",
            "{\"id\": \"ok3\", \"text\": \"Third.\"}\n",
        )
        .as_bytes(),
    );
    w(
        "broken.json",
        b"[{\"id\": \"a\", \"text\": \"x\"},\n {\"id\": ",
    );
    w("nocol.csv", b"id,body\n1,hello\n");
    // A 50 MB article: over the default 8 MiB limit, refused without stopping the rest.
    let big = format!(
        " date 2024-12-02\n{}",
        "All work and no play. ".repeat(50_000_000 / 22 + 1)
    );
    assert!(big.len() > 50_000_000);
    w("huge.txt", big.as_bytes());

    let results = read_path(root, &IngestOptions::default());
    let mut good: Vec<String> = Vec::new();
    let mut warnings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<(Option<usize>, ErrorKind, String)>> = BTreeMap::new();
    for r in results {
        match r {
            Ok(d) => {
                assert_eq!(d.text, d.text.trim());
                for w in &d.layers.diagnostics {
                    assert_eq!(w.stage, ingest::INGEST_STAGE);
                    warnings
                        .entry(d.id.clone())
                        .or_default()
                        .push(w.message.clone());
                }
                good.push(d.id)
            }
            Err(e) => {
                let file = std::path::Path::new(&e.origin)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let shown = e.to_string();
                assert!(shown.starts_with(&e.origin), "{shown}");
                errors
                    .entry(file)
                    .or_default()
                    .push((e.line, e.kind, shown));
            }
        }
    }
    // a Latin-1 article is converted, an unreadable date loses the date only
    assert_eq!(
        good,
        [
            "baddate", "good1", "good2", "latin1", "ok1", "ok2", "bad-date", "ok3"
        ]
    );
    assert!(
        warnings["latin1"][0].contains("converted to UTF-8"),
        "{warnings:?}"
    );
    assert!(
        warnings["baddate"][0].contains("malformed date \"2024-13-45\": month 13 is out of range; the article is kept with an unknown date"),
        "{warnings:?}"
    );
    assert!(
        warnings["bad-date"][0].contains("yesterday"),
        "{warnings:?}"
    );
    assert!(warnings["good2"][0].starts_with("no date"), "{warnings:?}");

    let one = |name: &str| -> &(Option<usize>, ErrorKind, String) {
        let v = &errors[name];
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        &v[0]
    };
    assert!(matches!(one("binary.txt").1, ErrorKind::Binary(_)));
    assert_eq!(one("empty.txt").1, ErrorKind::EmptyFile);
    assert!(matches!(one("blank.txt").1, ErrorKind::EmptyBody(_)));
    assert!(matches!(one("header_only.txt").1, ErrorKind::EmptyBody(_)));
    assert!(matches!(one("huge.txt").1, ErrorKind::TooLarge { .. }));
    assert!(matches!(one("broken.json").1, ErrorKind::BrokenJson(_)));
    assert!(matches!(one("nocol.csv").1, ErrorKind::BrokenCsv(_)));

    let jsonl = &errors["mixed.jsonl"];
    let lines: Vec<Option<usize>> = jsonl.iter().map(|e| e.0).collect();
    assert_eq!(lines, [Some(2), Some(4), Some(6)]);
    assert!(matches!(jsonl[0].1, ErrorKind::BrokenJson(_)));
    assert!(
        jsonl[0].2.contains("mixed.jsonl:2: broken JSON: "),
        "{}",
        jsonl[0].2
    );
    assert!(matches!(jsonl[1].1, ErrorKind::EmptyBody(_)));
    assert!(matches!(jsonl[2].1, ErrorKind::InvalidRecord(_)));
    assert_eq!(errors.len(), 8, "{errors:#?}");
}

#[test]
fn per_document_limit_is_configurable_and_jsonl_streams_past_a_long_line() {
    let opts = IngestOptions::with_max_doc_bytes(1000);
    let long_text = "word ".repeat(20_000);
    let input = format!(
        "{{\"id\": \"a\", \"text\": \"short\"}}\n{{\"id\": \"b\", \"text\": \"{long_text}\"}}\n{{\"id\": \"c\", \"text\": \"{}\"}}\n{{\"id\": \"d\", \"text\": \"after\"}}\n",
        "x".repeat(1500)
    );
    let results = ingest::read_jsonl(input.as_bytes(), "big.jsonl", &opts);
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(d) => d.id.clone(),
            Err(e) => format!("{:?}@{:?}", std::mem::discriminant(&e.kind), e.line),
        })
        .collect();
    assert_eq!(summary.len(), 4);
    assert_eq!(summary[0], "a");
    assert!(matches!(
        results[1].as_ref().unwrap_err().kind,
        ErrorKind::LineTooLong { .. }
    ));
    assert!(matches!(
        results[2].as_ref().unwrap_err().kind,
        ErrorKind::TooLarge { .. }
    ));
    assert_eq!(results[2].as_ref().unwrap_err().line, Some(3));
    assert_eq!(summary[3], "d");
}
