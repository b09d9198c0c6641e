-- Rooms and the chat messages posted into them.
-- Ids are UUID version 7 (time-ordered), so ordering rooms by id is ordering them by creation.

CREATE TABLE room (
    id            uuid        NOT NULL,
    owner_sub     text        NOT NULL,
    created_at    timestamptz NOT NULL,
    message_count integer     NOT NULL DEFAULT 0,
    CONSTRAINT room_pkey PRIMARY KEY (id),
    CONSTRAINT room_owner_sub_length CHECK (char_length(owner_sub) BETWEEN 1 AND 255),
    CONSTRAINT room_message_count_not_negative CHECK (message_count >= 0)
);

COMMENT ON TABLE room IS
    'A chat room. Messages are posted into it in a strict order; message_count is bumped in the same transaction as each insert into message.';
COMMENT ON COLUMN room.id IS 'Room id (UUID v7, time-ordered); the API''s "_id". GET /room pages through rooms in id order.';
COMMENT ON COLUMN room.owner_sub IS 'JWT "sub" of the caller who created the room; the API''s "user".';
COMMENT ON COLUMN room.created_at IS 'When the room was created (millisecond precision); the API''s "createdAt".';
COMMENT ON COLUMN room.message_count IS
    'Number of messages posted into the room, the API''s "__v". Equals the highest message.position of the room (0 when empty).';

CREATE TABLE message (
    id         uuid        NOT NULL,
    room_id    uuid        NOT NULL,
    position   integer     NOT NULL,
    author_sub text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT message_pkey PRIMARY KEY (id),
    CONSTRAINT message_room_fkey FOREIGN KEY (room_id) REFERENCES room (id),
    CONSTRAINT message_room_position_key UNIQUE (room_id, position),
    CONSTRAINT message_position_positive CHECK (position >= 1),
    CONSTRAINT message_author_sub_length CHECK (char_length(author_sub) BETWEEN 1 AND 255),
    CONSTRAINT message_body_not_blank CHECK (btrim(body, E' \t\n\r\f\v') <> '')
);

COMMENT ON TABLE message IS
    'A chat message posted into a room. Rows are never updated or deleted. The unique (room_id, position) index serves every read of a room''s messages in post order.';
COMMENT ON COLUMN message.id IS 'Message id (UUID v7); the API''s "_id" of a chat and an entry of its room''s "chats".';
COMMENT ON COLUMN message.room_id IS 'The room the message was posted into.';
COMMENT ON COLUMN message.position IS
    'Room-local sequence number: 1 for the first message of a room, then 2, 3, ... without gaps. Post order, SSE event id, history cursor.';
COMMENT ON COLUMN message.author_sub IS 'JWT "sub" of the caller who posted the message; the API''s "user".';
COMMENT ON COLUMN message.body IS 'The message text exactly as posted (any Unicode except NUL); the API''s "chat".';
COMMENT ON COLUMN message.created_at IS 'When the message was posted (millisecond precision); the API''s "createdAt".';
