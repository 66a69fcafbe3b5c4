-- eventline store, schema version 5: full-text search for `eventline serve`.
--
-- Two FTS5 indexes, kept in step with the tables they index by triggers, so that
-- any writer (ingest, a future incremental update, a hand edit) keeps them current:
--   search_events: one row per event headline and per event source sentence;
--   search_entities: one row per entity name and per alias (trigram tokens, so a
--                    query matches any substring of three characters or more).
-- FTS5 rowids are the INTEGER PRIMARY KEYs of the two map tables below (stable
-- under VACUUM), which say which event or entity a row belongs to. `position`
-- is -1 for the headline or name, else event_sources.position or
-- entity_aliases.position.

CREATE TABLE search_event_rows (
    rowid    INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (event_id, position)
);
CREATE VIRTUAL TABLE search_events USING fts5(
    text,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE search_entity_rows (
    rowid     INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    UNIQUE (entity_id, position)
);
CREATE VIRTUAL TABLE search_entities USING fts5(
    text,
    tokenize = 'trigram'
);

-- events: the headline row
CREATE TRIGGER search_events_ai AFTER INSERT ON events BEGIN
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.id, -1);
    INSERT INTO search_events (rowid, text)
        SELECT rowid, new.headline FROM search_event_rows WHERE event_id = new.id AND position = -1;
END;
CREATE TRIGGER search_events_ad AFTER DELETE ON events BEGIN
    DELETE FROM search_events WHERE rowid IN
        (SELECT rowid FROM search_event_rows WHERE event_id = old.id);
    DELETE FROM search_event_rows WHERE event_id = old.id;
END;
CREATE TRIGGER search_events_au AFTER UPDATE OF id, headline ON events BEGIN
    DELETE FROM search_events WHERE rowid IN
        (SELECT rowid FROM search_event_rows WHERE event_id = old.id AND position = -1);
    DELETE FROM search_event_rows WHERE event_id = old.id AND position = -1;
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.id, -1);
    INSERT INTO search_events (rowid, text)
        SELECT rowid, new.headline FROM search_event_rows WHERE event_id = new.id AND position = -1;
END;

-- event_sources: one row per source sentence
CREATE TRIGGER search_event_sources_ai AFTER INSERT ON event_sources BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = new.event_id AND position = new.position);
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.event_id, new.position);
    INSERT INTO search_events (rowid, text)
        SELECT rowid, new.sentence FROM search_event_rows
        WHERE event_id = new.event_id AND position = new.position;
END;
CREATE TRIGGER search_event_sources_ad AFTER DELETE ON event_sources BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = old.event_id AND position = old.position);
    DELETE FROM search_event_rows WHERE event_id = old.event_id AND position = old.position;
END;
CREATE TRIGGER search_event_sources_au AFTER UPDATE ON event_sources BEGIN
    DELETE FROM search_events WHERE rowid IN (SELECT rowid FROM search_event_rows
        WHERE event_id = old.event_id AND position = old.position);
    DELETE FROM search_event_rows WHERE event_id = old.event_id AND position = old.position;
    INSERT OR REPLACE INTO search_event_rows (event_id, position) VALUES (new.event_id, new.position);
    INSERT INTO search_events (rowid, text)
        SELECT rowid, new.sentence FROM search_event_rows
        WHERE event_id = new.event_id AND position = new.position;
END;

-- entities: the name row
CREATE TRIGGER search_entities_ai AFTER INSERT ON entities BEGIN
    INSERT OR REPLACE INTO search_entity_rows (entity_id, position) VALUES (new.id, -1);
    INSERT INTO search_entities (rowid, text)
        SELECT rowid, new.name FROM search_entity_rows WHERE entity_id = new.id AND position = -1;
END;
CREATE TRIGGER search_entities_ad AFTER DELETE ON entities BEGIN
    DELETE FROM search_entities WHERE rowid IN
        (SELECT rowid FROM search_entity_rows WHERE entity_id = old.id);
    DELETE FROM search_entity_rows WHERE entity_id = old.id;
END;
CREATE TRIGGER search_entities_au AFTER UPDATE OF id, name ON entities BEGIN
    DELETE FROM search_entities WHERE rowid IN
        (SELECT rowid FROM search_entity_rows WHERE entity_id = old.id AND position = -1);
    DELETE FROM search_entity_rows WHERE entity_id = old.id AND position = -1;
    INSERT OR REPLACE INTO search_entity_rows (entity_id, position) VALUES (new.id, -1);
    INSERT INTO search_entities (rowid, text)
        SELECT rowid, new.name FROM search_entity_rows WHERE entity_id = new.id AND position = -1;
END;

-- entity_aliases: one row per alias
CREATE TRIGGER search_entity_aliases_ai AFTER INSERT ON entity_aliases BEGIN
    DELETE FROM search_entities WHERE rowid IN (SELECT rowid FROM search_entity_rows
        WHERE entity_id = new.entity_id AND position = new.position);
    INSERT OR REPLACE INTO search_entity_rows (entity_id, position) VALUES (new.entity_id, new.position);
    INSERT INTO search_entities (rowid, text)
        SELECT rowid, new.alias FROM search_entity_rows
        WHERE entity_id = new.entity_id AND position = new.position;
END;
CREATE TRIGGER search_entity_aliases_ad AFTER DELETE ON entity_aliases BEGIN
    DELETE FROM search_entities WHERE rowid IN (SELECT rowid FROM search_entity_rows
        WHERE entity_id = old.entity_id AND position = old.position);
    DELETE FROM search_entity_rows WHERE entity_id = old.entity_id AND position = old.position;
END;
CREATE TRIGGER search_entity_aliases_au AFTER UPDATE ON entity_aliases BEGIN
    DELETE FROM search_entities WHERE rowid IN (SELECT rowid FROM search_entity_rows
        WHERE entity_id = old.entity_id AND position = old.position);
    DELETE FROM search_entity_rows WHERE entity_id = old.entity_id AND position = old.position;
    INSERT OR REPLACE INTO search_entity_rows (entity_id, position) VALUES (new.entity_id, new.position);
    INSERT INTO search_entities (rowid, text)
        SELECT rowid, new.alias FROM search_entity_rows
        WHERE entity_id = new.entity_id AND position = new.position;
END;

-- backfill what is already stored
INSERT INTO search_event_rows (event_id, position) SELECT id, -1 FROM events;
INSERT INTO search_event_rows (event_id, position) SELECT event_id, position FROM event_sources;
INSERT INTO search_events (rowid, text)
    SELECT r.rowid, ev.headline FROM search_event_rows r JOIN events ev ON ev.id = r.event_id
    WHERE r.position = -1;
INSERT INTO search_events (rowid, text)
    SELECT r.rowid, s.sentence FROM search_event_rows r
    JOIN event_sources s ON s.event_id = r.event_id AND s.position = r.position;
INSERT INTO search_entity_rows (entity_id, position) SELECT id, -1 FROM entities;
INSERT INTO search_entity_rows (entity_id, position) SELECT entity_id, position FROM entity_aliases;
INSERT INTO search_entities (rowid, text)
    SELECT r.rowid, en.name FROM search_entity_rows r JOIN entities en ON en.id = r.entity_id
    WHERE r.position = -1;
INSERT INTO search_entities (rowid, text)
    SELECT r.rowid, a.alias FROM search_entity_rows r
    JOIN entity_aliases a ON a.entity_id = r.entity_id AND a.position = r.position;
