//! tagger (to be written).
