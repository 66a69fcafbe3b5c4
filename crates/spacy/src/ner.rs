//! ner (to be written).
