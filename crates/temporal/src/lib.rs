//! eventline temporal (skeleton; filled by its issue).
