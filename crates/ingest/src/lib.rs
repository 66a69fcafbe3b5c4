//! eventline ingest (skeleton; filled by its issue).
