-- Messages can be edited by their author and deleted by their author or a moderator. A message keeps its id and
-- position for ever: an edit replaces its text and keeps the text it replaced; a deletion leaves a tombstone (no
-- text) in its place. Each edit and deletion is an event in its room's own sequence, after the post it follows.

ALTER TABLE room
    ADD COLUMN change_count integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT room_change_count_not_negative CHECK (change_count >= 0);

COMMENT ON COLUMN room.change_count IS
    'Number of edits and deletions of the room''s messages (message_change rows); bumped with the room''s lock held, like message_count, so a room''s events are numbered in commit order.';

ALTER TABLE message
    ALTER COLUMN body DROP NOT NULL,
    ADD COLUMN version       integer NOT NULL DEFAULT 0,
    ADD COLUMN edited_at     timestamptz,
    ADD COLUMN deleted_at    timestamptz,
    ADD COLUMN deleted_by    text,
    ADD COLUMN delete_reason text,
    ADD CONSTRAINT message_version_not_negative CHECK (version >= 0),
    ADD CONSTRAINT message_edited_at_with_version CHECK ((version = 0) = (edited_at IS NULL)),
    ADD CONSTRAINT message_edited_after_posted CHECK (edited_at >= created_at),
    ADD CONSTRAINT message_tombstone_without_text CHECK ((deleted_at IS NULL) = (body IS NOT NULL)),
    ADD CONSTRAINT message_tombstone_names_deleter CHECK ((deleted_at IS NULL) = (deleted_by IS NULL)),
    ADD CONSTRAINT message_deleted_after_posted CHECK (deleted_at >= created_at),
    ADD CONSTRAINT message_delete_reason_of_tombstone CHECK (delete_reason IS NULL OR deleted_at IS NOT NULL),
    ADD CONSTRAINT message_delete_reason_length CHECK (char_length(delete_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT message_deleted_by_length CHECK (char_length(deleted_by) BETWEEN 1 AND 255);

COMMENT ON TABLE message IS
    'A chat message posted into a room. Its id, room, position, author and created_at never change. An edit updates body, version and edited_at, and writes the text it replaced to message_change; a deletion makes the row a tombstone (body NULL, deleted_at and deleted_by set) and writes its last text to message_change. Rows are never deleted. The unique (room_id, position) index serves every read of a room''s messages in post order.';
COMMENT ON COLUMN message.body IS
    'The message text as last written (any Unicode except NUL); the API''s "chat". NULL for a tombstone: the message was deleted.';
COMMENT ON COLUMN message.version IS 'How many times the text was edited; the API''s "__v" of the message.';
COMMENT ON COLUMN message.edited_at IS 'When the text was last edited; NULL while it is as posted. The API''s "editedAt".';
COMMENT ON COLUMN message.deleted_at IS 'When the message was deleted; NULL while it is not. A deleted message is a tombstone: it keeps its place, author and times, and has no text.';
COMMENT ON COLUMN message.deleted_by IS 'JWT "sub" of who deleted it: its author, or a moderator (pro or admin).';
COMMENT ON COLUMN message.delete_reason IS 'Why a moderator deleted it, as given (optional; shown to every reader).';

CREATE TABLE message_change (
    room_id        uuid        NOT NULL,
    after_position integer     NOT NULL,
    change_no      integer     NOT NULL,
    position       integer     NOT NULL,
    kind           text        NOT NULL,
    version        integer     NOT NULL,
    replaced_body  text        NOT NULL,
    changed_by     text        NOT NULL,
    changed_at     timestamptz NOT NULL,
    CONSTRAINT message_change_pkey PRIMARY KEY (room_id, after_position, change_no),
    CONSTRAINT message_change_message_fkey FOREIGN KEY (room_id, position) REFERENCES message (room_id, position),
    CONSTRAINT message_change_kind_known CHECK (kind IN ('edit', 'delete')),
    CONSTRAINT message_change_no_positive CHECK (change_no >= 1),
    CONSTRAINT message_change_of_an_earlier_message CHECK (position BETWEEN 1 AND after_position),
    CONSTRAINT message_change_version_of_edit CHECK (version >= 1 OR kind = 'delete'),
    CONSTRAINT message_change_changed_by_length CHECK (char_length(changed_by) BETWEEN 1 AND 255)
);

CREATE INDEX message_change_message_idx ON message_change (room_id, position, change_no);

COMMENT ON TABLE message_change IS
    'One row per edit or deletion of a message, never updated: the message''s edit history (the texts it replaced) and the room''s events that are not posts. A change''s place in the room''s sequence is (after_position, change_no): it follows the post at after_position and every change before it; its SSE id on the room stream is "<after_position>.<change_no>".';
COMMENT ON COLUMN message_change.room_id IS 'The room of the changed message.';
COMMENT ON COLUMN message_change.after_position IS 'The room''s message_count when the change was made: the post it follows in the room''s sequence.';
COMMENT ON COLUMN message_change.change_no IS 'The room''s change_count after the change: 1 for the room''s first edit or deletion, then 2, 3, ... without gaps.';
COMMENT ON COLUMN message_change.position IS 'The changed message''s position in the room.';
COMMENT ON COLUMN message_change.kind IS 'edit: the author replaced the text; delete: the author or a moderator deleted the message.';
COMMENT ON COLUMN message_change.version IS 'The message''s version after the change (an edit makes the next one; a deletion keeps it).';
COMMENT ON COLUMN message_change.replaced_body IS 'The text the change replaced (edit) or removed (delete): version - 1, or version for a deletion. Shown only to the author and to pro and admin.';
COMMENT ON COLUMN message_change.changed_by IS 'JWT "sub" of who made the change.';
COMMENT ON COLUMN message_change.changed_at IS 'When the change was made.';

-- Every committed change is announced like a post, on chat_message, as '<room id>:<after_position>.<change_no>'.
CREATE FUNCTION notify_message_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('chat_message', NEW.room_id::text || ':' || NEW.after_position || '.' || NEW.change_no);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION notify_message_changed() IS
    'Announces an edit or deletion on channel chat_message (payload "<room id>:<after_position>.<change_no>") for live delivery by every server instance.';

CREATE TRIGGER message_changed_notify
    AFTER INSERT ON message_change
    FOR EACH ROW EXECUTE FUNCTION notify_message_changed();

-- The inbox stream tells of edits and deletions too.
ALTER TABLE inbox_event
    DROP CONSTRAINT inbox_event_kind_known,
    ADD CONSTRAINT inbox_event_kind_known CHECK (kind IN ('room', 'message', 'marker', 'edit', 'delete'));

COMMENT ON COLUMN inbox_event.kind IS
    'room: the room opened to its readers; message: a message posted at position; marker: reader_sub read up to position; edit, delete: the message at position was edited or deleted.';
COMMENT ON COLUMN inbox_event.position IS 'The message position (message, marker, edit, delete); the room''s message count (room).';

CREATE OR REPLACE FUNCTION inbox_event_record() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_TABLE_NAME = 'message' THEN
        INSERT INTO inbox_event (room_id, kind, position) VALUES (NEW.room_id, 'message', NEW.position);
    ELSIF TG_TABLE_NAME = 'message_change' THEN
        INSERT INTO inbox_event (room_id, kind, position) VALUES (NEW.room_id, NEW.kind, NEW.position);
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

COMMENT ON FUNCTION inbox_event_record() IS
    'Writes the inbox event of a new room, event room binding, message, edit or deletion, or moved read marker.';

CREATE TRIGGER message_change_inbox_event AFTER INSERT ON message_change FOR EACH ROW EXECUTE FUNCTION inbox_event_record();
