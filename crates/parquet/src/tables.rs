//! "Which tables and columns does a document become, and how is one row buffered?"
//!
//! Names and spellings mirror the SQLite store (`docs/schema.md`): the same
//! table and column names, enum values through the model's `as_str` (the
//! functions the store's codec uses), argument roles as the store writes them.

use crate::Error;
use arrow_array::builder::{Date32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::{Datelike, NaiveDate};
use model::{ByteSpan, Document};
use std::sync::Arc;

/// One exported table: a directory `DIR/<name>/` of month partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// One row per document: metadata and text.
    Documents,
    /// One row per sentence.
    Sentences,
    /// One row per token, with tag, lemma and dependency arc.
    Tokens,
    /// One row per named-entity mention.
    EntityMentions,
    /// One row per time expression.
    Timexes,
    /// One row per event mention.
    EventMentions,
    /// One row per actor, recipient or place of an event mention.
    EventMentionArguments,
    /// One row per note an analysis stage left.
    Diagnostics,
}

impl Table {
    /// Every table, in the order files are opened and listed.
    pub const ALL: [Table; 8] = [
        Self::Documents,
        Self::Sentences,
        Self::Tokens,
        Self::EntityMentions,
        Self::Timexes,
        Self::EventMentions,
        Self::EventMentionArguments,
        Self::Diagnostics,
    ];

    /// The table's name, as in the SQLite store and the directory name (`event_mentions`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Documents => "documents",
            Self::Sentences => "sentences",
            Self::Tokens => "tokens",
            Self::EntityMentions => "entity_mentions",
            Self::Timexes => "timexes",
            Self::EventMentions => "event_mentions",
            Self::EventMentionArguments => "event_mention_arguments",
            Self::Diagnostics => "diagnostics",
        }
    }

    /// The columns, in file order: name, type, nullable.
    fn columns(self) -> &'static [(&'static str, Kind, bool)] {
        use Kind::{Date, Int, Str};
        match self {
            Self::Documents => &[
                ("id", Str, false),
                ("date", Date, true),
                ("outlet", Str, true),
                ("distributor", Str, true),
                ("dateline", Str, true),
                ("title", Str, true),
                ("url", Str, true),
                ("path", Str, true),
                ("duplicate_of", Str, true),
                ("content_hash", Str, false),
                ("text", Str, false),
            ],
            Self::Sentences => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("start_byte", Int, false),
                ("end_byte", Int, false),
                ("text", Str, false),
            ],
            Self::Tokens => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("start_byte", Int, false),
                ("end_byte", Int, false),
                ("text", Str, false),
                ("tag", Str, false),
                ("pos", Str, false),
                ("lemma", Str, false),
                ("head", Int, false),
                ("dep", Str, false),
            ],
            Self::EntityMentions => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("start_byte", Int, false),
                ("end_byte", Int, false),
                ("text", Str, false),
                ("label", Str, false),
                ("entity_id", Str, true),
                ("origin", Str, false),
            ],
            Self::Timexes => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("start_byte", Int, false),
                ("end_byte", Int, false),
                ("text", Str, false),
                ("type", Str, false),
                ("value", Str, false),
            ],
            Self::EventMentions => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("trigger_start", Int, false),
                ("trigger_end", Int, false),
                ("trigger", Str, false),
                ("sentence_idx", Int, false),
                ("type", Str, false),
                ("mode", Str, true),
                ("status", Str, false),
                ("timex_idx", Int, true),
                ("date", Str, true),
                ("date_precision", Str, false),
                ("quote_start", Int, true),
                ("quote_end", Int, true),
                ("quote", Str, true),
            ],
            Self::EventMentionArguments => &[
                ("doc_id", Str, false),
                ("event_idx", Int, false),
                ("role", Str, false),
                ("position", Int, false),
                ("start_byte", Int, false),
                ("end_byte", Int, false),
                ("text", Str, false),
                ("mention_idx", Int, true),
            ],
            Self::Diagnostics => &[
                ("doc_id", Str, false),
                ("idx", Int, false),
                ("stage", Str, false),
                ("message", Str, false),
                ("start_byte", Int, true),
                ("end_byte", Int, true),
            ],
        }
    }

    /// The table's Arrow schema (Parquet: `BYTE_ARRAY` UTF8, `INT64`, `INT32` DATE).
    pub fn schema(self) -> SchemaRef {
        let fields: Vec<Field> = self
            .columns()
            .iter()
            .map(|&(name, kind, nullable)| Field::new(name, kind.data_type(), nullable))
            .collect();
        Arc::new(Schema::new(fields))
    }
}

/// A column's type. Integers are 64-bit like SQLite's INTEGER, so every engine
/// reads them as a plain signed BIGINT (Spark has no unsigned types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Int,
    Date,
}

impl Kind {
    fn data_type(self) -> DataType {
        match self {
            Kind::Str => DataType::Utf8,
            Kind::Int => DataType::Int64,
            Kind::Date => DataType::Date32,
        }
    }
}

/// One value of a row, in column order.
enum Value<'a> {
    Str(Option<&'a str>),
    Int(Option<i64>),
    Date(Option<i32>),
}

fn s(v: &str) -> Value<'_> {
    Value::Str(Some(v))
}

fn os(v: Option<&str>) -> Value<'_> {
    Value::Str(v)
}

fn i(v: impl Into<i64>) -> Value<'static> {
    Value::Int(Some(v.into()))
}

fn oi<T: Into<i64>>(v: Option<T>) -> Value<'static> {
    Value::Int(v.map(Into::into))
}

/// `usize` positions always fit: a layer cannot hold more than `u32` rows of spans.
fn n(v: usize) -> Value<'static> {
    Value::Int(Some(i64::try_from(v).unwrap_or(i64::MAX)))
}

enum Column {
    Str(StringBuilder),
    Int(Int64Builder),
    Date(Date32Builder),
}

/// Rows of one table not yet written, held column by column.
pub(crate) struct TableBuffer {
    table: Table,
    schema: SchemaRef,
    columns: Vec<Column>,
    rows: usize,
    bytes: usize,
}

impl TableBuffer {
    pub(crate) fn new(table: Table) -> Self {
        let columns = table
            .columns()
            .iter()
            .map(|&(_, kind, _)| match kind {
                Kind::Str => Column::Str(StringBuilder::new()),
                Kind::Int => Column::Int(Int64Builder::new()),
                Kind::Date => Column::Date(Date32Builder::new()),
            })
            .collect();
        Self {
            table,
            schema: table.schema(),
            columns,
            rows: 0,
            bytes: 0,
        }
    }

    /// Rows buffered.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Approximate bytes buffered (string bytes plus 8 per other value).
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(crate) fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Appends one row. The values follow [`Table::columns`]; a mismatch is a
    /// bug in this module, caught by every test that writes a document.
    fn push(&mut self, row: &[Value]) {
        assert_eq!(
            row.len(),
            self.columns.len(),
            "{}: row width",
            self.table.name()
        );
        for (col, v) in self.columns.iter_mut().zip(row) {
            match (col, v) {
                (Column::Str(b), Value::Str(v)) => {
                    self.bytes += v.map_or(0, str::len);
                    b.append_option(*v);
                }
                (Column::Int(b), Value::Int(v)) => {
                    self.bytes += 8;
                    b.append_option(*v);
                }
                (Column::Date(b), Value::Date(v)) => {
                    self.bytes += 4;
                    b.append_option(*v);
                }
                _ => panic!("{}: value of the wrong type", self.table.name()),
            }
        }
        self.rows += 1;
    }

    /// The buffered rows as one batch; the buffer is left empty.
    pub(crate) fn take_batch(&mut self) -> Result<RecordBatch, Error> {
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter_mut()
            .map(|c| -> ArrayRef {
                match c {
                    Column::Str(b) => Arc::new(b.finish()),
                    Column::Int(b) => Arc::new(b.finish()),
                    Column::Date(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        self.bytes = 0;
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(|source| Error::Arrow {
            table: self.table.name(),
            source,
        })
    }
}

/// Argument roles, spelled as the store's `event_mention_arguments.role`.
const ROLE_ACTOR: &str = "actor";
const ROLE_RECIPIENT: &str = "recipient";
const ROLE_PLACE: &str = "place";

/// Days since 1970-01-01, Parquet's DATE.
fn days_since_epoch(d: NaiveDate) -> i32 {
    // 719_163 = days from 0001-01-01 (CE day 1) to 1970-01-01.
    d.num_days_from_ce() - 719_163
}

/// The Hive partition value of a document: its month `YYYY-MM`, or `unknown`.
pub(crate) fn month_of(doc: &Document) -> String {
    match doc.meta.date {
        Some(d) => format!("{:04}-{:02}", d.year(), d.month()),
        None => "unknown".to_string(),
    }
}

/// Appends every row `doc` gives to the buffers, indexed like [`Table::ALL`].
/// The document must have passed [`validate`].
pub(crate) fn push_document(doc: &Document, buffers: &mut [TableBuffer]) {
    let id = doc.id.as_str();
    let words = |sp: ByteSpan| doc.text.get(sp.range()).unwrap_or_default();
    let l = &doc.layers;
    let m = &doc.meta;
    let [
        documents,
        sentences,
        tokens,
        entities,
        timexes,
        events,
        arguments,
        diagnostics,
    ] = buffers
    else {
        unreachable!("one buffer per table");
    };

    documents.push(&[
        s(id),
        Value::Date(m.date.map(days_since_epoch)),
        os(m.outlet.as_deref()),
        os(m.distributor.as_deref()),
        os(m.dateline.as_deref()),
        os(m.title.as_deref()),
        os(m.url.as_deref()),
        os(m.path.as_deref()),
        os(doc.duplicate_of.as_deref()),
        s(&doc.content_hash),
        s(&doc.text),
    ]);
    for (k, x) in l.sentences.iter().enumerate() {
        sentences.push(&[
            s(id),
            n(k),
            i(x.span.start),
            i(x.span.end),
            s(words(x.span)),
        ]);
    }
    for (k, t) in l.tokens.iter().enumerate() {
        tokens.push(&[
            s(id),
            n(k),
            i(t.span.start),
            i(t.span.end),
            s(words(t.span)),
            s(&t.tag),
            s(&t.pos),
            s(&t.lemma),
            i(t.head),
            s(&t.dep),
        ]);
    }
    for (k, e) in l.entities.iter().enumerate() {
        entities.push(&[
            s(id),
            n(k),
            i(e.span.start),
            i(e.span.end),
            s(words(e.span)),
            s(&e.label),
            os(e.entity.as_deref()),
            s(e.origin.as_str()),
        ]);
    }
    for (k, t) in l.timexes.iter().enumerate() {
        timexes.push(&[
            s(id),
            n(k),
            i(t.span.start),
            i(t.span.end),
            s(words(t.span)),
            s(t.kind.as_str()),
            s(&t.value),
        ]);
    }
    for (k, e) in l.events.iter().enumerate() {
        events.push(&[
            s(id),
            n(k),
            i(e.trigger.start),
            i(e.trigger.end),
            s(words(e.trigger)),
            i(e.sentence),
            s(e.kind.as_str()),
            os(e.mode.as_deref()),
            s(e.status.as_str()),
            oi(e.timex),
            os(e.date.as_deref()),
            s(e.date_precision.as_str()),
            oi(e.quote.map(|q| q.start)),
            oi(e.quote.map(|q| q.end)),
            os(e.quote.map(words)),
        ]);
        let roles = [
            (ROLE_ACTOR, e.actors.as_slice()),
            (ROLE_RECIPIENT, e.recipients.as_slice()),
            (ROLE_PLACE, e.place.as_slice()),
        ];
        for (role, args) in roles {
            for (p, a) in args.iter().enumerate() {
                arguments.push(&[
                    s(id),
                    n(k),
                    s(role),
                    n(p),
                    i(a.span.start),
                    i(a.span.end),
                    s(words(a.span)),
                    oi(a.mention),
                ]);
            }
        }
    }
    for (k, d) in l.diagnostics.iter().enumerate() {
        diagnostics.push(&[
            s(id),
            n(k),
            s(&d.stage),
            s(&d.message),
            oi(d.span.map(|x| x.start)),
            oi(d.span.map(|x| x.end)),
        ]);
    }
}

/// Checks what the `text` columns rely on, as the store does: a non-empty id
/// and every span of every layer on char boundaries inside the text.
pub(crate) fn validate(doc: &Document) -> Result<(), Error> {
    let invalid = |message: String| Error::InvalidDocument {
        id: doc.id.clone(),
        message,
    };
    if doc.id.is_empty() {
        return Err(invalid("empty id".into()));
    }
    doc.check_spans().map_err(invalid)?;
    let check = |what: String, sp: ByteSpan| match doc.text.get(sp.range()) {
        Some(_) => Ok(()),
        None => Err(invalid(format!(
            "{what} span {}..{} is not inside the text on char boundaries",
            sp.start, sp.end
        ))),
    };
    for (k, ev) in doc.layers.events.iter().enumerate() {
        for a in ev.actors.iter().chain(&ev.recipients).chain(&ev.place) {
            check(format!("event mention {k} argument"), a.span)?;
        }
    }
    for (k, d) in doc.layers.diagnostics.iter().enumerate() {
        if let Some(sp) = d.span {
            check(format!("diagnostic {k}"), sp)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_month_keys() {
        let case = [
            ("1970-01-01", 0, "1970-01"),
            ("2024-12-01", 20058, "2024-12"),
            ("1969-12-31", -1, "1969-12"),
        ];
        for (date, days, month) in case {
            let d: NaiveDate = date.parse().unwrap();
            assert_eq!(days_since_epoch(d), days, "{date}");
            let mut doc = Document::new("d", "x");
            doc.meta.date = Some(d);
            assert_eq!(month_of(&doc), month, "{date}");
        }
        assert_eq!(month_of(&Document::new("d", "x")), "unknown");
    }

    #[test]
    fn every_table_has_doc_id_first_or_is_documents() {
        for t in Table::ALL {
            let first = t.columns()[0].0;
            let want = if t == Table::Documents {
                "id"
            } else {
                "doc_id"
            };
            assert_eq!(first, want, "{}", t.name());
        }
    }
}
