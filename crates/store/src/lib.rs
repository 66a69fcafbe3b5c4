//! eventline store (skeleton; filled by its issue).
