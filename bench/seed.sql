-- The benchmark data set: 1,000 rooms of 100 messages each (100,000 messages), with ids the load scripts can
-- compute: room r is rrrrrrrr-0000-7000-8000-000000000000, its message p is rrrrrrrr-0000-7000-8000-pppppppppppp
-- (hexadecimal). Loaded in one statement each, without announcing every message to live delivery.
ALTER TABLE message DISABLE TRIGGER message_posted_notify;
ALTER TABLE message DISABLE TRIGGER message_inbox_event;
ALTER TABLE room DISABLE TRIGGER room_inbox_event;

INSERT INTO room (id, owner_sub, created_at, last_activity_at, message_count, waiting_since)
SELECT (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-000000000000')::uuid, 'bench', now(), now(), 100, now()
  FROM generate_series(1, 1000) AS r;

INSERT INTO message (id, room_id, position, author_sub, author_seq, body, created_at)
SELECT (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(p), 12, '0'))::uuid,
       (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-000000000000')::uuid,
       p, 'bench', p, 'seeded message ' || p, now()
  FROM generate_series(1, 1000) AS r, generate_series(1, 100) AS p;

INSERT INTO room_author (room_id, author_sub, message_count)
SELECT (lpad(to_hex(r), 8, '0') || '-0000-7000-8000-000000000000')::uuid, 'bench', 100
  FROM generate_series(1, 1000) AS r;

ALTER TABLE message ENABLE TRIGGER message_posted_notify;
ALTER TABLE message ENABLE TRIGGER message_inbox_event;
ALTER TABLE room ENABLE TRIGGER room_inbox_event;
VACUUM ANALYZE room, message, room_author;
