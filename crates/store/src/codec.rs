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

/// A document's layers as stored: MessagePack, deflated. Most of a
/// document's analysis (tokens and parse) lives only here.
pub(crate) fn encode_layers(layers: &model::Layers) -> Vec<u8> {
    use std::io::Write;
    let packed = rmp_serde::to_vec(layers).expect("layers serialize");
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(&packed).expect("in-memory write");
    z.finish().expect("in-memory write")
}

/// Reads layers written by [`encode_layers`].
pub(crate) fn decode_layers(blob: &[u8]) -> Result<model::Layers, String> {
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
