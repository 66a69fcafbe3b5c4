-- eventline store, schema version 2: where an event's date comes from.
-- 'text' (a time expression in a source sentence), 'article' (the earliest
-- citing article's date, when no time expression dates the event), or NULL
-- when the event has no date.

ALTER TABLE events ADD COLUMN date_source TEXT;

DROP VIEW timeline;
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
ORDER BY ev.position;
