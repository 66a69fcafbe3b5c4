//! eventline eval (skeleton; filled by its issue).
