//! PLOVER event-type accuracy on the PLOVER gold standard records
//! (`plover-gsr/PLOVER_GSR_CAMEO.dev.json`): each record is one news
//! sentence with the type of its main event.
//!
//! Gold records use some pre-2021 PLOVER names; they are mapped to the 2021
//! types eventline emits: DEMAND → REQUEST, DISAPPROVE and INVESTIGATE →
//! ACCUSE, FIGHT → ASSAULT. The documentation record (`DOCUMENT`) and
//! records without a sentence are skipped.

use model::EventType;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The gold file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PloverError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a JSON array of records.
    #[error("{path} is not a JSON array of PLOVER records: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

/// One gold record: a sentence and the PLOVER type of its main event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PloverRecord {
    /// Record id (`PLOVER-GSR01-AGREE-0002`).
    pub id: String,
    /// The sentence.
    pub text: String,
    /// Gold type, mapped to PLOVER 2021.
    pub gold: EventType,
    /// Gold mode, when the record has one.
    pub mode: Option<String>,
}

/// Maps a gold record's event name to a PLOVER 2021 type.
pub fn gold_type(name: &str) -> Option<EventType> {
    match name.trim().to_uppercase().as_str() {
        "DEMAND" => Some(EventType::Request),
        "DISAPPROVE" | "INVESTIGATE" => Some(EventType::Accuse),
        "FIGHT" => Some(EventType::Assault),
        other => EventType::parse(other).filter(|t| *t != EventType::Other),
    }
}

/// Reads the gold records of a PLOVER GSR JSON file.
pub fn read(path: &Path) -> Result<Vec<PloverRecord>, PloverError> {
    let text = std::fs::read_to_string(path).map_err(|source| PloverError::Io {
        path: path.into(),
        source,
    })?;
    let values: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|source| PloverError::Json {
            path: path.into(),
            source,
        })?;
    let mut out = Vec::new();
    for v in values {
        let (Some(id), Some(ev), Some(text)) = (
            v.get("id").and_then(|x| x.as_str()),
            v.get("event").and_then(|x| x.as_str()),
            v.get("text").and_then(|x| x.as_str()),
        ) else {
            continue;
        };
        let Some(gold) = gold_type(ev) else {
            continue;
        };
        out.push(PloverRecord {
            id: id.to_string(),
            text: text.trim().to_string(),
            gold,
            mode: v
                .get("mode")
                .and_then(|x| x.as_str())
                .filter(|m| !m.trim().is_empty())
                .map(str::to_string),
        });
    }
    Ok(out)
}

/// Type accuracy over the records, with a confusion table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PloverScores {
    /// Records scored.
    pub total: usize,
    /// Records whose predicted type equals the gold type.
    pub correct: usize,
    /// Records with no prediction (no event found).
    pub missing: usize,
    /// (gold, predicted or `None`) -> count.
    pub confusion: BTreeMap<(EventType, Option<EventType>), usize>,
}

impl PloverScores {
    /// Correct / total (0 when empty).
    pub fn accuracy(&self) -> f64 {
        crate::score::ratio(self.correct, self.total)
    }
}

impl fmt::Display for PloverScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PLOVER type accuracy: {:.3} ({}/{}; {} without an event)",
            self.accuracy(),
            self.correct,
            self.total,
            self.missing
        )?;
        for ((g, p), n) in &self.confusion {
            if Some(*g) != *p {
                let p = p.map_or("-", |p| p.as_str());
                writeln!(f, "  gold {:<10} predicted {:<10} {n}", g.as_str(), p)?;
            }
        }
        Ok(())
    }
}

/// Scores `run` (which analyses one record's sentence and returns the type of
/// its main event, or `None`) on the gold file at `path`.
pub fn evaluate(
    path: &Path,
    run: &dyn Fn(&PloverRecord) -> Option<EventType>,
) -> Result<PloverScores, PloverError> {
    let records = read(path)?;
    let mut s = PloverScores::default();
    for r in &records {
        let p = run(r);
        s.total += 1;
        if p == Some(r.gold) {
            s.correct += 1;
        }
        if p.is_none() {
            s.missing += 1;
        }
        *s.confusion.entry((r.gold, p)).or_default() += 1;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_map_to_plover_2021() {
        let cases = [
            ("DEMAND", Some(EventType::Request)),
            ("DISAPPROVE", Some(EventType::Accuse)),
            ("INVESTIGATE", Some(EventType::Accuse)),
            ("FIGHT", Some(EventType::Assault)),
            ("CONSULT", Some(EventType::Consult)),
            ("DOCUMENT", None),
        ];
        for (name, want) in cases {
            assert_eq!(gold_type(name), want, "{name}");
        }
    }

    #[test]
    fn scores_count_correct_and_missing() {
        let dir = std::env::temp_dir().join(format!("plover-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("g.json");
        std::fs::write(
            &p,
            r#"[{"id":"d","event":"DOCUMENT"},
                {"id":"a","event":"CONSULT","text":"A met B."},
                {"id":"b","event":"FIGHT","text":"A shelled B."},
                {"id":"c","event":"DEMAND","text":"A demanded C."}]"#,
        )
        .unwrap();
        let s = evaluate(&p, &|r| match r.id.as_str() {
            "a" => Some(EventType::Consult),
            "b" => Some(EventType::Assault),
            _ => None,
        })
        .unwrap();
        assert_eq!((s.total, s.correct, s.missing), (3, 2, 1));
        assert!((s.accuracy() - 2.0 / 3.0).abs() < 1e-9);
        std::fs::remove_dir_all(&dir).ok();
    }
}
