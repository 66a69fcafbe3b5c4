-- eventline store, schema version 3: framing, "who says what". For each story
-- told by two or more outlets, the words each outlet uses for its actors
-- (labels such as "terrorist group" or "Islamist-led rebels"), each use citing
-- its byte span. Replaced with the timeline.

CREATE TABLE framing_stories (
    id       TEXT PRIMARY KEY NOT NULL,  -- s1, s2, ...
    position INTEGER NOT NULL
);

CREATE TABLE framing_documents (
    story_id TEXT NOT NULL REFERENCES framing_stories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    doc_id   TEXT NOT NULL REFERENCES documents(id),
    outlet   TEXT NOT NULL,              -- documents.outlet, else the document id
    PRIMARY KEY (story_id, position)
) WITHOUT ROWID;
CREATE INDEX framing_documents_doc_id ON framing_documents(doc_id);

-- One row per use of a label, in view order: category, outlet, label, then
-- document and offset.
CREATE TABLE framing_labels (
    story_id   TEXT NOT NULL REFERENCES framing_stories(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    category   TEXT NOT NULL,            -- armed-nonstate, state, civil, foreign, unspecified
    outlet     TEXT NOT NULL,
    label      TEXT NOT NULL,            -- normalized: "terrorist group"
    head       TEXT NOT NULL,            -- lemma of the head noun: "group"
    loaded     INTEGER NOT NULL CHECK (loaded IN (0, 1)),
    doc_id     TEXT NOT NULL REFERENCES documents(id),
    start_byte INTEGER NOT NULL,
    end_byte   INTEGER NOT NULL,
    words      TEXT NOT NULL,            -- the cited words, documents.text[start_byte..end_byte]
    entity_id  TEXT,                     -- the named entity the label characterizes (not a foreign key)
    quoted     INTEGER NOT NULL CHECK (quoted IN (0, 1)),  -- 1: inside quotation marks (reported words)
    PRIMARY KEY (story_id, position)
) WITHOUT ROWID;
CREATE INDEX framing_labels_label ON framing_labels(label);
CREATE INDEX framing_labels_doc_id ON framing_labels(doc_id);
