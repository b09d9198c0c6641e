-- The statements of PATCH /room/{id}/chat/{chatId} by the author, as the service runs them in one transaction: the
-- room and the message locked and read, then the room's change count, the change and the new text in one statement.
\set r random(1, 1000)
\set p random(1, 50)
BEGIN;
SELECT r.owner_sub, r.message_count, r.purged_through, m.id, m.body, m.version, m.deleted_at
  FROM room r
  JOIN message m ON m.id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(:p::int), 12, '0'))::uuid
 WHERE r.id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
   FOR UPDATE OF r, m;
WITH bumped AS (
    UPDATE room SET change_count = change_count + 1
     WHERE id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
    RETURNING message_count, change_count),
recorded AS (
    INSERT INTO message_change (room_id, after_position, change_no, position, kind, version, replaced_body,
                                changed_by, changed_at)
    SELECT (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid, message_count, change_count,
           :p, 'edit', 1, 'the text it had', 'bench', now()
      FROM bumped)
UPDATE message SET body = 'edited', version = version + 1, edited_at = now()
 WHERE id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(:p::int), 12, '0'))::uuid
RETURNING id, room_id, position, author_sub, body, created_at, version, edited_at, deleted_at, deleted_by, delete_reason;
COMMIT;
