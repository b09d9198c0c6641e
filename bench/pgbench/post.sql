-- The transaction of POST /room/{id}/chat into a random room, as the service runs it.
\set r random(1, 1000)
BEGIN;
UPDATE room SET message_count = message_count + 1 WHERE id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
RETURNING message_count, owner_sub \gset
INSERT INTO message (author_sub, body, created_at, position, room_id, id)
VALUES ('bench', 'benchmark message', now(), :message_count, (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid, gen_random_uuid());
END;
