//! ecbplus (to be written).
