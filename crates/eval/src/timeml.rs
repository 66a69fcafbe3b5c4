//! timeml (to be written).
