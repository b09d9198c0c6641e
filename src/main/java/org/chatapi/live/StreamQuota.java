package org.chatapi.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.TooManyRequests;

/**
 * How many streams of one kind each caller holds open on this instance, at most {@code CHAT_MAX_STREAMS_PER_CALLER}:
 * each holds memory and a connection.
 */
final class StreamQuota {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final String kind;
    private final int max;
    private final int retryAfterSeconds;

    StreamQuota(String kind, int max, int retryAfterSeconds) {
        this.kind = kind;
        this.max = max;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Counts a new stream of the caller, or refuses it (429) when the caller holds its most. */
    void take(String caller, Metrics metrics) {
        boolean[] admitted = {false};
        open.compute(caller, (subject, streams) -> {
            int count = streams == null ? 0 : streams;
            admitted[0] = count < max;
            return admitted[0] ? count + 1 : streams;
        });
        if (!admitted[0]) {
            metrics.limited("streams");
            throw new TooManyRequests("This caller has " + max + " " + kind + " open on this instance, its most; "
                    + "close one first.", retryAfterSeconds);
        }
    }

    /** One of the caller's streams ended. */
    void release(String caller) {
        open.computeIfPresent(caller, (subject, streams) -> streams <= 1 ? null : streams - 1);
    }
}
