//! eventline resolve (skeleton; filled by its issue).
