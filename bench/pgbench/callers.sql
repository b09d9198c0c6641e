-- The transaction of POST /room/{id}/chat by one of 1,000 callers (counsellors: group pro) into a random room.
\set r random(1, 1000)
\set a random(1, 1000)
BEGIN;
UPDATE room SET message_count = message_count + 1, last_activity_at = GREATEST(last_activity_at, now()),
       waiting_since = CASE WHEN owner_sub <> 'caller-' || :a THEN NULL WHEN owner_sub = 'caller-' || :a THEN COALESCE(waiting_since, now()) ELSE now() END
 WHERE id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
RETURNING message_count, owner_sub \gset
INSERT INTO room_author (room_id, author_sub, message_count) VALUES ((lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid, 'caller-' || :a, 1)
ON CONFLICT (room_id, author_sub) DO UPDATE SET message_count = room_author.message_count + EXCLUDED.message_count
RETURNING message_count AS author_seq \gset
INSERT INTO message (author_sub, author_seq, body, created_at, position, room_id, id)
VALUES ('caller-' || :a, :author_seq, 'benchmark message', now(), :message_count, (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid, gen_random_uuid());
END;
