-- Idempotent POSTs (the Idempotency-Key header) and live delivery of new messages across instances.

CREATE TABLE idempotency_key (
    caller_sub      text        NOT NULL,
    key             text        NOT NULL,
    fingerprint     text        NOT NULL,
    claimed_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    response_status integer,
    response_body   text,
    response_location text,
    CONSTRAINT idempotency_key_pkey PRIMARY KEY (caller_sub, key),
    CONSTRAINT idempotency_key_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
    CONSTRAINT idempotency_key_fingerprint_sha256 CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    CONSTRAINT idempotency_key_expires_after_claim CHECK (expires_at > claimed_at),
    CONSTRAINT idempotency_key_response_complete CHECK (
        (response_status IS NULL AND response_body IS NULL AND response_location IS NULL)
        OR (response_status BETWEEN 200 AND 299 AND response_body IS NOT NULL))
);

CREATE INDEX idempotency_key_expires_at_idx ON idempotency_key (expires_at);

COMMENT ON TABLE idempotency_key IS
    'One row per caller and Idempotency-Key of a POST. A row without a response is a request still running (a replay gets 409); '
    'a row with one is replayed as is. The response is written in the same transaction as the work it reports, so a stored '
    'response always means the work committed. Rows are purged after expires_at.';
COMMENT ON COLUMN idempotency_key.caller_sub IS 'JWT "sub" of the caller; keys are private to each caller.';
COMMENT ON COLUMN idempotency_key.key IS 'The Idempotency-Key header value.';
COMMENT ON COLUMN idempotency_key.fingerprint IS
    'SHA-256 (hex) of the request: method, path, content type and body. The same key with another fingerprint is refused with 422.';
COMMENT ON COLUMN idempotency_key.claimed_at IS
    'When the request that owns the key started. A row still without response long after this was abandoned and may be claimed again.';
COMMENT ON COLUMN idempotency_key.expires_at IS 'When the key is forgotten (at least 24 hours after the claim).';
COMMENT ON COLUMN idempotency_key.response_status IS 'HTTP status of the stored response (2xx); NULL while the request runs.';
COMMENT ON COLUMN idempotency_key.response_body IS 'The stored response body (JSON), replayed byte for byte.';
COMMENT ON COLUMN idempotency_key.response_location IS 'The Location header of the stored response, if it had one.';

-- Every committed message is announced on the channel chat_message as '<room id>:<position>'. NOTIFY is
-- transactional: listeners hear of a message only once it is committed, and never of a rolled-back one.
CREATE FUNCTION notify_message_posted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('chat_message', NEW.room_id::text || ':' || NEW.position);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION notify_message_posted() IS
    'Announces a new message on channel chat_message (payload "<room id>:<position>") for live delivery by every server instance.';

CREATE TRIGGER message_posted_notify
    AFTER INSERT ON message
    FOR EACH ROW EXECUTE FUNCTION notify_message_posted();
