//! weights (to be written).
