-- eventline store, schema version 1.
-- Offsets are UTF-8 byte offsets into documents.text, half-open (start_byte inclusive,
-- end_byte exclusive). Dates are ISO 8601 TEXT. `idx` is the 0-based position of a row
-- in its document's layer; other layers refer to it (tokens.head, event_mentions.sentence_idx).

CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    date         TEXT,              -- the article's own date, YYYY-MM-DD
    outlet       TEXT,
    distributor  TEXT,
    dateline     TEXT,
    title        TEXT,
    url          TEXT,
    path         TEXT,
    duplicate_of TEXT,              -- id of the earlier document this one reprints
    content_hash TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,     -- SHA-256 of the whole stored document, for change detection
    text         TEXT NOT NULL
);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_outlet ON documents(outlet);
CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

CREATE TABLE sentences (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE tokens (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    tag        TEXT NOT NULL,
    pos        TEXT NOT NULL,
    lemma      TEXT NOT NULL,
    head       INTEGER NOT NULL,    -- idx of the syntactic head token; a root points to itself
    dep        TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE entity_mentions (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    label      TEXT NOT NULL,       -- PERSON, ORG, GPE, ...
    entity_id  TEXT,                -- entities.id once resolved (not a foreign key: the timeline is replaced separately)
    origin     TEXT NOT NULL,       -- model, gazetteer or rule
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX entity_mentions_entity_id ON entity_mentions(entity_id);
CREATE INDEX entity_mentions_label ON entity_mentions(label);

CREATE TABLE timexes (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,       -- DATE, TIME, DURATION or SET
    value      TEXT NOT NULL,       -- normalized TIMEX3 value
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX timexes_value ON timexes(value);

CREATE TABLE event_mentions (
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    trigger        TEXT NOT NULL,
    sentence_idx   INTEGER NOT NULL,   -- sentences.idx
    type           TEXT NOT NULL,      -- PLOVER type
    mode           TEXT,
    status         TEXT NOT NULL,      -- occurred, planned, ongoing, claimed
    timex_idx      INTEGER,            -- timexes.idx of the dating expression
    date           TEXT,               -- YYYY-MM-DD, YYYY-MM or YYYY
    date_precision TEXT NOT NULL,      -- day, month, year, unknown
    quote_start    INTEGER,
    quote_end      INTEGER,
    quote          TEXT,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX event_mentions_type ON event_mentions(type);
CREATE INDEX event_mentions_date ON event_mentions(date);

CREATE TABLE event_mention_arguments (
    doc_id      TEXT NOT NULL,
    event_idx   INTEGER NOT NULL,      -- event_mentions.idx
    role        TEXT NOT NULL CHECK (role IN ('actor', 'recipient', 'place')),
    position    INTEGER NOT NULL,      -- order within the role
    start_byte  INTEGER NOT NULL,
    end_byte    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    mention_idx INTEGER,               -- entity_mentions.idx, when the argument is an entity mention
    PRIMARY KEY (doc_id, event_idx, role, position),
    FOREIGN KEY (doc_id, event_idx) REFERENCES event_mentions(doc_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE diagnostics (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    stage      TEXT NOT NULL,
    message    TEXT NOT NULL,
    start_byte INTEGER,
    end_byte   INTEGER,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE entities (
    id          TEXT PRIMARY KEY NOT NULL,
    position    INTEGER NOT NULL,      -- order in the timeline
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,         -- PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, OTHER
    mentions    INTEGER NOT NULL,
    geo_lat     REAL,
    geo_lon     REAL,
    geo_country TEXT,                  -- ISO 3166-1 alpha-2
    geonames_id INTEGER
);
CREATE INDEX entities_type ON entities(type);
CREATE INDEX entities_name ON entities(name);

CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    alias     TEXT NOT NULL,
    PRIMARY KEY (entity_id, position)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_alias ON entity_aliases(alias);

CREATE TABLE events (
    id             TEXT PRIMARY KEY NOT NULL,
    position       INTEGER NOT NULL,   -- order in the timeline (date, nulls last, then id)
    date           TEXT,
    date_end       TEXT,
    date_precision TEXT NOT NULL,
    type           TEXT NOT NULL,
    mode           TEXT,
    status         TEXT NOT NULL,
    headline       TEXT NOT NULL,
    place_id       TEXT REFERENCES entities(id)
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_place_id ON events(place_id);

CREATE TABLE event_actors (
    event_id  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_actors_entity_id ON event_actors(entity_id);

CREATE TABLE event_recipients (
    event_id  TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_recipients_entity_id ON event_recipients(entity_id);

CREATE TABLE event_sources (
    event_id      TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    doc_id        TEXT NOT NULL REFERENCES documents(id),
    start_byte    INTEGER NOT NULL,    -- sentence start
    end_byte      INTEGER NOT NULL,    -- sentence end
    sentence      TEXT NOT NULL,
    trigger       TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end   INTEGER NOT NULL,
    time_text     TEXT,
    quote         TEXT,
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_sources_doc_id ON event_sources(doc_id);

-- One row per event, in timeline order, with its first source and participant names.
CREATE VIEW timeline AS
SELECT
    ev.id AS event_id,
    ev.date,
    ev.date_end,
    ev.date_precision,
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
    (SELECT count(*) FROM event_sources s WHERE s.event_id = ev.id) AS source_count,
    fs.doc_id AS first_doc_id,
    d.date AS first_doc_date,
    d.outlet AS first_outlet,
    fs.sentence AS first_sentence
FROM events ev
LEFT JOIN entities pl ON pl.id = ev.place_id
LEFT JOIN event_sources fs ON fs.event_id = ev.id AND fs.position = 0
LEFT JOIN documents d ON d.id = fs.doc_id
ORDER BY ev.position;

-- One row per document with the size of each layer.
CREATE VIEW document_summary AS
SELECT
    d.id,
    d.date,
    d.outlet,
    d.title,
    d.duplicate_of,
    length(CAST(d.text AS BLOB)) AS bytes,
    (SELECT count(*) FROM sentences x WHERE x.doc_id = d.id) AS sentences,
    (SELECT count(*) FROM tokens x WHERE x.doc_id = d.id) AS tokens,
    (SELECT count(*) FROM entity_mentions x WHERE x.doc_id = d.id) AS entity_mentions,
    (SELECT count(*) FROM timexes x WHERE x.doc_id = d.id) AS timexes,
    (SELECT count(*) FROM event_mentions x WHERE x.doc_id = d.id) AS event_mentions
FROM documents d
ORDER BY d.id;

-- One row per entity with its aliases and how many events it takes part in.
CREATE VIEW entity_summary AS
SELECT
    en.id,
    en.name,
    en.type,
    en.mentions,
    (SELECT group_concat(alias, '; ') FROM (
        SELECT alias FROM entity_aliases al WHERE al.entity_id = en.id ORDER BY al.position)) AS aliases,
    (SELECT count(*) FROM (
        SELECT event_id FROM event_actors WHERE entity_id = en.id
        UNION SELECT event_id FROM event_recipients WHERE entity_id = en.id
        UNION SELECT id FROM events WHERE place_id = en.id)) AS events,
    en.geo_lat,
    en.geo_lon,
    en.geo_country
FROM entities en
ORDER BY en.position;
