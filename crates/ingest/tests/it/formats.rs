//! Format tests: the bundled example articles, JSON Lines, JSON arrays,
//! CSV, BOM, CRLF and directories, each checking that the stored text is
//! exactly the body.

use ingest::{IngestOptions, parse_txt, read_jsonl, read_path};
use model::Document;
use std::fs;
use std::path::Path;

fn ok_docs(results: Vec<Result<Document, ingest::IngestError>>) -> Vec<Document> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("unexpected error: {e}")))
        .collect()
}

#[test]
fn bundled_examples_read_all_three_header_forms() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds"));
    let docs = ok_docs(read_path(dir, &IngestOptions::default()));
    assert_eq!(docs.len(), 3);
    for d in &docs {
        let raw = fs::read_to_string(d.meta.path.as_ref().unwrap()).unwrap();
        // The stored text is the file minus the header part, trimmed: it
        // appears verbatim in the file, ends where the file ends, and
        // nothing of the header line's metadata leaks into it.
        assert!(raw.contains(&d.text), "{}: body not verbatim", d.id);
        assert_eq!(
            raw.trim_end().len() - d.text.len(),
            raw.trim_end().find(&d.text).unwrap()
        );
        assert_eq!(d.text, d.text.trim());
        assert!(!d.text.contains(" date 20"), "{}: header leaked", d.id);
        assert_eq!(d.content_hash.len(), 64);
    }
    let by_outlet: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                d.meta.date.map(|x| x.to_string()),
                d.meta.outlet.as_deref(),
                d.meta.distributor.as_deref(),
                d.meta.dateline.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        by_outlet,
        vec![
            (
                Some("2024-12-02".into()),
                Some("Khaama Press"),
                Some("MENAFN"),
                None
            ),
            (
                Some("2024-12-02".into()),
                Some("APP"),
                Some("UrduPoint / Pakistan Point News"),
                Some("Tehran")
            ),
            (Some("2024-12-01".into()), None, None, None),
        ]
    );
    // Ids are file stems; the body on the header line starts the text.
    assert!(docs[0].id.starts_with("000_"));
    assert!(docs[1].text.starts_with("Iran's top diplomat"));
    assert!(docs[2].text.starts_with("President "));
}

#[test]
fn txt_with_bom_and_crlf_is_normalized() {
    let bytes =
        b"\xEF\xBB\xBF date 2024-12-02 (Reuters)\r\n\r\nFirst line.\r\nSecond line.\rThird.\r\n";
    let d = parse_txt("in/a.txt", bytes).unwrap();
    assert_eq!(d.id, "a");
    assert_eq!(d.text, "First line.\nSecond line.\nThird.");
    assert_eq!(d.meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(d.meta.path.as_deref(), Some("in/a.txt"));
}

#[test]
fn txt_without_header_is_body_with_unknown_date() {
    let d = parse_txt("b.txt", b"\n  Officials met on Monday.\n\nThey agreed.\n").unwrap();
    assert_eq!(d.meta.date, None);
    assert_eq!(d.text, "Officials met on Monday.\n\nThey agreed.");
}

#[test]
fn txt_without_header_keeps_leading_dateline_in_text_but_reads_it() {
    let d = parse_txt("c.txt", "BEIRUT (AP) — Strikes hit the south.".as_bytes()).unwrap();
    assert_eq!(d.text, "BEIRUT (AP) — Strikes hit the south.");
    assert_eq!(d.meta.dateline.as_deref(), Some("Beirut"));
    assert_eq!(d.meta.outlet.as_deref(), Some("AP"));
}

#[test]
fn jsonl_with_news_please_fields() {
    let input = concat!(
        "{\"id\": \"r1\", \"text\": \"One.\", \"date\": \"2024-12-02\", \"outlet\": \"Reuters\", \"title\": \"T\", \"url\": \"http://x\"}\n",
        "\n",
        "{\"maintext\": \"  Two.\\r\\nMore.  \", \"date_publish\": \"2024-12-02 10:31:00\", \"source_domain\": \"example.com\"}\n",
        "{\"id\": 7, \"text\": \"Three.\", \"date\": null, \"source\": \"AFP\"}\n",
    );
    let docs = ok_docs(read_jsonl(input.as_bytes(), "-", &IngestOptions::default()));
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].id, "r1");
    assert_eq!(docs[0].meta.title.as_deref(), Some("T"));
    assert_eq!(docs[0].meta.url.as_deref(), Some("http://x"));
    assert_eq!(docs[1].text, "Two.\nMore.");
    assert_eq!(
        docs[1].meta.date.map(|d| d.to_string()).as_deref(),
        Some("2024-12-02")
    );
    assert_eq!(docs[1].meta.outlet.as_deref(), Some("example.com"));
    assert!(docs[1].id.starts_with("doc-") && docs[1].id.len() == 20);
    assert_eq!(docs[2].id, "7");
    assert_eq!(docs[2].meta.date, None);
    assert_eq!(docs[2].meta.outlet.as_deref(), Some("AFP"));
    // A stable id: the same content gives the same id on a second read.
    let again = ok_docs(read_jsonl(input.as_bytes(), "-", &IngestOptions::default()));
    assert_eq!(again[1].id, docs[1].id);
}

#[test]
fn json_array_csv_and_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("sub/deeper")).unwrap();
    fs::create_dir_all(root.join(".hidden")).unwrap();
    fs::write(
        root.join("a.json"),
        r#"[{"id": "j1", "text": "Array one."}, {"id": "j2", "maintext": "Array two.", "date": "2024-12-02T08:00:00Z"}]"#,
    )
    .unwrap();
    fs::write(
        root.join("sub/b.csv"),
        "id,date,outlet,text\r\nc1,2024-12-01,Reuters,\"Line one, with comma.\r\nLine two with \"\"quotes\"\".\"\r\nc2,,AP,Plain.\r\n",
    )
    .unwrap();
    fs::write(
        root.join("sub/deeper/c.txt"),
        " date 2024-11-30\nDeep body.",
    )
    .unwrap();
    fs::write(root.join("sub/notes.md"), "# not an input").unwrap();
    fs::write(root.join(".hidden/x.txt"), "hidden").unwrap();
    fs::write(root.join(".dot.txt"), "hidden").unwrap();
    fs::write(
        root.join("d.jsonl"),
        "{\"id\": \"l1\", \"text\": \"Line.\"}\n",
    )
    .unwrap();

    let docs = ok_docs(read_path(root, &IngestOptions::default()));
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    // a file in a directory is named by its path relative to the directory read
    assert_eq!(ids, ["j1", "j2", "l1", "c1", "c2", "sub/deeper/c"]);
    assert_eq!(
        docs[3].text,
        "Line one, with comma.\nLine two with \"quotes\"."
    );
    assert_eq!(docs[3].meta.outlet.as_deref(), Some("Reuters"));
    assert_eq!(docs[4].meta.date, None);
    assert_eq!(
        docs[1].meta.date.map(|d| d.to_string()).as_deref(),
        Some("2024-12-02")
    );
    assert_eq!(docs[5].text, "Deep body.");
    let label = root.join("sub/deeper/c.txt").display().to_string();
    assert_eq!(docs[5].meta.path.as_deref(), Some(label.as_str()));
    // Same order every time.
    let again = ok_docs(read_path(root, &IngestOptions::default()));
    assert_eq!(docs, again);
}

/// Regression (issue 12): two files called `x.txt` in different directories
/// got the same id `x`, so a later ingest of one replaced the other.
#[test]
fn files_of_the_same_name_in_different_directories_get_distinct_ids() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("a")).unwrap();
    fs::create_dir_all(tmp.path().join("b")).unwrap();
    fs::write(tmp.path().join("a/x.txt"), "First.").unwrap();
    fs::write(tmp.path().join("b/x.txt"), "Second.").unwrap();
    let docs = ok_docs(read_path(tmp.path(), &IngestOptions::default()));
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a/x", "b/x"]);
    // a file given directly keeps its stem
    let one = ok_docs(read_path(
        &tmp.path().join("b/x.txt"),
        &IngestOptions::default(),
    ));
    assert_eq!(one[0].id, "x");
}

#[test]
fn colliding_ids_are_made_unique_in_order_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("x.txt"), "A file.").unwrap();
    fs::write(
        tmp.path().join("y.jsonl"),
        "{\"id\": \"x\", \"text\": \"A record.\"}\n",
    )
    .unwrap();
    let reading = ingest::read_path_noted(tmp.path(), &IngestOptions::default());
    let docs = ok_docs(reading.results);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["x", "x-2"]);
    assert_eq!(reading.notices.len(), 1, "{:?}", reading.notices);
    assert!(reading.notices[0].message.contains("stored as x-2"));
}

#[test]
fn content_hash_changes_with_date_and_outlet() {
    let a = parse_txt("a.txt", b" date 2024-12-02 (AP)\nSame.").unwrap();
    let b = parse_txt("b.txt", b" date 2024-12-03 (AP)\nSame.").unwrap();
    let c = parse_txt("c.txt", b" date 2024-12-02 (AFP)\nSame.").unwrap();
    let a2 = parse_txt("a2.txt", b" date 2024-12-02 (AP)\r\nSame.\r\n").unwrap();
    assert_ne!(a.content_hash, b.content_hash);
    assert_ne!(a.content_hash, c.content_hash);
    assert_eq!(a.content_hash, a2.content_hash);
}
