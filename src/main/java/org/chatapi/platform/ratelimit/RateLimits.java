package org.chatapi.platform.ratelimit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.ratelimit.RateCounters.Share;
import org.chatapi.platform.ratelimit.RateLimited.Kind;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides whether a caller may make one more request of a kind in the current one-minute window, in memory: an
 * allowed request costs no statement. What each instance counted is added to the shared counts in PostgreSQL
 * (table rate_counter) at most {@link #SHARE_AFTER} later, for every caller in one statement, and that statement
 * answers every instance's counts together; so all instances together allow a caller its limit, not each instance.
 *
 * <p>How exact: on one instance the limit is exact. A caller whose requests reach several instances may get more:
 * an instance admits on what it last learned of the others, so once the caller's shared count has reached the
 * limit, each instance still admits what reaches it until its next share, at most {@link #SHARE_AFTER} of the
 * caller's requests to it (a caller alternating between two instances one request at a time gets one more). It
 * never admits less than the limit. If the database is away, the counts wait in memory and are added once it is back.
 *
 * <p>Written here rather than taken from a library: the limit libraries for Java (Bucket4j and the like) keep a
 * caller's state in a cache or do a database round trip per request; this is the one statement per share
 * interval that PostgreSQL, which every instance already shares, can take.
 */
@ApplicationScoped
public class RateLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** How long counts wait before they are shared: a bound on the over-admission and the statements per second. */
    static final Duration SHARE_AFTER = Duration.ofMillis(50);

    private static final Logger LOG = Logger.getLogger(RateLimits.class.getName());

    @EJB
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

    @Resource
    ManagedScheduledExecutorService executor;

    /** The windows' clock (UTC); a unit test sets its own. */
    Clock clock = Clock.systemUTC();

    /** This instance's count of each caller's current window of each kind. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    /** A share is scheduled or running: counts made meanwhile are shared by it or by the one it schedules. */
    private final AtomicBoolean sharing = new AtomicBoolean();
    private volatile boolean stopped;
    private Instant purgedBefore = Instant.EPOCH;
    private boolean failing;

    /** The outcome for one request, with what the rate-limit headers tell the client. */
    public record Decision(Kind kind, boolean allowed, int limit, int remaining, long resetSeconds) {
    }

    /** One caller's window of one kind, as this instance knows it; its fields change under its monitor. */
    private static final class Window {
        final String caller;
        final Kind kind;
        final Instant start;
        /** The shared count as last read: every instance's requests, this one's up to its last share. */
        int shared;
        /** Requests of this instance being added to the shared count now. */
        int inShare;
        /** Requests of this instance not shared yet. */
        int unshared;

        Window(String caller, Kind kind, Instant start) {
            this.caller = caller;
            this.kind = kind;
            this.start = start;
        }

        int used() {
            return shared + inShare + unshared;
        }

        /** Read under the monitor: a count made while a share ran is seen by the check that follows it. */
        synchronized boolean hasUnshared() {
            return unshared > 0;
        }
    }

    public int limit(Kind kind) {
        return switch (kind) {
            case POSTS -> postsPerMinute;
            case CREATES -> createsPerMinute;
            case MARKERS -> markersPerMinute;
        };
    }

    /** Counts one request of the caller if it is within the limit, and says whether it is. */
    public Decision count(String caller, Kind kind) {
        Instant now = clock.instant();
        Instant start = now.truncatedTo(ChronoUnit.MINUTES);
        long reset = Math.max(1, (Duration.between(now, start.plus(WINDOW)).toMillis() + 999) / 1000);
        int limit = limit(kind);
        Window window = windows.compute(kind.policy() + '\n' + caller,
                (key, known) -> known == null || known.start.isBefore(start) ? new Window(caller, kind, start) : known);
        int used;
        synchronized (window) {
            if (window.used() >= limit) {
                return new Decision(kind, false, limit, 0, reset);
            }
            window.unshared++;
            used = window.used();
        }
        shareLater();
        return new Decision(kind, true, limit, limit - used, reset);
    }

    /** Schedules a share unless one is scheduled or running already (a unit test shares when it wants). */
    void shareLater() {
        if (!stopped && sharing.compareAndSet(false, true)) {
            executor.schedule(this::shareAndReschedule, SHARE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void shareAndReschedule() {
        try {
            share();
        } finally {
            sharing.set(false);
            if (windows.values().stream().anyMatch(Window::hasUnshared)) {
                shareLater();
            }
        }
    }

    /**
     * Adds this instance's unshared counts of the current window to the shared ones in one statement, learns every
     * instance's counts of them, and forgets earlier windows. Runs on one thread at a time.
     */
    synchronized void share() {
        Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        windows.values().removeIf(window -> window.start.isBefore(start));
        List<Window> taken = new ArrayList<>();
        List<Share> shares = new ArrayList<>();
        for (Window window : windows.values()) {
            synchronized (window) {
                if (window.unshared > 0) {
                    taken.add(window);
                    shares.add(new Share(window.caller, window.kind.policy(), window.start, window.unshared));
                    window.inShare = window.unshared;
                    window.unshared = 0;
                }
            }
        }
        try {
            if (purgedBefore.isBefore(start)) {
                counters.purgeBefore(start);
                purgedBefore = start;
            }
            Map<Share, Integer> totals = taken.isEmpty() ? Map.of() : counters.add(shares);
            for (int i = 0; i < taken.size(); i++) {
                Window window = taken.get(i);
                synchronized (window) {
                    window.shared = Math.max(window.shared + window.inShare, totals.getOrDefault(shares.get(i), 0));
                    window.inShare = 0;
                }
            }
            failing = false;
        } catch (RuntimeException e) {
            for (Window window : taken) {
                synchronized (window) {
                    window.unshared += window.inShare;
                    window.inShare = 0;
                }
            }
            if (!failing) {
                LOG.log(Level.WARNING, "Sharing the rate limit counts failed; they are kept and shared again", e);
                failing = true;
            }
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        share();  // what this instance admitted still counts on the others
    }
}
