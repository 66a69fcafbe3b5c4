//! "How is this model value written as a readable SQLite value, and read back?"
//!
//! The names are the model's `as_str` (one spelling, shared with the Parquet
//! export); the parsers are exhaustive `match`es, and the tests check that both
//! agree with the serde names of the JSON contract.

use model::{DatePrecision, DateSource, EventStatus, EventType, MentionOrigin, TimexType};

/// TIMEX3 type name (`DATE`).
pub(crate) fn timex_type(t: TimexType) -> &'static str {
    t.as_str()
}

/// Parses a TIMEX3 type name.
#[cfg(test)]
pub(crate) fn parse_timex_type(s: &str) -> Option<TimexType> {
    Some(match s {
        "DATE" => TimexType::Date,
        "TIME" => TimexType::Time,
        "DURATION" => TimexType::Duration,
        "SET" => TimexType::Set,
        _ => return None,
    })
}

/// Event status name (`occurred`).
pub(crate) fn status(s: EventStatus) -> &'static str {
    s.as_str()
}

/// Parses an event status name.
pub(crate) fn parse_status(s: &str) -> Option<EventStatus> {
    Some(match s {
        "occurred" => EventStatus::Occurred,
        "planned" => EventStatus::Planned,
        "ongoing" => EventStatus::Ongoing,
        "claimed" => EventStatus::Claimed,
        _ => return None,
    })
}

/// Date precision name (`day`).
pub(crate) fn precision(p: DatePrecision) -> &'static str {
    p.as_str()
}

/// Date source name (`text`, `article`).
pub(crate) fn date_source(s: DateSource) -> &'static str {
    match s {
        DateSource::Text => "text",
        DateSource::Article => "article",
    }
}

/// Parses a date source name.
pub(crate) fn parse_date_source(s: &str) -> Option<DateSource> {
    Some(match s {
        "text" => DateSource::Text,
        "article" => DateSource::Article,
        _ => return None,
    })
}

/// Parses a date precision name.
pub(crate) fn parse_precision(s: &str) -> Option<DatePrecision> {
    Some(match s {
        "day" => DatePrecision::Day,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        "unknown" => DatePrecision::Unknown,
        _ => return None,
    })
}

/// Mention origin name (`model`).
pub(crate) fn origin(o: MentionOrigin) -> &'static str {
    o.as_str()
}

/// Parses a mention origin name.
#[cfg(test)]
pub(crate) fn parse_origin(s: &str) -> Option<MentionOrigin> {
    Some(match s {
        "model" => MentionOrigin::Model,
        "gazetteer" => MentionOrigin::Gazetteer,
        "rule" => MentionOrigin::Rule,
        _ => return None,
    })
}

/// PLOVER event type name (`CONSULT`).
pub(crate) fn event_type(t: EventType) -> &'static str {
    t.as_str()
}

/// Parses a PLOVER event type name (exactly as written by [`event_type`]).
pub(crate) fn parse_event_type(s: &str) -> Option<EventType> {
    EventType::ALL.into_iter().find(|t| t.as_str() == s)
}

/// A document's layers as stored: MessagePack, deflated, with the tokens
/// as columns ([`TokenColumns`]). Most of a document's analysis (tokens and
/// parse) lives only here.
pub(crate) fn encode_layers(layers: &model::Layers, text: &str) -> Vec<u8> {
    let rest = model::Layers {
        tokens: Vec::new(),
        ..layers.clone()
    };
    deflated(&PackedLayers {
        format: PACKED_FORMAT,
        tokens: TokenColumns::pack(&layers.tokens, text),
        rest,
    })
}

/// Reads layers written by [`encode_layers`] for the document `text`, or
/// by earlier versions (the whole layers as one MessagePack value).
pub(crate) fn decode_layers(blob: &[u8], text: &str) -> Result<model::Layers, String> {
    match inflated::<PackedLayers>(blob) {
        Ok(p) if p.format == PACKED_FORMAT => {
            let mut layers = p.rest;
            layers.tokens = p.tokens.unpack(text)?;
            Ok(layers)
        }
        Ok(p) => Err(format!("unknown analysis format {}", p.format)),
        Err(_) => inflated(blob),
    }
}

/// Format number of [`PackedLayers`].
const PACKED_FORMAT: u8 = 2;

/// The stored form of a document's layers.
#[derive(serde::Serialize, serde::Deserialize)]
struct PackedLayers {
    format: u8,
    tokens: TokenColumns,
    /// Every other layer, as is (its `tokens` empty).
    rest: model::Layers,
}

/// Tokens as columns: offsets as gaps and lengths, tags, POS, dependency
/// labels and lemmas as indexes into one string table, heads relative to
/// the token. Small integers and repeated indexes pack and deflate far
/// better than one record per token.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct TokenColumns {
    strings: Vec<String>,
    gap: Vec<u32>,
    len: Vec<u32>,
    tag: Vec<u32>,
    pos: Vec<u32>,
    dep: Vec<u32>,
    /// [`LEMMA_LOWER`]: the token's text in lower case; [`LEMMA_SAME`]: its
    /// text as is; else `LEMMA_TABLE + i` for `strings[i]`.
    lemma: Vec<u32>,
    head: Vec<i64>,
}

const LEMMA_SAME: u32 = 0;
const LEMMA_LOWER: u32 = 1;
/// `LEMMA_CUT + k` (k < [`MAX_CUT`]): the lower-cased text without its last k chars.
const LEMMA_CUT: u32 = 2;
const MAX_CUT: u32 = 6;
const LEMMA_TABLE: u32 = LEMMA_CUT + MAX_CUT;

/// Strings every document's table starts with (part of the format: never
/// reorder, only append): the English tags, coarse POS and dependency labels
/// of spaCy's English models, so that documents do not each store them.
const SEEDED: &[&str] = &[
    "",
    "$",
    "''",
    ",",
    "-LRB-",
    "-RRB-",
    ".",
    ":",
    "ADD",
    "AFX",
    "CC",
    "CD",
    "DT",
    "EX",
    "FW",
    "HYPH",
    "IN",
    "JJ",
    "JJR",
    "JJS",
    "LS",
    "MD",
    "NFP",
    "NN",
    "NNP",
    "NNPS",
    "NNS",
    "PDT",
    "POS",
    "PRP",
    "PRP$",
    "RB",
    "RBR",
    "RBS",
    "RP",
    "SYM",
    "TO",
    "UH",
    "VB",
    "VBD",
    "VBG",
    "VBN",
    "VBP",
    "VBZ",
    "WDT",
    "WP",
    "WP$",
    "WRB",
    "XX",
    "_SP",
    "``",
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SPACE",
    "VERB",
    "X",
    "ROOT",
    "acl",
    "acomp",
    "advcl",
    "advmod",
    "agent",
    "amod",
    "appos",
    "attr",
    "aux",
    "auxpass",
    "case",
    "cc",
    "ccomp",
    "compound",
    "conj",
    "csubj",
    "csubjpass",
    "dative",
    "dep",
    "det",
    "dobj",
    "expl",
    "intj",
    "mark",
    "meta",
    "neg",
    "nmod",
    "npadvmod",
    "nsubj",
    "nsubjpass",
    "nummod",
    "oprd",
    "parataxis",
    "pcomp",
    "pobj",
    "poss",
    "preconj",
    "predet",
    "prep",
    "prt",
    "punct",
    "quantmod",
    "relcl",
    "xcomp",
    "be",
    "have",
    "do",
    "say",
];

/// `s` without its last `k` chars, when it has more than `k`.
fn cut_chars(s: &str, k: u32) -> Option<&str> {
    let (i, _) = s.char_indices().rev().nth((k as usize).checked_sub(1)?)?;
    (i > 0).then(|| &s[..i])
}

impl TokenColumns {
    fn pack(tokens: &[model::Token], text: &str) -> Self {
        let mut c = TokenColumns::default();
        let mut index: std::collections::HashMap<&str, u32> = SEEDED
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u32))
            .collect();
        fn intern<'a>(
            index: &mut std::collections::HashMap<&'a str, u32>,
            s: &'a str,
            strings: &mut Vec<String>,
        ) -> u32 {
            *index.entry(s).or_insert_with(|| {
                strings.push(s.to_string());
                (SEEDED.len() + strings.len() - 1) as u32
            })
        }
        let mut prev_end = 0u32;
        for (i, t) in tokens.iter().enumerate() {
            c.gap.push(t.span.start.wrapping_sub(prev_end));
            c.len.push(t.span.end.wrapping_sub(t.span.start));
            prev_end = t.span.end;
            c.tag.push(intern(&mut index, &t.tag, &mut c.strings));
            c.pos.push(intern(&mut index, &t.pos, &mut c.strings));
            c.dep.push(intern(&mut index, &t.dep, &mut c.strings));
            let own = text.get(t.span.start as usize..t.span.end as usize);
            let lower = own.map(str::to_lowercase);
            let cut = lower
                .as_deref()
                .and_then(|l| (1..MAX_CUT).find(|&k| cut_chars(l, k) == Some(t.lemma.as_str())));
            let lemma = if own == Some(t.lemma.as_str()) {
                LEMMA_SAME
            } else if lower.as_deref() == Some(t.lemma.as_str()) {
                LEMMA_LOWER
            } else if let Some(k) = cut {
                LEMMA_CUT + k
            } else {
                LEMMA_TABLE + intern(&mut index, &t.lemma, &mut c.strings)
            };
            c.lemma.push(lemma);
            c.head.push(i64::from(t.head) - i as i64);
        }
        c
    }

    fn unpack(self, text: &str) -> Result<Vec<model::Token>, String> {
        let n = self.gap.len();
        let columns = [
            self.len.len(),
            self.tag.len(),
            self.pos.len(),
            self.dep.len(),
            self.lemma.len(),
            self.head.len(),
        ];
        if columns.iter().any(|&l| l != n) {
            return Err("token columns of different lengths".into());
        }
        let string = |k: u32| {
            let k = k as usize;
            match SEEDED.get(k) {
                Some(s) => Some(s.to_string()),
                None => self.strings.get(k - SEEDED.len()).cloned(),
            }
            .ok_or_else(|| format!("token string {k} out of range"))
        };
        let mut out = Vec::with_capacity(n);
        let mut prev_end = 0u32;
        for i in 0..n {
            let start = prev_end.wrapping_add(self.gap[i]);
            let end = start.wrapping_add(self.len[i]);
            prev_end = end;
            let own = text.get(start as usize..end as usize);
            let lemma = match self.lemma[i] {
                LEMMA_SAME => own.map(str::to_string),
                LEMMA_LOWER => own.map(str::to_lowercase),
                k if k < LEMMA_TABLE => own
                    .map(str::to_lowercase)
                    .and_then(|l| cut_chars(&l, k - LEMMA_CUT).map(str::to_string)),
                k => Some(string(k - LEMMA_TABLE)?),
            }
            .ok_or_else(|| format!("token {i} is not inside the text"))?;
            let head = u32::try_from(i as i64 + self.head[i])
                .map_err(|_| format!("token {i}: head out of range"))?;
            out.push(model::Token {
                span: model::ByteSpan { start, end },
                tag: string(self.tag[i])?,
                pos: string(self.pos[i])?,
                lemma,
                head,
                dep: string(self.dep[i])?,
            });
        }
        Ok(out)
    }
}

/// Any serializable value as MessagePack, deflated for keeping.
pub(crate) fn deflated<T: serde::Serialize>(v: &T) -> Vec<u8> {
    deflated_at(v, flate2::Compression::new(6))
}

/// Any serializable value as MessagePack, deflated at `level` (staged
/// documents, kept until the same ingest takes them up, use a fast one).
pub(crate) fn deflated_at<T: serde::Serialize>(v: &T, level: flate2::Compression) -> Vec<u8> {
    use std::io::Write;
    let packed = rmp_serde::to_vec(v).expect("value serializes");
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), level);
    z.write_all(&packed).expect("in-memory write");
    z.finish().expect("in-memory write")
}

/// Reads a value written by [`deflated`].
pub(crate) fn inflated<T: serde::de::DeserializeOwned>(blob: &[u8]) -> Result<T, String> {
    let z = flate2::read::DeflateDecoder::new(blob);
    rmp_serde::from_read(z).map_err(|e| e.to_string())
}

/// Any serializable record as a MessagePack blob (local entities).
pub(crate) fn encode<T: serde::Serialize>(v: &T) -> Vec<u8> {
    rmp_serde::to_vec(v).expect("record serializes")
}

/// Reads a record written by [`encode`].
pub(crate) fn decode<T: serde::de::DeserializeOwned>(blob: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(blob).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_columns_round_trip_and_old_blobs_still_read() {
        let text = "Ministers met. They talked";
        let tok = |start: u32, end: u32, lemma: &str, head: u32, dep: &str| model::Token {
            span: model::ByteSpan { start, end },
            tag: "NNS".into(),
            pos: "NOUN".into(),
            lemma: lemma.into(),
            head,
            dep: dep.into(),
        };
        let layers = model::Layers {
            tokens: vec![
                tok(0, 9, "minister", 1, "nsubj"), // lemma not the text
                tok(10, 13, "meet", 1, "ROOT"),    // lemma from the table
                tok(13, 14, ".", 1, "punct"),      // lemma = text
                tok(15, 19, "they", 16, "nsubj"),  // lemma = lower-cased text
                tok(20, 26, "talk", 4, ""),        // lemma = lower-cased text less its end
            ],
            sentences: vec![model::Sentence {
                span: model::ByteSpan { start: 0, end: 14 },
            }],
            ..Default::default()
        };
        let blob = encode_layers(&layers, text);
        assert_eq!(decode_layers(&blob, text).unwrap(), layers);
        // a blob of an earlier version: the layers as one value
        assert_eq!(decode_layers(&deflated(&layers), text).unwrap(), layers);
        assert!(decode_layers(b"not a blob", text).is_err());
    }

    #[test]
    fn every_variant_round_trips() {
        for t in [
            TimexType::Date,
            TimexType::Time,
            TimexType::Duration,
            TimexType::Set,
        ] {
            assert_eq!(parse_timex_type(timex_type(t)), Some(t));
        }
        for s in [DateSource::Text, DateSource::Article] {
            assert_eq!(parse_date_source(date_source(s)), Some(s));
            // the store and the JSON contract spell it alike
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", date_source(s))
            );
        }
        for s in [
            EventStatus::Occurred,
            EventStatus::Planned,
            EventStatus::Ongoing,
            EventStatus::Claimed,
        ] {
            assert_eq!(parse_status(status(s)), Some(s));
        }
        for p in [
            DatePrecision::Day,
            DatePrecision::Month,
            DatePrecision::Year,
            DatePrecision::Unknown,
        ] {
            assert_eq!(parse_precision(precision(p)), Some(p));
        }
        for o in [
            MentionOrigin::Model,
            MentionOrigin::Gazetteer,
            MentionOrigin::Rule,
        ] {
            assert_eq!(parse_origin(origin(o)), Some(o));
        }
        for t in EventType::ALL {
            assert_eq!(parse_event_type(event_type(t)), Some(t));
        }
        assert_eq!(parse_event_type("consult"), None);
    }

    #[test]
    fn names_match_the_json_contract() {
        // The store writes the same spellings as the model's serde names.
        for t in [
            TimexType::Date,
            TimexType::Time,
            TimexType::Duration,
            TimexType::Set,
        ] {
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", timex_type(t))
            );
        }
        for s in [DateSource::Text, DateSource::Article] {
            assert_eq!(parse_date_source(date_source(s)), Some(s));
            // the store and the JSON contract spell it alike
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", date_source(s))
            );
        }
        for s in [
            EventStatus::Occurred,
            EventStatus::Planned,
            EventStatus::Ongoing,
            EventStatus::Claimed,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", status(s))
            );
        }
        for p in [
            DatePrecision::Day,
            DatePrecision::Month,
            DatePrecision::Year,
            DatePrecision::Unknown,
        ] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", precision(p))
            );
        }
        for o in [
            MentionOrigin::Model,
            MentionOrigin::Gazetteer,
            MentionOrigin::Rule,
        ] {
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", origin(o))
            );
        }
        for t in EventType::ALL {
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", event_type(t))
            );
        }
    }
}
