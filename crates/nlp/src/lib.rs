//! eventline nlp (skeleton; filled by its issue).
