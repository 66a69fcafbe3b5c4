//! Ingest throughput benchmark (being written).
fn main() {}
