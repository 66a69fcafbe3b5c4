//! eventline spacy (skeleton; filled by its issue).
