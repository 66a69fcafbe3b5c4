//! Readers and scorers for the development corpora: TimeML (TempEval-3),
//! MEANTIME, ECB+, PLOVER gold records, and sentence-boundary accuracy; the
//! cross-validation protocol for time expressions (`timex_cv`).

pub mod coref;
pub mod ecbplus;
pub mod meantime;
pub mod meantime_events;
pub mod plover;
pub mod score;
pub mod sentences;
pub mod timeml;
pub mod timex_cv;
