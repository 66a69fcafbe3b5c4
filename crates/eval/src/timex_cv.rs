//! "Do the time-expression rules hold on text they were not fit on?": the
//! two-fold cross-validation protocol for the TIMEX3 tagger over the
//! development data.
//!
//! The data splits into three parts: TempEval-3's TimeBank and AQUAINT
//! (TimeML) and MEANTIME (Wikinews). [`FOLDS`] pairs them:
//!
//! | fold | fit (errors looked at, rules changed) | held out (scored) |
//! |---|---|---|
//! | A | TimeBank | AQUAINT + MEANTIME |
//! | B | AQUAINT + MEANTIME | TimeBank |
//!
//! For a rule-based tagger "fit" means: a rule may change only because of
//! errors seen on the fit half of a fold, and the held-out half's figure is
//! reported before and after the change. [`cross_validate`] tags every
//! document once, scores each part, pools the parts of each half (micro
//! counts, as TempEval-3 pools documents) and reports each fold's held-out
//! figures and their mean.

use crate::timeml::{EvalError, TimexDoc, TimexScores, read_meantime_dir, read_timeml_dir};
use chrono::NaiveDate;
use model::Timex;
use std::fmt;
use std::path::Path;

/// A part of the development data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// TempEval-3 TimeBank (TimeML), `tempeval3-train/TimeBank`.
    TimeBank,
    /// TempEval-3 AQUAINT (TimeML), `tempeval3-train/AQUAINT`.
    Aquaint,
    /// MEANTIME English (Wikinews), `meantime/intra-doc_annotation`.
    Meantime,
}

impl Part {
    /// Every part, in report order.
    pub const ALL: [Part; 3] = [Part::TimeBank, Part::Aquaint, Part::Meantime];

    /// The part's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Part::TimeBank => "TimeBank",
            Part::Aquaint => "AQUAINT",
            Part::Meantime => "MEANTIME",
        }
    }

    /// Where the part lies under the data root (`../shared/data`).
    pub fn dir(self, root: &Path) -> std::path::PathBuf {
        match self {
            Part::TimeBank => root.join("tempeval3-train").join("TimeBank"),
            Part::Aquaint => root.join("tempeval3-train").join("AQUAINT"),
            Part::Meantime => root.join("meantime"),
        }
    }

    /// Reads the part's gold documents from under the data root.
    pub fn read(self, root: &Path) -> Result<Vec<TimexDoc>, EvalError> {
        let dir = self.dir(root);
        if !dir.is_dir() {
            return Err(EvalError::Io {
                path: dir,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            });
        }
        match self {
            Part::TimeBank | Part::Aquaint => read_timeml_dir(&dir),
            Part::Meantime => read_meantime_dir(&dir),
        }
    }
}

/// One fold: the parts rules may be fit on, and the parts it is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    /// Fold name (`A`, `B`).
    pub name: &'static str,
    /// Parts whose errors may guide rule changes.
    pub fit: &'static [Part],
    /// Parts scored as unseen text.
    pub held_out: &'static [Part],
}

/// The protocol's two folds.
pub const FOLDS: [Fold; 2] = [
    Fold {
        name: "A",
        fit: &[Part::TimeBank],
        held_out: &[Part::Aquaint, Part::Meantime],
    },
    Fold {
        name: "B",
        fit: &[Part::Aquaint, Part::Meantime],
        held_out: &[Part::TimeBank],
    },
];

impl Fold {
    /// The fold named `name` (case-insensitive), if any.
    pub fn named(name: &str) -> Option<&'static Fold> {
        FOLDS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

/// The scores of every part, each tagged once.
#[derive(Debug, Clone, Default)]
pub struct PartScores(Vec<(Part, TimexScores)>);

impl PartScores {
    /// Tags and scores every part of `data`.
    pub fn score(
        data: &[(Part, Vec<TimexDoc>)],
        tag: &dyn Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
    ) -> Self {
        Self(
            data.iter()
                .map(|(p, docs)| (*p, crate::timeml::score_docs(docs, tag)))
                .collect(),
        )
    }

    /// One part's scores, if it was scored.
    pub fn part(&self, p: Part) -> Option<&TimexScores> {
        self.0.iter().find(|(q, _)| *q == p).map(|(_, s)| s)
    }

    /// The pooled scores of several parts (counts and disagreements summed).
    pub fn pooled(&self, parts: &[Part]) -> TimexScores {
        let mut out = TimexScores::default();
        for p in parts {
            if let Some(s) = self.part(*p) {
                out.merge(s);
            }
        }
        out
    }

    /// The cross-validated report over [`FOLDS`].
    pub fn report(&self) -> CvReport {
        CvReport {
            folds: FOLDS
                .iter()
                .map(|f| FoldReport {
                    fold: *f,
                    fit: self.pooled(f.fit),
                    held_out: self.pooled(f.held_out),
                    parts: f
                        .held_out
                        .iter()
                        .filter_map(|p| Some((*p, self.part(*p)?.clone())))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One fold's figures.
#[derive(Debug, Clone)]
pub struct FoldReport {
    /// The fold.
    pub fold: Fold,
    /// Pooled scores of the fit half (for reference: not a generalization figure).
    pub fit: TimexScores,
    /// Pooled scores of the held-out half.
    pub held_out: TimexScores,
    /// Scores of each held-out part.
    pub parts: Vec<(Part, TimexScores)>,
}

/// The cross-validated figures: each fold's held-out half and their mean.
#[derive(Debug, Clone)]
pub struct CvReport {
    /// One report per fold of [`FOLDS`].
    pub folds: Vec<FoldReport>,
}

impl CvReport {
    fn mean(&self, f: impl Fn(&TimexScores) -> f64) -> f64 {
        if self.folds.is_empty() {
            return 0.0;
        }
        self.folds.iter().map(|r| f(&r.held_out)).sum::<f64>() / self.folds.len() as f64
    }

    /// Mean over folds of the held-out value F1.
    pub fn mean_value_f1(&self) -> f64 {
        self.mean(TimexScores::value_f1)
    }

    /// Mean over folds of the held-out strict extent F1.
    pub fn mean_strict_f1(&self) -> f64 {
        self.mean(TimexScores::strict_f1)
    }

    /// Mean over folds of the held-out relaxed extent F1.
    pub fn mean_relaxed_f1(&self) -> f64 {
        self.mean(TimexScores::relaxed_f1)
    }
}

fn names(parts: &[Part]) -> String {
    parts.iter().map(|p| p.name()).collect::<Vec<_>>().join("+")
}

fn row(f: &mut fmt::Formatter<'_>, label: &str, s: &TimexScores) -> fmt::Result {
    writeln!(
        f,
        "{label:<34} {:>5} {:>5} {:>8.2} {:>8.2} {:>8.2}",
        s.docs,
        s.gold,
        s.value_f1() * 100.0,
        s.strict_f1() * 100.0,
        s.relaxed_f1() * 100.0
    )
}

impl fmt::Display for CvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TIMEX3 cross-validation (TempEval-3 scoring, F1 in %)\n{:<34} {:>5} {:>5} {:>8} {:>8} {:>8}",
            "held-out half", "docs", "gold", "value", "strict", "relaxed"
        )?;
        for r in &self.folds {
            let label = format!(
                "{} (fit {}): {}",
                r.fold.name,
                names(r.fold.fit),
                names(r.fold.held_out)
            );
            row(f, &label, &r.held_out)?;
            if r.parts.len() > 1 {
                for (p, s) in &r.parts {
                    row(f, &format!("  {}", p.name()), s)?;
                }
            }
        }
        writeln!(
            f,
            "{:<34} {:>5} {:>5} {:>8.2} {:>8.2} {:>8.2}",
            "mean of the held-out halves",
            "",
            "",
            self.mean_value_f1() * 100.0,
            self.mean_strict_f1() * 100.0,
            self.mean_relaxed_f1() * 100.0
        )?;
        writeln!(
            f,
            "fit halves, for reference (not a generalization figure):"
        )?;
        for r in &self.folds {
            row(
                f,
                &format!("  {} fit: {}", r.fold.name, names(r.fold.fit)),
                &r.fit,
            )?;
        }
        Ok(())
    }
}

/// Reads every part from under the data root (`../shared/data`).
pub fn read_parts(root: &Path) -> Result<Vec<(Part, Vec<TimexDoc>)>, EvalError> {
    Part::ALL.iter().map(|p| Ok((*p, p.read(root)?))).collect()
}

/// Runs the protocol: tags every part of the data root once and reports
/// both folds and their mean.
pub fn cross_validate(
    root: &Path,
    tag: &dyn Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> Result<CvReport, EvalError> {
    Ok(PartScores::score(&read_parts(root)?, tag).report())
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{ByteSpan, TimexType};

    fn doc(id: &str, value: &str) -> TimexDoc {
        TimexDoc {
            id: id.into(),
            text: "on Friday".into(),
            dct: None,
            timexes: vec![Timex {
                span: ByteSpan::new(3, 9),
                kind: TimexType::Date,
                value: value.into(),
            }],
            annotated_until: None,
        }
    }

    #[test]
    fn folds_partition_the_parts() {
        for f in FOLDS {
            let mut all: Vec<Part> = f.fit.iter().chain(f.held_out).copied().collect();
            all.sort();
            assert_eq!(all, Part::ALL, "fold {}", f.name);
        }
        assert_eq!(
            Fold::named("b").map(|f| f.held_out),
            Some(&[Part::TimeBank][..])
        );
    }

    #[test]
    fn held_out_halves_are_pooled_and_averaged() {
        // the tagger always says 1998-08-07: right on TimeBank and AQUAINT,
        // wrong on MEANTIME
        let data = vec![
            (Part::TimeBank, vec![doc("t", "1998-08-07")]),
            (Part::Aquaint, vec![doc("a", "1998-08-07")]),
            (Part::Meantime, vec![doc("m", "2008-03-06")]),
        ];
        let tag = |_: &str, _| {
            vec![Timex {
                span: ByteSpan::new(3, 9),
                kind: TimexType::Date,
                value: "1998-08-07".into(),
            }]
        };
        let r = PartScores::score(&data, &tag).report();
        let a = &r.folds[0];
        assert_eq!((a.held_out.docs, a.held_out.value_correct), (2, 1));
        assert!((a.held_out.value_f1() - 0.5).abs() < 1e-9);
        assert_eq!(a.parts.len(), 2);
        let b = &r.folds[1];
        assert!((b.held_out.value_f1() - 1.0).abs() < 1e-9);
        assert!((r.mean_value_f1() - 0.75).abs() < 1e-9);
        assert!((r.mean_relaxed_f1() - 1.0).abs() < 1e-9);
        let shown = r.to_string();
        assert!(
            shown.contains("A (fit TimeBank): AQUAINT+MEANTIME"),
            "{shown}"
        );
        assert!(shown.contains("75.00"), "{shown}");
    }

    #[test]
    fn a_missing_part_is_an_error_naming_it() {
        let e = read_parts(Path::new("/nonexistent-eventline-data")).unwrap_err();
        assert!(e.to_string().contains("TimeBank"), "{e}");
    }
}
