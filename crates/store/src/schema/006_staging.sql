-- eventline store, schema version 6: staged documents.
--
-- A large ingest analyses its input in chunks; each chunk's analysed
-- documents are kept here, committed chunk by chunk, until one write
-- transaction moves them all into the documents and layer tables and
-- resolves the windows they touch. Readers never look at this table, so
-- the timeline they see always matches the documents they see; a crashed
-- ingest leaves its analysed documents here and the next ingest takes them
-- up instead of analysing them again.
CREATE TABLE staged (
    id           TEXT PRIMARY KEY NOT NULL,
    content_hash TEXT NOT NULL,
    document     BLOB NOT NULL        -- the whole analysed document: MessagePack, deflated
);
