-- Short-lived credentials for one room's event stream, for clients that cannot send an Authorization header
-- (a browser's EventSource). Only a hash of each ticket is kept: the table never holds a usable credential.

CREATE TABLE stream_ticket (
    ticket_hash   bytea       NOT NULL,
    room_id       uuid        NOT NULL,
    caller_sub    text        NOT NULL,
    caller_groups text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    CONSTRAINT stream_ticket_pkey PRIMARY KEY (ticket_hash),
    CONSTRAINT stream_ticket_room_fkey FOREIGN KEY (room_id) REFERENCES room (id),
    CONSTRAINT stream_ticket_hash_length CHECK (octet_length(ticket_hash) = 32),
    CONSTRAINT stream_ticket_caller_sub_length CHECK (char_length(caller_sub) BETWEEN 1 AND 255)
);

CREATE INDEX stream_ticket_expires_at ON stream_ticket (expires_at);

COMMENT ON TABLE stream_ticket IS
    'Tickets for GET /room/{id}/events?ticket=..., issued by POST /room/{id}/events/tickets to a caller with a bearer token. A ticket opens that room''s stream only, as that caller, until it expires; expired rows are deleted as new tickets are issued.';
COMMENT ON COLUMN stream_ticket.ticket_hash IS 'SHA-256 of the ticket the client holds.';
COMMENT ON COLUMN stream_ticket.room_id IS 'The only room whose stream the ticket opens.';
COMMENT ON COLUMN stream_ticket.caller_sub IS 'JWT "sub" of the caller the ticket was issued to; the stream is opened as this caller.';
COMMENT ON COLUMN stream_ticket.caller_groups IS 'The caller''s JWT "groups" when the ticket was issued, as a JSON array of strings.';
COMMENT ON COLUMN stream_ticket.expires_at IS
    'When the ticket and every stream opened with it end: CHAT_STREAM_TICKET_SECONDS after issue, never after the bearer token it was issued for.';
