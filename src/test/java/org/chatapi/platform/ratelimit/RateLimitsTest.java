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
import org.chatapi.platform.ratelimit.RateCounters.Share;
import org.chatapi.platform.ratelimit.RateLimited.Kind;
import org.chatapi.platform.ratelimit.RateLimits.Decision;

class RateLimitsTest {

    private static final Instant WINDOW = Instant.parse("2026-12-06T10:15:00Z");

    /** The shared counts as the table keeps them, and the statements that wrote them: the database's cost. */
    static final class Counts extends RateCounters {
        final Map<String, Integer> counts = new HashMap<>();
        final List<List<Share>> statements = new ArrayList<>();
        final List<Instant> purgedBefore = new ArrayList<>();
        boolean away;

        @Override
        public Map<Share, Integer> add(List<Share> shares) {
            if (away) {
                throw new IllegalStateException("the database is away");
            }
            statements.add(shares);
            Map<Share, Integer> totals = new HashMap<>();
            shares.forEach(share -> totals.put(share,
                    counts.merge(share.caller() + '/' + share.kind() + '/' + share.windowStart(), share.count(), Integer::sum)));
            return totals;
        }

        @Override
        public void purgeBefore(Instant windowStart) {
            purgedBefore.add(windowStart);
            counts.keySet().removeIf(key -> Instant.parse(key.substring(key.lastIndexOf('/') + 1)).isBefore(windowStart));
        }

        int count(String caller, String kind, Instant window) {
            return counts.getOrDefault(caller + '/' + kind + '/' + window, 0);
        }
    }

    /** An instance that shares only when the test says so. */
    private static RateLimits instance(Counts counts, int posts, int creates, Instant now) {
        RateLimits limits = new RateLimits() {
            @Override
            void shareLater() {
            }
        };
        limits.counters = counts;
        limits.postsPerMinute = posts;
        limits.createsPerMinute = creates;
        limits.markersPerMinute = posts;
        limits.clock = Clock.fixed(now, ZoneOffset.UTC);
        return limits;
    }

    @Property
    void onOneInstanceEachCallerGetsExactlyItsLimitAndNoRequestCostsAStatement(
            @ForAll("requests") List<String> callers, @ForAll @IntRange(min = 1, max = 8) int limit,
            @ForAll @IntRange(min = 0, max = 59_999) int millisIntoTheWindow, @ForAll("shares") List<Boolean> sharesAfter) {
        Counts counts = new Counts();
        RateLimits limits = instance(counts, limit, limit, WINDOW.plusMillis(millisIntoTheWindow));
        Map<String, Integer> allowed = new HashMap<>();
        Map<String, Integer> asked = new HashMap<>();
        for (int i = 0; i < callers.size(); i++) {
            String caller = callers.get(i);
            int before = asked.merge(caller, 1, Integer::sum) - 1;
            int statements = counts.statements.size();
            Decision decision = limits.count(caller, Kind.POSTS);
            assertThat(counts.statements).hasSize(statements);
            assertThat(decision.allowed()).as("request %d of %s", before + 1, caller).isEqualTo(before < limit);
            assertThat(decision.limit()).isEqualTo(limit);
            assertThat(decision.remaining()).isEqualTo(Math.max(0, limit - before - 1));
            long left = (60_000 - millisIntoTheWindow + 999) / 1000;
            assertThat(decision.resetSeconds()).isEqualTo(Math.max(1, left)).isBetween(1L, 60L);
            if (decision.allowed()) {
                allowed.merge(caller, 1, Integer::sum);
            }
            if (i < sharesAfter.size() && sharesAfter.get(i)) {
                limits.share();
            }
        }
        limits.share();
        asked.forEach((caller, requests) -> {
            assertThat(allowed.getOrDefault(caller, 0)).isEqualTo(Math.min(requests, limit));
            assertThat(counts.count(caller, "posts", WINDOW)).isEqualTo(Math.min(requests, limit));
        });
        // One statement per share, for all callers together; a refused request is not counted.
        counts.statements.forEach(statement -> assertThat(statement).extracting(Share::caller).doesNotHaveDuplicates());
    }

    @Example
    void instancesLearnEachOthersCountsWhenTheyShare() {
        Counts counts = new Counts();
        RateLimits first = instance(counts, 4, 4, WINDOW.plusSeconds(10));
        RateLimits second = instance(counts, 4, 4, WINDOW.plusSeconds(10));

        assertThat(first.count("c", Kind.POSTS).remaining()).isEqualTo(3);
        assertThat(first.count("c", Kind.POSTS).remaining()).isEqualTo(2);
        first.share();
        // The second instance has not seen the caller yet: it admits on its own count until it shares.
        assertThat(second.count("c", Kind.POSTS).remaining()).isEqualTo(3);
        second.share();
        assertThat(second.count("c", Kind.POSTS).remaining()).isEqualTo(0);
        assertThat(second.count("c", Kind.POSTS).allowed()).isFalse();
        second.share();
        // The first still knows only its own two and its share: it admits one more before it learns the rest.
        assertThat(first.count("c", Kind.POSTS).allowed()).isTrue();
        first.share();
        assertThat(first.count("c", Kind.POSTS).allowed()).isFalse();
        assertThat(counts.count("c", "posts", WINDOW)).isEqualTo(5);
    }

    @Example
    void countsThatCouldNotBeSharedAreSharedLater() {
        Counts counts = new Counts();
        RateLimits limits = instance(counts, 3, 1, WINDOW);
        limits.count("c", Kind.POSTS);
        counts.away = true;
        limits.share();
        assertThat(limits.count("c", Kind.POSTS).remaining()).isEqualTo(1);
        counts.away = false;
        limits.share();
        assertThat(counts.count("c", "posts", WINDOW)).isEqualTo(2);
        assertThat(limits.count("c", Kind.POSTS).remaining()).isEqualTo(0);
        assertThat(limits.count("c", Kind.POSTS).allowed()).isFalse();
    }

    @Example
    void aNewWindowAllowsAgainAndForgetsTheEarlierCounts() {
        Counts counts = new Counts();
        RateLimits limits = instance(counts, 2, 1, WINDOW.plusSeconds(59));
        assertThat(List.of(limits.count("c", Kind.POSTS).allowed(), limits.count("c", Kind.POSTS).allowed(),
                limits.count("c", Kind.POSTS).allowed())).containsExactly(true, true, false);
        limits.share();
        assertThat(counts.purgedBefore).containsExactly(WINDOW);

        limits.clock = Clock.fixed(WINDOW.plus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        Decision next = limits.count("c", Kind.POSTS);
        assertThat(next.allowed()).isTrue();
        assertThat(next.remaining()).isEqualTo(1);
        assertThat(next.resetSeconds()).isEqualTo(60);
        limits.share();
        assertThat(counts.purgedBefore).containsExactly(WINDOW, WINDOW.plus(Duration.ofMinutes(1)));
        assertThat(counts.counts).containsOnlyKeys("c/posts/" + WINDOW.plus(Duration.ofMinutes(1)));
    }

    @Example
    void kindsAreCountedApart() {
        Counts counts = new Counts();
        RateLimits limits = instance(counts, 3, 1, WINDOW);
        assertThat(limits.count("c", Kind.CREATES).allowed()).isTrue();
        assertThat(limits.count("c", Kind.CREATES).allowed()).isFalse();
        assertThat(limits.count("c", Kind.POSTS).allowed()).isTrue();
        assertThat(limits.count("c", Kind.MARKERS).remaining()).isEqualTo(2);
        limits.share();
        assertThat(counts.statements).hasSize(1);
        assertThat(counts.statements.get(0)).extracting(Share::kind).containsExactlyInAnyOrder("creates", "posts", "markers");
    }

    @Provide
    Arbitrary<List<String>> requests() {
        return Arbitraries.of("alice", "bob", "mallory").list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Boolean>> shares() {
        return Arbitraries.of(true, false).list().ofMaxSize(40);
    }
}
