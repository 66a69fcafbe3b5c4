-- eventline store, schema version 4: analyse once, resolve by window.
--
-- Each document keeps its whole per-document analysis in one compact blob
-- (`analysis`: MessagePack of its layers, deflated), so later ingests never
-- parse it again; the per-token rows go (they were most of the file). The
-- layer tables users query (sentences, entity mentions, time expressions,
-- event mentions and their arguments) stay. Documents analysed by an older
-- version have no blob: the next ingest analyses them again from their text.
--
-- Cross-document resolution is incremental:
-- - `local_entities` is the persistent entity index: each document's local
--   entities with their link key and the real-world entity they belong to;
-- - `documents.window` names the window a document is resolved in, and
--   events and framing stories record the window that produced them.

DROP TABLE tokens;

ALTER TABLE documents ADD COLUMN window TEXT;
ALTER TABLE documents ADD COLUMN analysis BLOB;
CREATE INDEX documents_window ON documents(window);

ALTER TABLE entity_mentions ADD COLUMN local_entity TEXT;

CREATE TABLE local_entities (
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    local_id  TEXT NOT NULL,       -- entity_mentions.local_entity
    key       TEXT NOT NULL,       -- the resolved link key (per:..., geo:..., org:...)
    family    TEXT,                -- people: skeleton of the family name (full names) or of the one name (lone names)
    last      TEXT,                -- full names: transliteration key of the family name
    token     TEXT,                -- lone names: transliteration key of the one name
    entity_id TEXT NOT NULL,       -- entities.id
    record    BLOB NOT NULL,       -- the local entity (MessagePack): name, type, aliases, mentions, geo
    PRIMARY KEY (doc_id, local_id)
) WITHOUT ROWID;
CREATE INDEX local_entities_entity_id ON local_entities(entity_id);
CREATE INDEX local_entities_family ON local_entities(family);

ALTER TABLE events ADD COLUMN window TEXT;
CREATE INDEX events_window ON events(window);
CREATE INDEX events_position ON events(position);
ALTER TABLE framing_stories ADD COLUMN window TEXT;
CREATE INDEX framing_stories_window ON framing_stories(window);

-- The timeline is rebuilt window by window from now on.
DELETE FROM framing_stories;
DELETE FROM events;
DELETE FROM entities;
UPDATE entity_mentions SET entity_id = NULL;

DROP VIEW document_summary;
CREATE VIEW document_summary AS
SELECT
    d.id,
    d.date,
    d.outlet,
    d.title,
    d.duplicate_of,
    length(CAST(d.text AS BLOB)) AS bytes,
    (SELECT count(*) FROM sentences x WHERE x.doc_id = d.id) AS sentences,
    (SELECT count(*) FROM entity_mentions x WHERE x.doc_id = d.id) AS entity_mentions,
    (SELECT count(*) FROM timexes x WHERE x.doc_id = d.id) AS timexes,
    (SELECT count(*) FROM event_mentions x WHERE x.doc_id = d.id) AS event_mentions
FROM documents d
ORDER BY d.id;
