//! entities (to be written).
