-- Schema 10: a document's analysis now holds the sentence embedding of its
-- lead (model::Layers::lead_vector), which story clustering reads. Analyses
-- stored before have none. Clearing them makes the next ingest analyse those
-- documents again from their stored text (Store::unanalysed), as it does for
-- any document stored without an analysis; the layer rows, the timeline and
-- everything readers query stay as they are until then.
UPDATE documents SET analysis = NULL WHERE analysis IS NOT NULL;
