-- The benchmark data set: 1,000 rooms of 100 messages each (100,000 messages), with ids the load scripts can
-- compute: room r is rrrrrrrr-0000-7000-8000-000000000000, its message p is rrrrrrrr-0000-7000-8000-pppppppppppp
-- (hexadecimal). Loaded in one statement each, without announcing every message to live delivery.
ALTER TABLE message DISABLE TRIGGER message_posted_notify;

INSERT INTO room (id, owner_sub, created_at, message_count)
SELECT (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-000000000000')::uuid, 'bench', now(), 100
  FROM generate_series(1, 1000) AS r;

INSERT INTO message (id, room_id, position, author_sub, body, created_at)
SELECT (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid,
       (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-000000000000')::uuid,
       p, 'bench', 'seeded message ' || p, now()
  FROM generate_series(1, 1000) AS r, generate_series(1, 100) AS p;

ALTER TABLE message ENABLE TRIGGER message_posted_notify;
VACUUM ANALYZE room, message;
