-- The statement of GET /room/{id}/chat?limit=50&before=2147483647 (the latest 50 messages) of a random room.
\set r random(1, 1000)
SELECT r.owner_sub, r.message_count, r.purged_through, m.id, m.room_id, m.position, m.author_sub, m.body, m.created_at, m.version,
       m.edited_at, m.deleted_at, m.deleted_by, m.delete_reason
  FROM room r
  LEFT JOIN LATERAL (SELECT * FROM message
                      WHERE room_id = r.id AND position > 0 AND position < 2147483647
                      ORDER BY position DESC LIMIT 50) m ON true
 WHERE r.id = (lpad(to_hex(:r::int), 8, '0') || '-0000-7000-8000-000000000000')::uuid
 ORDER BY m.position;
