package org.chatapi.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.TooManyRequests;

class StreamQuotaTest {

    /** One step of a caller: open a stream (take) or end one of its open streams (release). */
    record Step(String caller, boolean open) {
    }

    /** Counts the refusals it is told of; nothing else of the metrics is used by the quota. */
    static final class CountingMetrics extends Metrics {
        final List<String> limited = new ArrayList<>();

        @Override
        public void limited(String kind) {
            limited.add(kind);
        }
    }

    @Property
    void admitsAStreamExactlyWhileTheCallerHoldsFewerThanItsMost(@ForAll("steps") List<Step> steps,
                                                                 @ForAll @IntRange(min = 1, max = 4) int max) {
        StreamQuota quota = new StreamQuota("room streams", max, 7);
        CountingMetrics metrics = new CountingMetrics();
        Map<String, Integer> held = new HashMap<>();
        int refused = 0;
        for (Step step : steps) {
            int open = held.getOrDefault(step.caller(), 0);
            if (!step.open()) {
                if (open > 0) {
                    quota.release(step.caller());
                    held.put(step.caller(), open - 1);
                }
            } else if (open < max) {
                quota.take(step.caller(), metrics);
                held.put(step.caller(), open + 1);
            } else {
                assertThatThrownBy(() -> quota.take(step.caller(), metrics))
                        .isInstanceOfSatisfying(TooManyRequests.class, refusal -> {
                            assertThat(refusal.headers()).containsEntry("Retry-After", "7");
                            assertThat(refusal.getMessage()).contains(max + " room streams");
                        });
                refused++;
            }
        }
        assertThat(metrics.limited).hasSize(refused).allMatch("streams"::equals);
        // Once every stream has ended, each caller may hold its most again.
        held.forEach((caller, open) -> {
            for (int i = 0; i < open; i++) {
                quota.release(caller);
            }
            for (int i = 0; i < max; i++) {
                quota.take(caller, metrics);
            }
        });
        assertThat(metrics.limited).hasSize(refused);
    }

    @Property
    void aCallerAtItsMostLeavesOthersAdmitted(@ForAll @IntRange(min = 1, max = 5) int max) {
        StreamQuota quota = new StreamQuota("inbox streams", max, 1);
        CountingMetrics metrics = new CountingMetrics();
        for (int i = 0; i < max; i++) {
            quota.take("full", metrics);
        }
        assertThatThrownBy(() -> quota.take("full", metrics)).isInstanceOf(TooManyRequests.class);
        quota.take("other", metrics);
        quota.release("full");
        quota.take("full", metrics);
        assertThat(metrics.limited).containsExactly("streams");
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Arbitraries.of("a", "b", "c").flatMap(caller ->
                Arbitraries.of(true, true, false).map(open -> new Step(caller, open)));
        return step.list().ofMaxSize(60);
    }
}
