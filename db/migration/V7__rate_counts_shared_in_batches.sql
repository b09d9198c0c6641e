-- Rate counts are kept by each instance in memory and added to rate_counter in batches: say so to whoever reads the
-- table.

COMMENT ON TABLE rate_counter IS
    'How many limited requests of a kind a caller made in a one-minute window (platform.ratelimit), on every instance together. Each instance counts in memory and adds its counts of all callers here in one statement at most 50 ms after a request, learning the others'' counts from it. Windows older than the current one are deleted as new ones begin.';
COMMENT ON COLUMN rate_counter.count IS 'Requests admitted in the window, on every instance, as far as each has added its counts.';
