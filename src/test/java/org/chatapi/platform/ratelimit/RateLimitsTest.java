package org.chatapi.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.chatapi.platform.ratelimit.RateLimited.Kind;
import org.chatapi.platform.ratelimit.RateLimits.Decision;

class RateLimitsTest {

    private static final Instant WINDOW = Instant.parse("2026-12-06T10:15:00Z");

    /** The shared counts as the table keeps them, and how often each was asked: the database's cost. */
    static final class Counts extends RateCounters {
        final Map<String, Integer> counts = new HashMap<>();
        final Map<String, Integer> statements = new HashMap<>();
        final List<Instant> purgedBefore = new ArrayList<>();

        @Override
        public int increment(String caller, String kind, Instant windowStart) {
            String key = caller + '/' + kind + '/' + windowStart;
            statements.merge(caller + '/' + kind, 1, Integer::sum);
            return counts.merge(key, 1, Integer::sum);
        }

        @Override
        public void purgeBefore(Instant windowStart) {
            purgedBefore.add(windowStart);
            counts.keySet().removeIf(key -> Instant.parse(key.substring(key.lastIndexOf('/') + 1)).isBefore(windowStart));
        }
    }

    private static RateLimits limits(Counts counts, int posts, int creates, Instant now) {
        RateLimits limits = new RateLimits();
        limits.counters = counts;
        limits.postsPerMinute = posts;
        limits.createsPerMinute = creates;
        limits.markersPerMinute = posts;
        limits.clock = Clock.fixed(now, ZoneOffset.UTC);
        return limits;
    }

    @Property
    void eachCallerGetsItsLimitPerWindowAndAFloodCostsOneStatementMore(
            @ForAll("requests") List<String> callers, @ForAll @IntRange(min = 1, max = 8) int limit,
            @ForAll @IntRange(min = 0, max = 59_999) int millisIntoTheWindow) {
        Counts counts = new Counts();
        RateLimits limits = limits(counts, limit, limit, WINDOW.plusMillis(millisIntoTheWindow));
        Map<String, Integer> allowed = new HashMap<>();
        Map<String, Integer> asked = new HashMap<>();
        for (String caller : callers) {
            int before = asked.merge(caller, 1, Integer::sum) - 1;
            Decision decision = limits.count(caller, Kind.POSTS);
            assertThat(decision.allowed()).as("request %d of %s", before + 1, caller).isEqualTo(before < limit);
            assertThat(decision.limit()).isEqualTo(limit);
            assertThat(decision.remaining()).isEqualTo(Math.max(0, limit - before - 1));
            long left = (60_000 - millisIntoTheWindow + 999) / 1000;
            assertThat(decision.resetSeconds()).isEqualTo(Math.max(1, left)).isBetween(1L, 60L);
            if (decision.allowed()) {
                allowed.merge(caller, 1, Integer::sum);
            }
        }
        asked.forEach((caller, requests) -> {
            assertThat(allowed.getOrDefault(caller, 0)).isEqualTo(Math.min(requests, limit));
            // Once the shared count said "over", this instance stops asking the database until the window ends.
            assertThat(counts.statements.get(caller + "/posts")).isEqualTo(Math.min(requests, limit + 1));
        });
    }

    @Example
    void aNewWindowAllowsAgainAndForgetsTheEarlierCounts() {
        Counts counts = new Counts();
        RateLimits limits = limits(counts, 2, 1, WINDOW.plusSeconds(59));
        assertThat(List.of(limits.count("c", Kind.POSTS).allowed(), limits.count("c", Kind.POSTS).allowed(),
                limits.count("c", Kind.POSTS).allowed())).containsExactly(true, true, false);
        assertThat(counts.purgedBefore).containsExactly(WINDOW);

        limits.clock = Clock.fixed(WINDOW.plus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        Decision next = limits.count("c", Kind.POSTS);
        assertThat(next.allowed()).isTrue();
        assertThat(next.remaining()).isEqualTo(1);
        assertThat(next.resetSeconds()).isEqualTo(60);
        assertThat(counts.purgedBefore).containsExactly(WINDOW, WINDOW.plus(Duration.ofMinutes(1)));
        assertThat(counts.counts).containsOnlyKeys("c/posts/" + WINDOW.plus(Duration.ofMinutes(1)));
    }

    @Example
    void kindsAreCountedApart() {
        Counts counts = new Counts();
        RateLimits limits = limits(counts, 3, 1, WINDOW);
        assertThat(limits.count("c", Kind.CREATES).allowed()).isTrue();
        assertThat(limits.count("c", Kind.CREATES).allowed()).isFalse();
        assertThat(limits.count("c", Kind.POSTS).allowed()).isTrue();
        assertThat(limits.count("c", Kind.MARKERS).remaining()).isEqualTo(2);
    }

    @Provide
    Arbitrary<List<String>> requests() {
        return Arbitraries.of("alice", "bob", "mallory").list().ofMaxSize(40);
    }
}
