-- The statement of GET /room/{id}/chat/{chatId} for a random seeded message.
\set r random(1, 1000)
\set p random(1, 100)
SELECT r.owner_sub, r.message_count, r.purged_through, m.id, m.room_id, m.position, m.author_sub, m.body, m.created_at, m.version,
       m.edited_at, m.deleted_at, m.deleted_by, m.delete_reason
  FROM room r LEFT JOIN message m ON m.id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(:p::int), 12, '0'))::uuid
 WHERE r.id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid;
