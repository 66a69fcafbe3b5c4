//! plover (to be written).
