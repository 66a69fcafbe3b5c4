//! Cross-document work: entity linking and geocoding, event merging into one timeline.

pub mod entities;
pub mod events;
pub mod framing;
pub mod geo;
pub mod linking;
pub mod window;
