-- The inbox: read markers, exact unread counts, rooms waiting for a reply, and the ordered log of what happened in
-- every room, which a caller's inbox stream follows.

-- What each room's triage needs, kept up to date by every post in the post's own transaction.
ALTER TABLE room
    ADD COLUMN last_activity_at timestamptz,
    ADD COLUMN waiting_since    timestamptz;

UPDATE room r
   SET last_activity_at = COALESCE((SELECT max(m.created_at) FROM message m WHERE m.room_id = r.id), r.created_at);

-- A room waits since its owner's first message after the last message of anybody else.
UPDATE room r
   SET waiting_since = w.since
  FROM (SELECT m.room_id, min(m.created_at) AS since
          FROM message m
          JOIN room o ON o.id = m.room_id
         WHERE m.author_sub = o.owner_sub
           AND m.position > COALESCE((SELECT max(x.position) FROM message x
                                       WHERE x.room_id = m.room_id AND x.author_sub <> o.owner_sub), 0)
         GROUP BY m.room_id) w
 WHERE w.room_id = r.id;

ALTER TABLE room
    ALTER COLUMN last_activity_at SET NOT NULL,
    ADD CONSTRAINT room_last_activity_not_before_creation CHECK (last_activity_at >= created_at),
    ADD CONSTRAINT room_waiting_within_activity CHECK (waiting_since IS NULL OR waiting_since <= last_activity_at);

CREATE INDEX room_last_activity_idx ON room (last_activity_at DESC, id DESC);
CREATE INDEX room_owner_last_activity_idx ON room (owner_sub, last_activity_at DESC, id DESC);
CREATE INDEX room_waiting_since_idx ON room (waiting_since, id) WHERE waiting_since IS NOT NULL;

COMMENT ON COLUMN room.last_activity_at IS
    'When the latest message was posted (created_at while there is none): GET /inbox lists the most active rooms first.';
COMMENT ON COLUMN room.waiting_since IS
    'When the room''s owner started waiting for a reply: the time of the owner''s first message after the latest message of anybody else. NULL when the latest message is not the owner''s, or there is none.';

-- Each author's messages per room, counted, so that a caller's unread count needs no count of messages.
ALTER TABLE message ADD COLUMN author_seq integer;

UPDATE message m
   SET author_seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY room_id, author_sub ORDER BY position) AS seq FROM message) n
 WHERE n.id = m.id;

ALTER TABLE message
    ALTER COLUMN author_seq SET NOT NULL,
    ADD CONSTRAINT message_author_seq_positive CHECK (author_seq >= 1),
    ADD CONSTRAINT message_author_seq_not_after_position CHECK (author_seq <= position);

CREATE UNIQUE INDEX message_room_author_position_key ON message (room_id, author_sub, position) INCLUDE (author_seq);

COMMENT ON COLUMN message.author_seq IS
    'The message is its author''s author_seq-th in the room (1, 2, ... without gaps). The author''s messages up to a position: author_seq of its latest message at or before it.';

CREATE TABLE room_author (
    room_id       uuid    NOT NULL,
    author_sub    text    NOT NULL,
    message_count integer NOT NULL,
    CONSTRAINT room_author_pkey PRIMARY KEY (room_id, author_sub),
    CONSTRAINT room_author_room_fkey FOREIGN KEY (room_id) REFERENCES room (id),
    CONSTRAINT room_author_message_count_positive CHECK (message_count >= 1)
);

INSERT INTO room_author (room_id, author_sub, message_count)
SELECT room_id, author_sub, count(*) FROM message GROUP BY room_id, author_sub;

COMMENT ON TABLE room_author IS
    'How many messages each author posted into each room; written in the transaction of the posts it counts.';
COMMENT ON COLUMN room_author.room_id IS 'The room.';
COMMENT ON COLUMN room_author.author_sub IS 'JWT "sub" of the author.';
COMMENT ON COLUMN room_author.message_count IS 'Messages of this author in the room; equals the highest message.author_seq of the pair.';

CREATE TABLE read_marker (
    room_id     uuid        NOT NULL,
    reader_sub  text        NOT NULL,
    position    integer     NOT NULL,
    own_through integer     NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT read_marker_pkey PRIMARY KEY (room_id, reader_sub),
    CONSTRAINT read_marker_room_fkey FOREIGN KEY (room_id) REFERENCES room (id),
    CONSTRAINT read_marker_reader_sub_length CHECK (char_length(reader_sub) BETWEEN 1 AND 255),
    CONSTRAINT read_marker_position_not_negative CHECK (position >= 0),
    CONSTRAINT read_marker_own_through_within_position CHECK (own_through BETWEEN 0 AND position)
);

COMMENT ON TABLE read_marker IS
    'How far each reader has read each room (PUT /room/{id}/marker). Markers only move forward: an update to an earlier position changes nothing. A reader''s unread count is (room.message_count - position) - (room_author.message_count - own_through).';
COMMENT ON COLUMN read_marker.room_id IS 'The room.';
COMMENT ON COLUMN read_marker.reader_sub IS 'JWT "sub" of the reader.';
COMMENT ON COLUMN read_marker.position IS 'The position of the last message read; never above the room''s message_count.';
COMMENT ON COLUMN read_marker.own_through IS 'How many of the messages up to position the reader wrote itself.';
COMMENT ON COLUMN read_marker.updated_at IS 'When the marker last moved.';

-- What happened in which room, in an order every instance agrees on: the inbox stream's events and their ids.
CREATE TABLE inbox_event (
    tx         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    room_id    uuid        NOT NULL,
    kind       text        NOT NULL,
    position   integer     NOT NULL,
    reader_sub text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inbox_event_pkey PRIMARY KEY (tx, seq),
    CONSTRAINT inbox_event_kind_known CHECK (kind IN ('room', 'message', 'marker')),
    CONSTRAINT inbox_event_reader_for_markers CHECK ((kind = 'marker') = (reader_sub IS NOT NULL)),
    CONSTRAINT inbox_event_position_not_negative CHECK (position >= 0)
);

CREATE INDEX inbox_event_created_at_idx ON inbox_event (created_at);

COMMENT ON TABLE inbox_event IS
    'One row per room opened to its readers (created, or bound to a chat), message posted and read marker moved; written by triggers in the transaction of the change. Read in (tx, seq) order up to the oldest transaction still running, so a reader never passes an event that commits later. Rows are deleted after CHAT_INBOX_EVENT_RETENTION_HOURS.';
COMMENT ON COLUMN inbox_event.tx IS 'The transaction that wrote the change; with seq, the event''s place in the order (its SSE id "<tx>-<seq>").';
COMMENT ON COLUMN inbox_event.seq IS 'Order of the events within their transaction.';
COMMENT ON COLUMN inbox_event.room_id IS 'The room the event happened in.';
COMMENT ON COLUMN inbox_event.kind IS 'room: the room opened to its readers; message: a message posted at position; marker: reader_sub read up to position.';
COMMENT ON COLUMN inbox_event.position IS 'The message position (message, marker); the room''s message count (room).';
COMMENT ON COLUMN inbox_event.reader_sub IS 'JWT "sub" of the reader whose marker moved (marker events only).';
COMMENT ON COLUMN inbox_event.created_at IS 'When the event was written.';

CREATE FUNCTION inbox_event_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('chat_inbox', '');
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION inbox_event_notify() IS
    'Wakes every instance''s inbox streams (channel chat_inbox) when a transaction that wrote inbox events commits; equal notifications of one transaction arrive once.';

CREATE TRIGGER inbox_event_notify
    AFTER INSERT ON inbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_event_notify();

CREATE FUNCTION inbox_event_record() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_TABLE_NAME = 'message' THEN
        INSERT INTO inbox_event (room_id, kind, position) VALUES (NEW.room_id, 'message', NEW.position);
    ELSIF TG_TABLE_NAME = 'read_marker' THEN
        INSERT INTO inbox_event (room_id, kind, position, reader_sub) VALUES (NEW.room_id, 'marker', NEW.position, NEW.reader_sub);
    ELSIF TG_TABLE_NAME = 'room' THEN
        INSERT INTO inbox_event (room_id, kind, position) VALUES (NEW.id, 'room', NEW.message_count);
    ELSIF NEW.origin = 'converted' THEN
        -- An existing room opened to an audience; a room created with its chat has had its event already.
        INSERT INTO inbox_event (room_id, kind, position) SELECT NEW.room_id, 'room', r.message_count FROM room r WHERE r.id = NEW.room_id;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION inbox_event_record() IS 'Writes the inbox event of a new room, event room binding, message or moved read marker.';

CREATE TRIGGER room_inbox_event AFTER INSERT ON room FOR EACH ROW EXECUTE FUNCTION inbox_event_record();
CREATE TRIGGER chat_event_room_inbox_event AFTER INSERT ON chat_event_room FOR EACH ROW EXECUTE FUNCTION inbox_event_record();
CREATE TRIGGER message_inbox_event AFTER INSERT ON message FOR EACH ROW EXECUTE FUNCTION inbox_event_record();
CREATE TRIGGER read_marker_inbox_event AFTER INSERT OR UPDATE OF position ON read_marker
    FOR EACH ROW EXECUTE FUNCTION inbox_event_record();

-- Tickets may open the caller's inbox stream instead of one room's.
ALTER TABLE stream_ticket ALTER COLUMN room_id DROP NOT NULL;
COMMENT ON COLUMN stream_ticket.room_id IS 'The only room whose stream the ticket opens; NULL for a ticket that opens the caller''s inbox stream (GET /inbox/events) only.';

-- Read marker updates are limited per caller like posts.
ALTER TABLE rate_counter DROP CONSTRAINT rate_counter_kind,
    ADD CONSTRAINT rate_counter_kind CHECK (kind IN ('posts', 'creates', 'markers'));
COMMENT ON COLUMN rate_counter.kind IS 'posts: messages posted; creates: rooms, chats and stream tickets created; markers: read marker updates.';
