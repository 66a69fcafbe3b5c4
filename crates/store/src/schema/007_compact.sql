-- eventline store, schema version 7: a more compact file, the same queries.
--
-- 1. Sentence text is not stored twice: the table `sentence_spans` keeps the
--    spans, and the view `sentences` (same columns as before) cuts each
--    sentence's text out of its document by UTF-8 byte offsets.
-- 2. The index on entity mention labels goes: no query of eventline uses it,
--    and a label scan of one document's mentions uses the primary key.

CREATE TABLE sentence_spans (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
INSERT INTO sentence_spans (doc_id, idx, start_byte, end_byte)
    SELECT doc_id, idx, start_byte, end_byte FROM sentences;
DROP TABLE sentences;
CREATE VIEW sentences AS
SELECT
    s.doc_id,
    s.idx,
    s.start_byte,
    s.end_byte,
    CAST(substr(CAST(d.text AS BLOB), s.start_byte + 1, s.end_byte - s.start_byte) AS TEXT) AS text
FROM sentence_spans s
JOIN documents d ON d.id = s.doc_id;

DROP INDEX entity_mentions_label;
