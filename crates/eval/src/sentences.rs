//! sentences (to be written).
