//! segment (to be written).
