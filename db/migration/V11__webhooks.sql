-- Webhooks: what happens in rooms, pushed to the systems that act on it. A subscription names a URL and the event
-- types it wants, optionally for one room or one audience's rooms. Every event that matches a subscription becomes a
-- delivery row in the transaction that made the event (the outbox), so a crash between commit and sending loses
-- nothing and sends nothing uncommitted; workers on any instance send the deliveries, each queue (a subscription's
-- deliveries for one room) in order, one delivery of a queue at a time.

CREATE TABLE webhook_subscription (
    id                    uuid        NOT NULL,
    url                   text        NOT NULL,
    event_types           text[]      NOT NULL,
    room_id               uuid,
    audience              text,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL,
    enabled               boolean     NOT NULL DEFAULT true,
    disabled_at           timestamptz,
    disabled_reason       text,
    secret                text        NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    CONSTRAINT webhook_subscription_pkey PRIMARY KEY (id),
    CONSTRAINT webhook_subscription_url_length CHECK (char_length(url) BETWEEN 1 AND 2000),
    CONSTRAINT webhook_subscription_event_types_known CHECK (
        cardinality(event_types) >= 1
        AND event_types <@ ARRAY['message.posted', 'message.edited', 'message.deleted', 'room.created',
                                 'room.purged', 'marker.moved']),
    CONSTRAINT webhook_subscription_audience_length CHECK (char_length(audience) BETWEEN 1 AND 255),
    CONSTRAINT webhook_subscription_disabled_state CHECK (enabled = (disabled_at IS NULL)),
    CONSTRAINT webhook_subscription_previous_secret_expires CHECK (
        (previous_secret IS NULL) = (previous_secret_until IS NULL))
);

CREATE INDEX webhook_subscription_created_by_idx ON webhook_subscription (created_by);

COMMENT ON TABLE webhook_subscription IS
    'A webhook subscription (POST /webhooks): where to send which events, signed with its secret (Standard Webhooks).';
COMMENT ON COLUMN webhook_subscription.id IS 'Subscription id (UUID v7).';
COMMENT ON COLUMN webhook_subscription.url IS 'The http(s) URL events are POSTed to; checked against private and local addresses when set and before each send.';
COMMENT ON COLUMN webhook_subscription.event_types IS 'The event types sent: message.posted, message.edited, message.deleted, room.created, room.purged, marker.moved.';
COMMENT ON COLUMN webhook_subscription.room_id IS 'Only this room''s events, when set.';
COMMENT ON COLUMN webhook_subscription.audience IS 'Only the events of rooms open to this audience, when set (a tenant''s subscriptions always have it).';
COMMENT ON COLUMN webhook_subscription.created_by IS 'JWT "sub" of who created it (an admin, or a member of the audience).';
COMMENT ON COLUMN webhook_subscription.created_at IS 'When it was created.';
COMMENT ON COLUMN webhook_subscription.enabled IS 'Whether its deliveries are sent; pending ones wait while it is disabled.';
COMMENT ON COLUMN webhook_subscription.disabled_at IS 'When it was disabled (by its owner, or by a receiver answering 410 Gone).';
COMMENT ON COLUMN webhook_subscription.disabled_reason IS 'Why it was disabled.';
COMMENT ON COLUMN webhook_subscription.secret IS 'The signing secret (whsec_<base64>), shown once to its creator; kept as is because signing needs it.';
COMMENT ON COLUMN webhook_subscription.previous_secret IS 'The secret before the last rotation, still signing (a second signature) until previous_secret_until.';
COMMENT ON COLUMN webhook_subscription.previous_secret_until IS 'When the previous secret stops signing.';

-- One queue per subscription and room: its deliveries are sent in order, one at a time.
CREATE TABLE webhook_queue (
    subscription_id uuid        NOT NULL,
    room_id         uuid        NOT NULL,
    pending         integer     NOT NULL,
    next_attempt_at timestamptz,
    leased_until    timestamptz,
    CONSTRAINT webhook_queue_pkey PRIMARY KEY (subscription_id, room_id),
    CONSTRAINT webhook_queue_subscription_fkey FOREIGN KEY (subscription_id)
        REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    CONSTRAINT webhook_queue_pending_not_negative CHECK (pending >= 0),
    CONSTRAINT webhook_queue_due_while_pending CHECK ((pending > 0) = (next_attempt_at IS NOT NULL))
);

CREATE INDEX webhook_queue_due_idx ON webhook_queue (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

COMMENT ON TABLE webhook_queue IS
    'A subscription''s deliveries for one room, sent in order (webhook_delivery.seq) one at a time. pending is kept by the trigger that enqueues and by the worker that finishes a delivery, each updating the row under its lock, so a queue is never idle while it has a pending delivery.';
COMMENT ON COLUMN webhook_queue.subscription_id IS 'The subscription.';
COMMENT ON COLUMN webhook_queue.room_id IS 'The room.';
COMMENT ON COLUMN webhook_queue.pending IS 'How many of its deliveries are pending.';
COMMENT ON COLUMN webhook_queue.next_attempt_at IS 'When its first pending delivery is (next) due; NULL while nothing is pending.';
COMMENT ON COLUMN webhook_queue.leased_until IS 'A worker sends its first pending delivery until then; another may take it over after.';

CREATE TABLE webhook_delivery (
    id              uuid        NOT NULL,
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    subscription_id uuid        NOT NULL,
    room_id         uuid        NOT NULL,
    event_type      text        NOT NULL,
    position        integer     NOT NULL,
    reader_sub      text,
    occurred_at     timestamptz NOT NULL,
    state           text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    next_attempt_at timestamptz,
    first_sent_at   timestamptz,
    finished_at     timestamptz,
    CONSTRAINT webhook_delivery_pkey PRIMARY KEY (id),
    CONSTRAINT webhook_delivery_seq_key UNIQUE (seq),
    CONSTRAINT webhook_delivery_queue_fkey FOREIGN KEY (subscription_id, room_id)
        REFERENCES webhook_queue (subscription_id, room_id) ON DELETE CASCADE,
    CONSTRAINT webhook_delivery_state_known CHECK (state IN ('pending', 'delivered', 'failed')),
    CONSTRAINT webhook_delivery_finished CHECK ((state = 'pending') = (finished_at IS NULL)),
    CONSTRAINT webhook_delivery_attempts_not_negative CHECK (attempts >= 0),
    CONSTRAINT webhook_delivery_last_error_length CHECK (char_length(last_error) <= 500)
);

CREATE INDEX webhook_delivery_queue_idx ON webhook_delivery (subscription_id, room_id, seq) WHERE state = 'pending';
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (subscription_id, seq);
CREATE INDEX webhook_delivery_finished_idx ON webhook_delivery (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX webhook_delivery_reader_idx ON webhook_delivery (reader_sub) WHERE reader_sub IS NOT NULL;

COMMENT ON TABLE webhook_delivery IS
    'One event to send to one subscription, written in the transaction of the event (the outbox), and its delivery log. Holds no message text: the message is read as it is when sent. Finished rows are deleted after CHAT_WEBHOOK_LOG_DAYS.';
COMMENT ON COLUMN webhook_delivery.id IS 'The delivery''s id, its webhook-id header: the same on every attempt and replay.';
COMMENT ON COLUMN webhook_delivery.seq IS 'Order of the deliveries (within a queue: the order its events happened in).';
COMMENT ON COLUMN webhook_delivery.subscription_id IS 'The subscription.';
COMMENT ON COLUMN webhook_delivery.room_id IS 'The room the event happened in.';
COMMENT ON COLUMN webhook_delivery.event_type IS 'message.posted, message.edited, message.deleted, room.created, room.purged or marker.moved.';
COMMENT ON COLUMN webhook_delivery.position IS 'The message''s position (message events, marker.moved), the room''s count (room.created), the last position removed (room.purged).';
COMMENT ON COLUMN webhook_delivery.reader_sub IS 'JWT "sub" of the reader whose marker moved (marker.moved only).';
COMMENT ON COLUMN webhook_delivery.occurred_at IS 'When the event happened.';
COMMENT ON COLUMN webhook_delivery.state IS 'pending: to send; delivered: a receiver answered 2xx; failed: no 2xx within CHAT_WEBHOOK_RETRY_HOURS.';
COMMENT ON COLUMN webhook_delivery.attempts IS 'How many times it was sent.';
COMMENT ON COLUMN webhook_delivery.last_attempt_at IS 'When it was last sent.';
COMMENT ON COLUMN webhook_delivery.last_status IS 'The HTTP status of the last attempt; NULL when no answer came.';
COMMENT ON COLUMN webhook_delivery.last_error IS 'Why the last attempt failed (the status, a time-out, a refused connection).';
COMMENT ON COLUMN webhook_delivery.next_attempt_at IS 'When it is tried again after a failed attempt (its queue''s next attempt).';
COMMENT ON COLUMN webhook_delivery.first_sent_at IS 'When it was first sent (the first attempt''s latency is first_sent_at - occurred_at).';
COMMENT ON COLUMN webhook_delivery.finished_at IS 'When it was delivered or given up.';

-- The outbox: every inbox event (room opened, message posted, edited, deleted, purged, marker moved) that a
-- subscription wants becomes its delivery, in the same transaction.
CREATE FUNCTION webhook_enqueue() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_subscription) THEN
        RETURN NULL;  -- what every post pays while nobody subscribes: this look-up
    END IF;
    WITH typed AS (
        SELECT e.*, CASE e.kind WHEN 'message' THEN 'message.posted' WHEN 'edit' THEN 'message.edited'
                                WHEN 'delete' THEN 'message.deleted' WHEN 'room' THEN 'room.created'
                                WHEN 'purge' THEN 'room.purged' ELSE 'marker.moved' END AS event_type
          FROM added e),
    matched AS (
        SELECT s.id AS subscription_id, e.room_id, e.event_type, e.position, e.reader_sub, e.created_at, e.seq
          FROM typed e
          JOIN webhook_subscription s
            ON e.event_type = ANY (s.event_types) AND (s.room_id IS NULL OR s.room_id = e.room_id)
         WHERE s.audience IS NULL
            OR s.audience IN (SELECT c.audience FROM chat_event_room b JOIN chat c ON c.id = b.chat_id
                               WHERE b.room_id = e.room_id)),
    queued AS (
        INSERT INTO webhook_queue AS q (subscription_id, room_id, pending, next_attempt_at)
        SELECT subscription_id, room_id, count(*), now() FROM matched GROUP BY subscription_id, room_id
        ORDER BY subscription_id, room_id
        ON CONFLICT (subscription_id, room_id) DO UPDATE
           SET pending = q.pending + EXCLUDED.pending,
               next_attempt_at = COALESCE(q.next_attempt_at, EXCLUDED.next_attempt_at))
    INSERT INTO webhook_delivery (id, subscription_id, room_id, event_type, position, reader_sub, occurred_at)
    SELECT gen_random_uuid(), subscription_id, room_id, event_type, position, reader_sub, created_at
      FROM matched ORDER BY seq, subscription_id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION webhook_enqueue() IS
    'Writes a webhook delivery for every new inbox event a subscription wants, and counts it in its queue.';

CREATE TRIGGER inbox_event_webhook_enqueue
    AFTER INSERT ON inbox_event
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue();
