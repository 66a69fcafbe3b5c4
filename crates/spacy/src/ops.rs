//! ops (to be written).
