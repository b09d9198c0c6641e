-- The statement of POST /room/{id}/chat by one of 1,000 callers (counsellors: group pro) into a random room, as the
-- service runs it (one statement, in a transaction of its own).
\set r random(1, 1000)
\set a random(1, 1000)
WITH bumped AS (
    UPDATE room
       SET message_count = message_count + 1,
           last_activity_at = GREATEST(last_activity_at, now()),
           waiting_since = CASE WHEN owner_sub <> 'caller-' || :a THEN NULL ELSE COALESCE(waiting_since, now()) END
     WHERE id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
    RETURNING message_count),
authored AS (
    INSERT INTO room_author (room_id, author_sub, message_count)
    SELECT (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid, 'caller-' || :a, 1 FROM bumped
    ON CONFLICT (room_id, author_sub) DO UPDATE SET message_count = room_author.message_count + 1
    RETURNING message_count)
INSERT INTO message (id, room_id, position, author_sub, author_seq, body, created_at)
SELECT gen_random_uuid(), (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid,
       bumped.message_count, 'caller-' || :a, authored.message_count, 'benchmark message', now()
  FROM bumped, authored
RETURNING position;
