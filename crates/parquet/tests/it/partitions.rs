//! The writer's files read back with the parquet crate's own reader: layout,
//! row counts, cited words (`documents.text[start..end]` equals the row's text
//! column), spellings shared with the store, flushing, and byte-identical reruns.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use eventline_parquet::{CREATED_BY, Error, PartitionWriter, Summary, Table, WriterOptions};
use model::{
    Argument, ByteSpan, DatePrecision, Diagnostic, Document, EntityMention, EventMention,
    EventStatus, EventType, MentionOrigin, Sentence, Timex, TimexType, Token, label,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- helpers

/// Every batch of one table, file by file in path order, with the file's month.
fn read_table(dir: &Path, table: Table) -> Vec<(String, RecordBatch)> {
    let mut files = Vec::new();
    let root = dir.join(table.name());
    for month in std::fs::read_dir(&root).expect("table dir") {
        let month = month.unwrap().path();
        for part in std::fs::read_dir(&month).unwrap() {
            files.push(part.unwrap().path());
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let month = f.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let month = month.strip_prefix("month=").expect("hive key").to_string();
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&f).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for b in reader {
            out.push((month.clone(), b.unwrap()));
        }
    }
    out
}

fn str_col<'a>(b: &'a RecordBatch, name: &str) -> Vec<Option<&'a str>> {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_string::<i32>()
        .iter()
        .collect()
}

fn int_col(b: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_primitive::<Int64Type>()
        .iter()
        .collect()
}

fn rows(dir: &Path, table: Table) -> usize {
    read_table(dir, table)
        .iter()
        .map(|(_, b)| b.num_rows())
        .sum()
}

/// Document id -> text, from the `documents` table.
fn texts(dir: &Path) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for (_, b) in read_table(dir, Table::Documents) {
        for (id, text) in str_col(&b, "id").into_iter().zip(str_col(&b, "text")) {
            m.insert(id.unwrap().to_string(), text.unwrap().to_string());
        }
    }
    m
}

/// Checks, for every row of every layer table, that the document's text cut at
/// the row's byte offsets is the row's text column. Returns the rows checked.
fn check_cited_words(dir: &Path) -> usize {
    let texts = texts(dir);
    let spans = [
        (Table::Sentences, "start_byte", "end_byte", "text"),
        (Table::Tokens, "start_byte", "end_byte", "text"),
        (Table::EntityMentions, "start_byte", "end_byte", "text"),
        (Table::Timexes, "start_byte", "end_byte", "text"),
        (
            Table::EventMentions,
            "trigger_start",
            "trigger_end",
            "trigger",
        ),
        (Table::EventMentions, "quote_start", "quote_end", "quote"),
        (
            Table::EventMentionArguments,
            "start_byte",
            "end_byte",
            "text",
        ),
    ];
    let mut checked = 0;
    for (table, start, end, words) in spans {
        for (_, b) in read_table(dir, table) {
            let ids = str_col(&b, "doc_id");
            let (s, e, w) = (int_col(&b, start), int_col(&b, end), str_col(&b, words));
            for r in 0..b.num_rows() {
                let text = &texts[ids[r].unwrap()];
                match (s[r], e[r], w[r]) {
                    (Some(s), Some(e), Some(w)) => {
                        assert_eq!(&text[s as usize..e as usize], w, "{} row {r}", table.name());
                        checked += 1;
                    }
                    (None, None, None) => {}
                    other => panic!("{} row {r}: partial span {other:?}", table.name()),
                }
            }
        }
    }
    checked
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn write_all(dir: &Path, docs: &[Document], options: WriterOptions) -> Summary {
    let mut w = PartitionWriter::with_options(dir, options).expect("create writer");
    for d in docs {
        w.write(d).expect("write document");
    }
    w.finish().expect("finish")
}

/// Writes `docs` twice and checks the two trees are byte-identical.
fn assert_deterministic(docs: &[Document], options: WriterOptions) {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_all(a.path(), docs, options);
    write_all(b.path(), docs, options);
    let (sa, sb) = (snapshot(a.path()), snapshot(b.path()));
    assert!(!sa.is_empty());
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(
            v == &sb[k],
            "{} differs between two identical writes",
            k.display()
        );
    }
}

// ---------------------------------------------------------------- hand-built documents

fn find(text: &str, needle: &str) -> ByteSpan {
    let s = text.find(needle).unwrap_or_else(|| panic!("{needle:?}"));
    ByteSpan::new(s, s + needle.len())
}

/// A fully annotated document: every layer, non-ASCII text, a quote and a diagnostic.
fn annotated(id: &str, date: Option<&str>) -> Document {
    let text = "Araghchi met Assad in Damascus on Sunday. Assad’s aide said “we agree”.";
    let mut d = Document::new(id, text);
    d.meta.date = date.map(|s| s.parse().unwrap());
    d.meta.outlet = Some("Khaama Press".into());
    d.meta.distributor = Some("MENAFN".into());
    d.content_hash = format!("hash-{id}");
    let l = &mut d.layers;
    let first = find(text, "Araghchi met Assad in Damascus on Sunday.");
    let second = ByteSpan::new(first.end as usize + 1, text.len());
    l.sentences = vec![Sentence { span: first }, Sentence { span: second }];
    let mut pos = 0;
    for (k, w) in text.split(' ').enumerate() {
        let mut t = Token::new(ByteSpan::new(pos, pos + w.len()));
        t.tag = "NN".into();
        t.pos = "NOUN".into();
        t.lemma = w.to_lowercase();
        t.head = k as u32;
        t.dep = "ROOT".into();
        l.tokens.push(t);
        pos += w.len() + 1;
    }
    let mut araghchi = EntityMention::new(find(text, "Araghchi"), label::PERSON);
    araghchi.entity = Some("e1".into());
    let assad = EntityMention::new(find(text, "Assad"), label::PERSON);
    let mut damascus = EntityMention::new(find(text, "Damascus"), label::GPE);
    damascus.origin = MentionOrigin::Gazetteer;
    l.entities = vec![araghchi, assad, damascus];
    l.timexes = vec![Timex {
        span: find(text, "Sunday"),
        kind: TimexType::Date,
        value: "2024-12-01".into(),
    }];
    let arg = |needle: &str, mention| Argument {
        span: find(text, needle),
        mention,
    };
    l.events = vec![
        EventMention {
            trigger: find(text, "met"),
            sentence: 0,
            kind: EventType::Consult,
            mode: Some("visit".into()),
            status: EventStatus::Occurred,
            actors: vec![arg("Araghchi", Some(0)), arg("Assad", Some(1))],
            recipients: vec![],
            place: Some(arg("Damascus", Some(2))),
            timex: Some(0),
            date: Some("2024-12-01".into()),
            date_precision: DatePrecision::Day,
            quote: None,
        },
        EventMention {
            trigger: find(text, "said"),
            sentence: 1,
            kind: EventType::Agree,
            mode: None,
            status: EventStatus::Claimed,
            actors: vec![arg("aide", None)],
            recipients: vec![],
            place: None,
            timex: None,
            date: None,
            date_precision: DatePrecision::Unknown,
            quote: Some(find(text, "we agree")),
        },
    ];
    l.diagnostics = vec![
        Diagnostic {
            stage: "temporal".into(),
            message: "no anchor".into(),
            span: Some(find(text, "Sunday")),
        },
        Diagnostic {
            stage: "events".into(),
            message: "whole-document note".into(),
            span: None,
        },
    ];
    d.check_spans().expect("valid test document");
    d
}

/// Four annotated documents over three months (December comes back after
/// January), then one without layers, alone in its month: its layer files have
/// a schema and no rows.
fn hand_built() -> Vec<Document> {
    let mut bare = Document::new("e", "No analysis.");
    bare.meta.date = Some("2025-02-10".parse().unwrap());
    vec![
        annotated("a", Some("2024-12-01")),
        annotated("b", Some("2025-01-05")),
        annotated("c", None),
        annotated("d", Some("2024-12-30")),
        bare,
    ]
}

#[test]
fn hand_built_documents_read_back_with_layout_counts_and_spellings() {
    // EVENTLINE_PARQUET_HAND_OUT=DIR keeps the files (docs/parquet.md reads
    // them with DuckDB: three months, `unknown`, a second part, empty files).
    let dir = tempfile::tempdir().unwrap();
    let out = std::env::var_os("EVENTLINE_PARQUET_HAND_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("export"));
    let docs = hand_built();
    let summary = write_all(&out, &docs, WriterOptions::default());

    // Layout: a month seen again starts a new part; undated goes to month=unknown.
    let files: Vec<String> = summary
        .files
        .iter()
        .filter(|p| p.starts_with("event_mentions"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "event_mentions/month=2024-12/part-00000.parquet",
            "event_mentions/month=2025-01/part-00000.parquet",
            "event_mentions/month=unknown/part-00000.parquet",
            "event_mentions/month=2024-12/part-00001.parquet",
            "event_mentions/month=2025-02/part-00000.parquet",
        ]
    );
    assert_eq!(summary.files.len(), 5 * Table::ALL.len());
    assert_eq!(snapshot(&out).len(), summary.files.len());

    // Row counts: the summary and the files agree with the layers.
    let per_doc = [
        (Table::Documents, 1),
        (Table::Sentences, 2),
        (Table::Tokens, 12),
        (Table::EntityMentions, 3),
        (Table::Timexes, 1),
        (Table::EventMentions, 2),
        (Table::EventMentionArguments, 4),
        (Table::Diagnostics, 2),
    ];
    assert_eq!(summary.documents, 5);
    for (table, n) in per_doc {
        let n = 4 * n + usize::from(table == Table::Documents);
        assert_eq!(rows(&out, table), n, "{}", table.name());
        assert_eq!(summary.rows(table), n as u64, "{}", table.name());
    }
    // The bare document's month: every layer file is there, empty.
    let feb = out.join("tokens/month=2025-02/part-00000.parquet");
    let f = ParquetRecordBatchReaderBuilder::try_new(File::open(feb).unwrap()).unwrap();
    assert_eq!(f.metadata().num_row_groups(), 0);
    assert_eq!(f.schema().field(0).name(), "doc_id");

    // Every span's words, including the curly apostrophe and quotes.
    assert_eq!(check_cited_words(&out), 4 * (2 + 12 + 3 + 1 + 2 + 1 + 4));

    // Documents: the partition month matches the date column; undated is null.
    for (month, b) in read_table(&out, Table::Documents) {
        let dates = b
            .column_by_name("date")
            .unwrap()
            .as_primitive::<Date32Type>();
        let date = dates.iter().next().unwrap();
        match month.as_str() {
            "unknown" => assert_eq!(date, None),
            m => {
                let d =
                    chrono::NaiveDate::from_num_days_from_ce_opt(date.unwrap() + 719_163).unwrap();
                assert!(d.to_string().starts_with(m), "{d} in month={m}");
            }
        }
        let want = if month == "2025-02" {
            None
        } else {
            Some("MENAFN")
        };
        assert_eq!(str_col(&b, "distributor"), [want]);
    }

    // Spellings are the store's (`docs/schema.md`).
    let (_, ents) = &read_table(&out, Table::EntityMentions)[0];
    assert_eq!(
        str_col(ents, "origin"),
        [Some("model"), Some("model"), Some("gazetteer")]
    );
    assert_eq!(str_col(ents, "entity_id"), [Some("e1"), None, None]);
    assert_eq!(
        str_col(ents, "label"),
        [Some("PERSON"), Some("PERSON"), Some("GPE")]
    );
    let (_, tx) = &read_table(&out, Table::Timexes)[0];
    assert_eq!(str_col(tx, "type"), [Some("DATE")]);
    let (_, ev) = &read_table(&out, Table::EventMentions)[0];
    assert_eq!(str_col(ev, "type"), [Some("CONSULT"), Some("AGREE")]);
    assert_eq!(str_col(ev, "status"), [Some("occurred"), Some("claimed")]);
    assert_eq!(
        str_col(ev, "date_precision"),
        [Some("day"), Some("unknown")]
    );
    assert_eq!(str_col(ev, "mode"), [Some("visit"), None]);
    assert_eq!(int_col(ev, "timex_idx"), [Some(0), None]);
    assert_eq!(int_col(ev, "sentence_idx"), [Some(0), Some(1)]);
    assert_eq!(str_col(ev, "quote"), [None, Some("we agree")]);
    let (_, args) = &read_table(&out, Table::EventMentionArguments)[0];
    assert_eq!(
        str_col(args, "role"),
        [Some("actor"), Some("actor"), Some("place"), Some("actor")]
    );
    assert_eq!(
        int_col(args, "event_idx"),
        [Some(0), Some(0), Some(0), Some(1)]
    );
    assert_eq!(
        int_col(args, "position"),
        [Some(0), Some(1), Some(0), Some(0)]
    );
    assert_eq!(
        int_col(args, "mention_idx"),
        [Some(0), Some(1), Some(2), None]
    );
    let (_, diag) = &read_table(&out, Table::Diagnostics)[0];
    assert_eq!(int_col(diag, "start_byte")[1], None);
    let (_, tok) = &read_table(&out, Table::Tokens)[0];
    assert_eq!(int_col(tok, "head")[3], Some(3));
    assert_eq!(str_col(tok, "lemma")[0], Some("araghchi"));

    // The footer names this crate, not the parquet crate's version.
    let f = File::open(out.join(&summary.files[0])).unwrap();
    let meta = ParquetRecordBatchReaderBuilder::try_new(f).unwrap();
    assert_eq!(
        meta.metadata().file_metadata().created_by(),
        Some(CREATED_BY)
    );
}

#[test]
fn hand_built_documents_write_byte_identical_files_twice() {
    assert_deterministic(&hand_built(), WriterOptions::default());
}

#[test]
fn row_groups_are_cut_every_n_documents_and_m_rows() {
    let docs: Vec<Document> = (0..5)
        .map(|k| annotated(&format!("d{k}"), Some("2024-12-01")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let by_docs = WriterOptions {
        max_documents: 2,
        ..WriterOptions::default()
    };
    let s = write_all(&dir.path().join("docs"), &docs, by_docs);
    assert_eq!(s.row_groups[&Table::Documents], 3, "2 + 2 + 1 documents");
    assert_eq!(s.row_groups[&Table::Tokens], 3);
    let f = File::open(dir.path().join("docs").join(&s.files[0])).unwrap();
    let meta = ParquetRecordBatchReaderBuilder::try_new(f).unwrap();
    let sizes: Vec<i64> = meta
        .metadata()
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);

    // 26 rows per document: a 30-row limit flushes after every second one.
    let by_rows = WriterOptions {
        max_rows: 30,
        ..WriterOptions::default()
    };
    let s = write_all(&dir.path().join("rows"), &docs, by_rows);
    assert_eq!(s.row_groups[&Table::Documents], 3);
    assert_eq!(rows(&dir.path().join("rows"), Table::Tokens), 5 * 12);
    assert_deterministic(&docs, by_rows);
}

#[test]
fn refuses_a_non_empty_directory_and_accepts_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    match PartitionWriter::create(dir.path()) {
        Err(e @ Error::NotEmpty { .. }) => {
            assert!(e.to_string().contains("not empty"), "{e}");
        }
        Err(e) => panic!("wrong error {e}"),
        Ok(_) => panic!("a non-empty directory was accepted"),
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "x"
    );

    let empty = tempfile::tempdir().unwrap();
    let w = PartitionWriter::create(empty.path()).expect("empty directory");
    let s = w.finish().unwrap();
    assert_eq!(s.documents, 0);
    assert!(s.files.is_empty());
}

#[test]
fn a_document_with_a_span_inside_a_character_is_rejected_and_the_rest_written() {
    let mut bad = annotated("bad", Some("2024-12-01"));
    // ’ is three bytes; a token ending inside it is not a char boundary.
    let apostrophe = bad.text.find('’').unwrap();
    bad.layers.events[0].actors[0].span = ByteSpan::new(apostrophe, apostrophe + 1);
    let dir = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(dir.path()).unwrap();
    w.write(&annotated("good", Some("2024-12-01"))).unwrap();
    match w.write(&bad) {
        Err(Error::InvalidDocument { id, message }) => {
            assert_eq!(id, "bad");
            assert!(message.contains("argument"), "{message}");
        }
        other => panic!("accepted: {other:?}"),
    }
    let s = w.finish().unwrap();
    assert_eq!(s.documents, 1);
    assert_eq!(rows(dir.path(), Table::EventMentionArguments), 4);
    assert_eq!(texts(dir.path()).keys().collect::<Vec<_>>(), ["good"]);
}

// ---------------------------------------------------------------- the real pipeline

/// The example articles in `examples/seeds`, analysed by the real
/// pipeline (per-document stages, then the cross-document step that adds
/// entity ids and event mentions), sorted by (date, id) as an export would.
fn analysed_seeds() -> Vec<Document> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    assert!(seeds.is_dir(), "{} is missing", seeds.display());
    let analyzer = pipeline::Analyzer::load(None).expect("bundled model");
    let mut docs: Vec<Document> = ingest::read_path(&seeds, &ingest::IngestOptions::default())
        .into_iter()
        .map(|r| r.expect("read seed"))
        .collect();
    for d in &mut docs {
        analyzer.analyze(d).expect("analyse");
    }
    pipeline::build_timeline(&mut docs);
    docs.sort_by(|a, b| (a.meta.date, &a.id).cmp(&(b.meta.date, &b.id)));
    docs
}

#[test]
fn seeds_analysed_by_the_real_pipeline_read_back() {
    let docs = analysed_seeds();
    // EVENTLINE_PARQUET_OUT=DIR keeps the files (DIR must not exist or be
    // empty): docs/parquet.md's DuckDB queries were run on them.
    let tmp = tempfile::tempdir().unwrap();
    let out = std::env::var_os("EVENTLINE_PARQUET_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("export"));
    let summary = write_all(&out, &docs, WriterOptions::default());

    let layer_rows = |f: fn(&Document) -> usize| docs.iter().map(f).sum::<usize>();
    let expect = [
        (Table::Documents, docs.len()),
        (Table::Sentences, layer_rows(|d| d.layers.sentences.len())),
        (Table::Tokens, layer_rows(|d| d.layers.tokens.len())),
        (
            Table::EntityMentions,
            layer_rows(|d| d.layers.entities.len()),
        ),
        (Table::Timexes, layer_rows(|d| d.layers.timexes.len())),
        (Table::EventMentions, layer_rows(|d| d.layers.events.len())),
        (
            Table::EventMentionArguments,
            layer_rows(|d| {
                d.layers
                    .events
                    .iter()
                    .map(|e| e.actors.len() + e.recipients.len() + e.place.iter().len())
                    .sum()
            }),
        ),
        (
            Table::Diagnostics,
            layer_rows(|d| d.layers.diagnostics.len()),
        ),
    ];
    for (table, n) in expect {
        assert_eq!(rows(&out, table), n, "{}", table.name());
        assert_eq!(summary.rows(table), n as u64, "{}", table.name());
    }
    assert_eq!(docs.len(), 3);
    assert!(summary.rows(Table::Tokens) > 1000, "{summary:?}");
    assert!(summary.rows(Table::EventMentions) > 5, "{summary:?}");
    assert!(check_cited_words(&out) > 1000);

    // The seeds are all dated December 2024: one partition per table.
    let months: Vec<&str> = summary
        .files
        .iter()
        .filter(|p| p.starts_with("documents"))
        .map(|p| p.parent().unwrap().file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(months, ["month=2024-12"]);

    // Entity ids from the cross-document step are exported where set.
    let linked: usize = read_table(&out, Table::EntityMentions)
        .iter()
        .map(|(_, b)| {
            b.column_by_name("entity_id").unwrap().len()
                - b.column_by_name("entity_id").unwrap().null_count()
        })
        .sum();
    let want = docs
        .iter()
        .flat_map(|d| &d.layers.entities)
        .filter(|m| m.entity.is_some())
        .count();
    assert!(want > 0);
    assert_eq!(linked, want);

    // Small row groups too, so the determinism check crosses flushes.
    assert_deterministic(&docs, WriterOptions::default());
    assert_deterministic(
        &docs,
        WriterOptions {
            max_rows: 700,
            ..WriterOptions::default()
        },
    );
}
