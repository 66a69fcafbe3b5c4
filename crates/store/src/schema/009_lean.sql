-- eventline store, schema version 9: no text stored twice, no index no query needs.
--
-- 1. A source's sentence is not stored twice: the table `event_source_rows`
--    keeps every column of a source but its sentence, and the view
--    `event_sources` (same columns as before) cuts the sentence out of its
--    document by UTF-8 byte offsets, as `sentences` does since version 7.
-- 2. The full-text indexes keep no copy of the text they index: both are
--    contentless FTS5 tables that accept deletes (`contentless_delete`,
--    SQLite 3.43 or later). The triggers feed them the headline, the sentence
--    (cut from the document), the name or the alias; a query reads rowids,
--    which the map tables turn into events and entities, as before.
-- 3. Slimmer indexes:
--    - `local_entities_family` holds people only (the family index is only
--      ever asked for a family, never for NULL);
--    - the indexes on event mention dates and types and on time expression
--      values go: no query of eventline reads them (layer rows are read by
--      document);
--    - `entity_mentions_entity_id` goes: the mentions of an entity are found
--      through the entity index (`local_entities_entity_id`), whose
--      `(doc_id, local_id)` name the mentions (`entity_mentions.entity_id`
--      is always the entity of the mention's `local_entity`).
-- 4. For the date filters of `/api/events`: the events with an end date, few
--    or none, so that "the event's span reaches `from`" is answered by the
--    date index for the others (`events_date_end`).

-- 1. event sources without their sentence
CREATE TABLE event_source_rows (
    event_id      TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    doc_id        TEXT NOT NULL REFERENCES documents(id),
    start_byte    INTEGER NOT NULL,    -- sentence start
    end_byte      INTEGER NOT NULL,    -- sentence end
    trigger       TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end   INTEGER NOT NULL,
    time_text     TEXT,
    quote         TEXT,
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
INSERT INTO event_source_rows (event_id, position, doc_id, start_byte, end_byte, trigger,
        trigger_start, trigger_end, time_text, quote)
    SELECT event_id, position, doc_id, start_byte, end_byte, trigger, trigger_start,
        trigger_end, time_text, quote
    FROM event_sources;
DROP VIEW timeline;
DROP TABLE event_sources;
CREATE INDEX event_source_rows_doc_id ON event_source_rows(doc_id);
CREATE VIEW event_sources AS
SELECT
    s.event_id,
    s.position,
    s.doc_id,
    s.start_byte,
    s.end_byte,
    CAST(substr(CAST(d.text AS BLOB), s.start_byte + 1, s.end_byte - s.start_byte) AS TEXT) AS sentence,
    s.trigger,
    s.trigger_start,
    s.trigger_end,
    s.time_text,
    s.quote
FROM event_source_rows s
JOIN documents d ON d.id = s.doc_id;
CREATE VIEW timeline AS
SELECT
    ev.id AS event_id,
    ev.date,
    ev.date_end,
    ev.date_precision,
    ev.date_source,
    ev.type,
    ev.mode,
    ev.status,
    ev.headline,
    (SELECT group_concat(name, '; ') FROM (
        SELECT en.name FROM event_actors a JOIN entities en ON en.id = a.entity_id
        WHERE a.event_id = ev.id ORDER BY a.position)) AS actors,
    (SELECT group_concat(name, '; ') FROM (
        SELECT en.name FROM event_recipients r JOIN entities en ON en.id = r.entity_id
        WHERE r.event_id = ev.id ORDER BY r.position)) AS recipients,
    pl.name AS place,
    (SELECT count(*) FROM event_source_rows s WHERE s.event_id = ev.id) AS source_count,
    fs.doc_id AS first_doc_id,
    d.date AS first_doc_date,
    d.outlet AS first_outlet,
    fs.sentence AS first_sentence
FROM events ev
LEFT JOIN entities pl ON pl.id = ev.place_id
LEFT JOIN event_sources fs ON fs.event_id = ev.id AND fs.position = 0
LEFT JOIN documents d ON d.id = fs.doc_id
ORDER BY ev.date IS NULL, ev.date, length(CAST(ev.id AS BLOB)), ev.id;

-- 2. contentless full-text indexes, filled again from what they index
DROP TABLE search_events;
CREATE VIRTUAL TABLE search_events USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
DROP TABLE search_entities;
CREATE VIRTUAL TABLE search_entities USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram'
);

-- the triggers of version 5 on events, entities and entity_aliases name the
-- new tables as they named the old ones; the source sentence triggers move
-- to event_source_rows and cut the sentence from the document
CREATE TRIGGER search_event_sources_ai AFTER INSERT ON event_source_rows BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = new.event_id AND position = new.position);
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.event_id, new.position);
    INSERT INTO search_events (rowid, text)
        SELECT r.rowid,
            CAST(substr(CAST(d.text AS BLOB), new.start_byte + 1, new.end_byte - new.start_byte) AS TEXT)
        FROM search_event_rows r, documents d
        WHERE r.event_id = new.event_id AND r.position = new.position AND d.id = new.doc_id;
END;
CREATE TRIGGER search_event_sources_ad AFTER DELETE ON event_source_rows BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = old.event_id AND position = old.position);
    DELETE FROM search_event_rows WHERE event_id = old.event_id AND position = old.position;
END;
CREATE TRIGGER search_event_sources_au AFTER UPDATE ON event_source_rows BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = old.event_id AND position = old.position);
    DELETE FROM search_event_rows WHERE event_id = old.event_id AND position = old.position;
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.event_id, new.position);
    INSERT INTO search_events (rowid, text)
        SELECT r.rowid,
            CAST(substr(CAST(d.text AS BLOB), new.start_byte + 1, new.end_byte - new.start_byte) AS TEXT)
        FROM search_event_rows r, documents d
        WHERE r.event_id = new.event_id AND r.position = new.position AND d.id = new.doc_id;
END;

-- the map tables are unchanged: index what their rows name again
INSERT INTO search_events (rowid, text)
    SELECT r.rowid, ev.headline FROM search_event_rows r JOIN events ev ON ev.id = r.event_id
    WHERE r.position = -1;
INSERT INTO search_events (rowid, text)
    SELECT r.rowid, s.sentence FROM search_event_rows r
    JOIN event_sources s ON s.event_id = r.event_id AND s.position = r.position;
INSERT INTO search_entities (rowid, text)
    SELECT r.rowid, en.name FROM search_entity_rows r JOIN entities en ON en.id = r.entity_id
    WHERE r.position = -1;
INSERT INTO search_entities (rowid, text)
    SELECT r.rowid, a.alias FROM search_entity_rows r
    JOIN entity_aliases a ON a.entity_id = r.entity_id AND a.position = r.position;

-- 3. slimmer indexes
DROP INDEX local_entities_family;
CREATE INDEX local_entities_family ON local_entities(family) WHERE family IS NOT NULL;
DROP INDEX entity_mentions_entity_id;
DROP INDEX event_mentions_date;
DROP INDEX event_mentions_type;
DROP INDEX timexes_value;

-- 4. events with an end date
CREATE INDEX events_date_end ON events(date_end) WHERE date_end IS NOT NULL;
