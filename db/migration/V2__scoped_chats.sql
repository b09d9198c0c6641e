-- Scoped chats: a tenant's chat for an (audience, scope) pair, bound to an event room where its messages live.

CREATE TABLE chat (
    id         uuid        NOT NULL,
    audience   text        NOT NULL,
    scope      text        NOT NULL,
    tags       jsonb,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT chat_pkey PRIMARY KEY (id),
    CONSTRAINT chat_audience_scope_key UNIQUE (audience, scope),
    CONSTRAINT chat_audience_length CHECK (char_length(audience) BETWEEN 1 AND 100),
    CONSTRAINT chat_scope_length CHECK (char_length(scope) BETWEEN 1 AND 500),
    CONSTRAINT chat_tags_is_object CHECK (tags IS NULL OR jsonb_typeof(tags) = 'object'),
    CONSTRAINT chat_created_by_length CHECK (char_length(created_by) BETWEEN 1 AND 255)
);

COMMENT ON TABLE chat IS
    'A tenant''s chat for an (audience, scope) pair, e.g. a lesson of a school. Its messages live in its event room (chat_event_room).';
COMMENT ON COLUMN chat.id IS 'Chat id (UUID v7); the API''s "chat_id".';
COMMENT ON COLUMN chat.audience IS
    'The tenant audience the chat belongs to; callers with the group "audience:<audience>" manage it and use its event room.';
COMMENT ON COLUMN chat.scope IS 'What the chat is about within its audience (free text, unique per audience); the API''s "scope" and "id".';
COMMENT ON COLUMN chat.tags IS 'Arbitrary tags given at creation: a JSON object, or NULL when none were given.';
COMMENT ON COLUMN chat.created_by IS 'JWT "sub" of the caller who created or converted the chat.';
COMMENT ON COLUMN chat.created_at IS 'When the chat was created (millisecond precision); the API''s "created_at".';

CREATE TABLE chat_event_room (
    chat_id  uuid        NOT NULL,
    room_id  uuid        NOT NULL,
    origin   text        NOT NULL,
    bound_at timestamptz NOT NULL,
    CONSTRAINT chat_event_room_pkey PRIMARY KEY (chat_id),
    CONSTRAINT chat_event_room_room_key UNIQUE (room_id),
    CONSTRAINT chat_event_room_chat_fkey FOREIGN KEY (chat_id) REFERENCES chat (id),
    CONSTRAINT chat_event_room_room_fkey FOREIGN KEY (room_id) REFERENCES room (id),
    CONSTRAINT chat_event_room_origin_known CHECK (origin IN ('created', 'converted'))
);

COMMENT ON TABLE chat_event_room IS
    'Binds each chat to exactly one event room (a row of room), and each room to at most one chat.';
COMMENT ON COLUMN chat_event_room.chat_id IS 'The chat; every chat has exactly one row here (enforced by chat_has_event_room at commit).';
COMMENT ON COLUMN chat_event_room.room_id IS 'Its event room; the API''s "real_time.event_room_id". Unique: a room backs at most one chat.';
COMMENT ON COLUMN chat_event_room.origin IS
    '''created'' when the room was created with the chat (POST /api/v1/chats), ''converted'' when an existing room was bound (POST /api/v1/chats/convert).';
COMMENT ON COLUMN chat_event_room.bound_at IS 'When the chat was bound to the room.';

-- A chat without its event room cannot be committed: the chat row and its binding are written in one transaction.
ALTER TABLE chat
    ADD CONSTRAINT chat_has_event_room FOREIGN KEY (id) REFERENCES chat_event_room (chat_id)
        DEFERRABLE INITIALLY DEFERRED;
