-- Per-caller request counts, shared by every instance: what lets a limit hold however many instances serve a caller.

CREATE TABLE rate_counter (
    caller_sub   text        NOT NULL,
    kind         text        NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer     NOT NULL,
    CONSTRAINT rate_counter_pkey PRIMARY KEY (caller_sub, kind, window_start),
    CONSTRAINT rate_counter_caller_sub_length CHECK (char_length(caller_sub) BETWEEN 1 AND 255),
    CONSTRAINT rate_counter_kind CHECK (kind IN ('posts', 'creates')),
    CONSTRAINT rate_counter_count_positive CHECK (count >= 1)
);

CREATE INDEX rate_counter_window_start ON rate_counter (window_start);

COMMENT ON TABLE rate_counter IS
    'How many limited requests of a kind a caller made in a one-minute window (platform.ratelimit). An instance adds to the count of the current window until the caller is over its limit, then refuses locally until the window ends. Windows older than the current one are deleted as new ones begin.';
COMMENT ON COLUMN rate_counter.caller_sub IS 'JWT "sub" of the caller.';
COMMENT ON COLUMN rate_counter.kind IS 'posts: messages posted; creates: rooms, chats and stream tickets created.';
COMMENT ON COLUMN rate_counter.window_start IS 'Start of the one-minute window (whole minutes of UTC).';
COMMENT ON COLUMN rate_counter.count IS 'Requests counted in the window, on every instance, refused ones included until the caller was over its limit.';
