-- Retention: messages older than their room's retention period are removed, oldest first, by a job that works in
-- small batches. A room's history then starts after the last position removed: positions, __v and the message ids
-- that remain do not change, and the removal is an event of the room's own sequence ('purge'), so open streams and
-- resuming clients learn of it.

ALTER TABLE room
    ADD COLUMN retention_days integer,
    ADD COLUMN purged_through integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT room_retention_days_range CHECK (retention_days BETWEEN 1 AND 36500),
    ADD CONSTRAINT room_purged_through_within_count CHECK (purged_through BETWEEN 0 AND message_count);

-- Without a default retention, only the rooms that have their own are swept.
CREATE INDEX room_own_retention_idx ON room (id) WHERE retention_days IS NOT NULL;

COMMENT ON COLUMN room.retention_days IS
    'How many days the room''s messages are kept, set by an admin or the room''s tenant (PUT /room/{id}/retention); NULL: the server''s default, CHAT_MESSAGE_RETENTION_DAYS (none: kept until erased).';
COMMENT ON COLUMN room.purged_through IS
    'The messages at positions 1 to purged_through were removed by retention (0: none); the room''s history starts after it. Only moves forward, with the room''s lock held.';

ALTER TABLE room_author
    ADD COLUMN purged_count integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT room_author_purged_within_count CHECK (purged_count BETWEEN 0 AND message_count);

COMMENT ON COLUMN room_author.purged_count IS
    'How many of the author''s messages in the room retention removed: those up to room.purged_through. A reader''s unread count starts after the later of its marker and room.purged_through.';
COMMENT ON TABLE read_marker IS
    'How far each reader has read each room (PUT /room/{id}/marker). Markers only move forward: an update to an earlier position changes nothing. A reader''s unread count is (room.message_count - greatest(position, room.purged_through)) - (room_author.message_count - greatest(own_through, room_author.purged_count)).';

-- A purge is a change of the room without a message: it names the last position removed instead.
ALTER TABLE message_change
    ALTER COLUMN position DROP NOT NULL,
    ALTER COLUMN changed_by DROP NOT NULL,
    ADD COLUMN purged_through integer,
    DROP CONSTRAINT message_change_kind_known,
    ADD CONSTRAINT message_change_kind_known CHECK (kind IN ('edit', 'delete', 'purge')),
    DROP CONSTRAINT message_change_version_of_edit,
    ADD CONSTRAINT message_change_version_of_edit CHECK (version >= 1 OR kind <> 'edit'),
    ADD CONSTRAINT message_change_purge_names_positions CHECK (
        (kind = 'purge') = (position IS NULL)
        AND (kind = 'purge') = (purged_through IS NOT NULL)
        AND (kind = 'purge') = (changed_by IS NULL)),
    ADD CONSTRAINT message_change_purge_of_earlier_posts CHECK (purged_through BETWEEN 1 AND after_position);

COMMENT ON TABLE message_change IS
    'One row per edit or deletion of a message, never updated: the message''s edit history (the texts it replaced) and the room''s events that are not posts; and the room''s latest purge by retention. A change''s place in the room''s sequence is (after_position, change_no): it follows the post at after_position and every change before it; its SSE id on the room stream is "<after_position>.<change_no>". The changes of purged messages are removed with them, and a purge replaces the room''s previous one.';
COMMENT ON COLUMN message_change.kind IS
    'edit: the author replaced the text; delete: the author or a moderator deleted the message; purge: retention removed the messages up to purged_through.';
COMMENT ON COLUMN message_change.position IS 'The changed message''s position in the room; NULL for a purge.';
COMMENT ON COLUMN message_change.changed_by IS 'JWT "sub" of who made the change; NULL for a purge (the retention job).';
COMMENT ON COLUMN message_change.purged_through IS 'For a purge: the room''s messages up to this position are removed.';

-- The inbox stream tells of purges too, at the last position removed.
ALTER TABLE inbox_event
    DROP CONSTRAINT inbox_event_kind_known,
    ADD CONSTRAINT inbox_event_kind_known CHECK (kind IN ('room', 'message', 'marker', 'edit', 'delete', 'purge'));

COMMENT ON COLUMN inbox_event.kind IS
    'room: the room opened to its readers; message: a message posted at position; marker: reader_sub read up to position; edit, delete: the message at position was edited or deleted; purge: retention removed the messages up to position.';

CREATE OR REPLACE FUNCTION inbox_event_record() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_TABLE_NAME = 'message' THEN
        INSERT INTO inbox_event (room_id, kind, position) VALUES (NEW.room_id, 'message', NEW.position);
    ELSIF TG_TABLE_NAME = 'message_change' THEN
        INSERT INTO inbox_event (room_id, kind, position)
        VALUES (NEW.room_id, NEW.kind, COALESCE(NEW.position, NEW.purged_through));
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
    'Writes the inbox event of a new room, event room binding, message, edit, deletion or purge, or moved read marker.';

-- Changes of a room's retention are audited with the requests about people's data.
ALTER TABLE data_request
    ALTER COLUMN subject_sha256 DROP NOT NULL,
    DROP CONSTRAINT data_request_kind_known,
    ADD CONSTRAINT data_request_kind_known CHECK (kind IN ('erasure', 'export', 'retention')),
    ADD CONSTRAINT data_request_names_person CHECK ((kind = 'retention') = (subject_sha256 IS NULL));

COMMENT ON TABLE data_request IS
    'The audit of what was asked about people''s data: every erasure, export and change of a room''s retention, who asked and when. Kept for good; an erasure replaces the erased person''s subject in requested_by with its pseudonym.';
COMMENT ON COLUMN data_request.kind IS
    'erasure: a person''s data erased; export: a person''s data exported; retention: a room''s retention period set.';
COMMENT ON COLUMN data_request.subject_sha256 IS 'SHA-256 (hex) of the person''s subject; NULL for a retention change.';
COMMENT ON COLUMN data_request.request_id IS 'The erasure or export (its id); for a retention change, the room.';
