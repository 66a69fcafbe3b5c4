-- eventline store, schema version 8: one timeline order.
--
-- Events were ordered by `position`, an integer key computed from the date
-- and the id's first hex digits, which sorted some dates (weeks, times of
-- day) unlike the export. The timeline order is now the export's, in SQL:
--     ORDER BY date IS NULL, date, length(CAST(id AS BLOB)), id
-- (by date, undated last, then by id, shorter ids first), served by an index
-- on those expressions; the `position` column goes. The indexes of the
-- equality filters of `/api/events` (type, status, place) continue in
-- timeline order, so a filtered page is read in order and stops at its limit
-- instead of sorting every match.

DROP VIEW timeline;
DROP INDEX events_position;
ALTER TABLE events DROP COLUMN position;
CREATE INDEX events_timeline ON events(date IS NULL, date, length(CAST(id AS BLOB)), id);
DROP INDEX events_type;
CREATE INDEX events_type ON events(type, date IS NULL, date, length(CAST(id AS BLOB)), id);
DROP INDEX events_place_id;
CREATE INDEX events_place_id ON events(place_id, date IS NULL, date, length(CAST(id AS BLOB)), id);
CREATE INDEX events_status ON events(status, date IS NULL, date, length(CAST(id AS BLOB)), id);
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
    (SELECT count(*) FROM event_sources s WHERE s.event_id = ev.id) AS source_count,
    fs.doc_id AS first_doc_id,
    d.date AS first_doc_date,
    d.outlet AS first_outlet,
    fs.sentence AS first_sentence
FROM events ev
LEFT JOIN entities pl ON pl.id = ev.place_id
LEFT JOIN event_sources fs ON fs.event_id = ev.id AND fs.position = 0
LEFT JOIN documents d ON d.id = fs.doc_id
ORDER BY ev.date IS NULL, ev.date, length(CAST(ev.id AS BLOB)), ev.id;
