package org.chatapi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @Test
    void makesVersion7IdsThatSortByCreationTimeWithinAMillisecondToo() throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.newId());
        }
        Thread.sleep(2);
        ids.add(Ids.newId());
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        // PostgreSQL orders uuids by their bytes, as the strings of their canonical form sort.
        List<String> texts = ids.stream().map(UUID::toString).toList();
        assertThat(texts).isSorted().doesNotHaveDuplicates();
        Set<Long> milliseconds = ids.stream().map(id -> id.getMostSignificantBits() >>> 16).collect(Collectors.toSet());
        assertThat(milliseconds).as("ids made within one millisecond").hasSizeLessThan(ids.size());
        long millis = ids.get(0).getMostSignificantBits() >>> 16;
        assertThat(millis).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    }

    @Test
    void idsMadeOnSeveralThreadsAreDistinctAndInOrderOnEach() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> made = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                made.add(threads.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        ids.add(Ids.newId().toString());
                    }
                    return ids;
                }));
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> ofThread : made) {
                assertThat(ofThread.get()).isSorted();
                all.addAll(ofThread.get());
            }
            assertThat(all).hasSize(80_000);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void parsesCanonicalIds() {
        assertThat(Ids.parse("0190C5A4-0000-7000-8000-00000000000A", "id"))
                .isEqualTo(UUID.fromString("0190c5a4-0000-7000-8000-00000000000a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "5f8d80cab253f82b2247169a", "1-1-1-1-1", "0190c5a4-0000-7000-8000-00000000000",
            "0190c5a4-0000-7000-8000-00000000000g", "{0190c5a4-0000-7000-8000-000000000000}"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> Ids.parse(text, "id")).isInstanceOf(InvalidRequest.class).hasMessageContaining("\"id\"");
    }
}
