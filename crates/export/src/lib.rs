//! eventline export (skeleton; filled by its issue).
