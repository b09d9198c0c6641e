package org.chatapi.platform.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.chatapi.platform.ratelimit.RateLimited.Kind;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether a caller may make one more request of a kind in the current one-minute window. The count is
 * PostgreSQL's (table rate_counter), so that all instances together allow a caller its limit, not each instance; once
 * the shared count says the caller is over, this instance refuses it without asking again until the window ends,
 * so that a flood costs the database at most the limit's worth of statements per window.
 */
@ApplicationScoped
public class RateLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    RateCounters counters;

    @Inject
    @ConfigProperty(name = "chat.rate.posts-per-minute", defaultValue = "600")
    int postsPerMinute;

    @Inject
    @ConfigProperty(name = "chat.rate.creates-per-minute", defaultValue = "60")
    int createsPerMinute;

    @Inject
    @ConfigProperty(name = "chat.rate.markers-per-minute", defaultValue = "600")
    int markersPerMinute;

    /** The windows' clock (UTC); a unit test sets its own. */
    Clock clock = Clock.systemUTC();

    /** This instance's knowledge of each caller's current window: whether the caller is over its limit. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> purgedBefore = new AtomicReference<>(Instant.EPOCH);

    /** The outcome for one request, with what the rate-limit headers tell the client. */
    public record Decision(Kind kind, boolean allowed, int limit, int remaining, long resetSeconds) {
    }

    private static final class Window {
        final Instant start;
        volatile boolean over;

        Window(Instant start) {
            this.start = start;
        }
    }

    public int limit(Kind kind) {
        return switch (kind) {
            case POSTS -> postsPerMinute;
            case CREATES -> createsPerMinute;
            case MARKERS -> markersPerMinute;
        };
    }

    /** Counts one request of the caller, and says whether it is within the limit. */
    public Decision count(String caller, Kind kind) {
        Instant now = clock.instant();
        Instant start = now.truncatedTo(ChronoUnit.MINUTES);
        long reset = Math.max(1, (Duration.between(now, start.plus(WINDOW)).toMillis() + 999) / 1000);
        int limit = limit(kind);
        Window window = windows.compute(kind.policy() + '\n' + caller,
                (key, known) -> known == null || !known.start.equals(start) ? new Window(start) : known);
        if (window.over) {
            return new Decision(kind, false, limit, 0, reset);
        }
        forgetEarlierWindows(start);
        int count = counters.increment(caller, kind.policy(), start);
        if (count > limit) {
            window.over = true;
            return new Decision(kind, false, limit, 0, reset);
        }
        return new Decision(kind, true, limit, limit - count, reset);
    }

    /** Once per window and instance: the counts and the knowledge of earlier windows are of no use any more. */
    private void forgetEarlierWindows(Instant start) {
        Instant purged = purgedBefore.get();
        if (purged.isBefore(start) && purgedBefore.compareAndSet(purged, start)) {
            windows.values().removeIf(window -> window.start.isBefore(start));
            counters.purgeBefore(start);
        }
    }
}
