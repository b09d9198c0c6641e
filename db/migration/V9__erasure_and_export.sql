-- The data people entrust to the service can be let go of and handed over: a person's data is erased on request
-- or exported as a file, and each request is audited.

-- An erased text leaves its change without it.
ALTER TABLE message_change ALTER COLUMN replaced_body DROP NOT NULL;

COMMENT ON COLUMN message_change.replaced_body IS
    'The text the change replaced (edit) or removed (delete): version - 1, or version for a deletion. Shown only to the author and to pro and admin. NULL once the author''s data was erased.';

-- What finds a person's rows without reading whole tables.
CREATE INDEX room_author_author_idx ON room_author (author_sub);
CREATE INDEX read_marker_reader_idx ON read_marker (reader_sub);
CREATE INDEX message_change_changed_by_idx ON message_change (changed_by);
CREATE INDEX inbox_event_reader_idx ON inbox_event (reader_sub) WHERE reader_sub IS NOT NULL;
CREATE INDEX chat_created_by_idx ON chat (created_by);
CREATE INDEX stream_ticket_caller_idx ON stream_ticket (caller_sub);

CREATE TABLE erasure (
    id             uuid        NOT NULL,
    subject        text,
    subject_sha256 text        NOT NULL,
    pseudonym      text        NOT NULL,
    requested_by   text        NOT NULL,
    requested_at   timestamptz NOT NULL,
    leased_until   timestamptz,
    finished_at    timestamptz,
    counts         jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT erasure_pkey PRIMARY KEY (id),
    CONSTRAINT erasure_subject_until_finished CHECK ((subject IS NULL) = (finished_at IS NOT NULL)),
    CONSTRAINT erasure_subject_sha256 CHECK (subject_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT erasure_pseudonym CHECK (pseudonym = 'erased:' || id::text),
    CONSTRAINT erasure_counts_object CHECK (jsonb_typeof(counts) = 'object')
);

CREATE INDEX erasure_unfinished_idx ON erasure (requested_at) WHERE finished_at IS NULL;

COMMENT ON TABLE erasure IS
    'One row per erasure of a person (POST /admin/erasures), its receipt once finished. The work runs in small batches, each in a transaction of its own that adds its counts here, so it resumes after a crash on any instance; an instance works on it only while it holds the lease.';
COMMENT ON COLUMN erasure.subject IS 'The person''s JWT "sub" while the erasure runs; NULL once it has finished, so the receipt keeps no subject.';
COMMENT ON COLUMN erasure.subject_sha256 IS 'SHA-256 (hex) of the subject: proves whose data the receipt is about to whoever knows the subject.';
COMMENT ON COLUMN erasure.pseudonym IS 'What replaces the subject where a row must stay for others (a room it owned, a tombstone it wrote): "erased:<erasure id>".';
COMMENT ON COLUMN erasure.requested_by IS 'JWT "sub" of the admin who asked for it.';
COMMENT ON COLUMN erasure.leased_until IS 'Until when an instance works on it; another may take it over after that (the first one crashed).';
COMMENT ON COLUMN erasure.finished_at IS 'When the last batch committed; NULL while it runs.';
COMMENT ON COLUMN erasure.counts IS 'Rows erased, changed or deleted per table: {"message": 120, "read_marker": 3, ...}.';

CREATE TABLE data_export (
    id           uuid        NOT NULL,
    subject      text        NOT NULL,
    requested_by text        NOT NULL,
    requested_at timestamptz NOT NULL,
    key_sha256   bytea       NOT NULL,
    expires_at   timestamptz NOT NULL,
    leased_until timestamptz,
    cursor       jsonb       NOT NULL DEFAULT '{}',
    lines        integer     NOT NULL DEFAULT 0,
    bytes        bigint      NOT NULL DEFAULT 0,
    finished_at  timestamptz,
    CONSTRAINT data_export_pkey PRIMARY KEY (id),
    CONSTRAINT data_export_key_sha256 CHECK (octet_length(key_sha256) = 32),
    CONSTRAINT data_export_expires_after_request CHECK (expires_at > requested_at)
);

CREATE INDEX data_export_unfinished_idx ON data_export (requested_at) WHERE finished_at IS NULL;
CREATE INDEX data_export_expires_at_idx ON data_export (expires_at);
CREATE INDEX data_export_subject_idx ON data_export (subject);

COMMENT ON TABLE data_export IS
    'One row per export of a person''s data (POST /exports): a job that writes the file in chunks (data_export_chunk), resumable after a crash on any instance, then downloadable with its key until expires_at, when both are deleted.';
COMMENT ON COLUMN data_export.subject IS 'JWT "sub" of the person whose data it is.';
COMMENT ON COLUMN data_export.requested_by IS 'JWT "sub" of who asked for it: the person, or an admin.';
COMMENT ON COLUMN data_export.key_sha256 IS 'SHA-256 of the download key (the key itself is given once, to whoever asked).';
COMMENT ON COLUMN data_export.expires_at IS 'When the file and this row are deleted (CHAT_EXPORT_HOURS after the request).';
COMMENT ON COLUMN data_export.cursor IS 'Where the job is: the part of the file it writes and the last room and position written.';
COMMENT ON COLUMN data_export.lines IS 'JSON lines written so far.';
COMMENT ON COLUMN data_export.bytes IS 'Bytes (UTF-8) written so far.';
COMMENT ON COLUMN data_export.finished_at IS 'When the file was complete; NULL while the job runs.';

CREATE TABLE data_export_chunk (
    export_id uuid    NOT NULL,
    seq       integer NOT NULL,
    data      text    NOT NULL,
    CONSTRAINT data_export_chunk_pkey PRIMARY KEY (export_id, seq),
    CONSTRAINT data_export_chunk_export_fkey FOREIGN KEY (export_id) REFERENCES data_export (id) ON DELETE CASCADE,
    CONSTRAINT data_export_chunk_seq_positive CHECK (seq >= 1)
);

COMMENT ON TABLE data_export_chunk IS 'The file of an export, in the order of seq: JSON lines, each chunk written by one batch of the job.';

CREATE TABLE data_request (
    id             uuid        NOT NULL,
    kind           text        NOT NULL,
    subject_sha256 text        NOT NULL,
    request_id     uuid        NOT NULL,
    requested_by   text        NOT NULL,
    requested_at   timestamptz NOT NULL,
    detail         text        NOT NULL,
    CONSTRAINT data_request_pkey PRIMARY KEY (id),
    CONSTRAINT data_request_kind_known CHECK (kind IN ('erasure', 'export')),
    CONSTRAINT data_request_subject_sha256 CHECK (subject_sha256 ~ '^[0-9a-f]{64}$')
);

CREATE INDEX data_request_requested_at_idx ON data_request (requested_at);
CREATE INDEX data_request_requested_by_idx ON data_request (requested_by);

COMMENT ON TABLE data_request IS
    'The audit of what was asked about people''s data: every erasure and export, who asked and when. Kept for good; an erasure replaces the erased person''s subject in requested_by with its pseudonym.';
COMMENT ON COLUMN data_request.kind IS 'erasure: a person''s data erased; export: a person''s data exported.';
COMMENT ON COLUMN data_request.subject_sha256 IS 'SHA-256 (hex) of the person''s subject.';
COMMENT ON COLUMN data_request.request_id IS 'The erasure or export (its id).';
COMMENT ON COLUMN data_request.requested_by IS 'JWT "sub" of who asked.';
COMMENT ON COLUMN data_request.requested_at IS 'When.';
COMMENT ON COLUMN data_request.detail IS 'What was asked, in words.';
