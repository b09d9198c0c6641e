package org.chatapi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @Test
    void makesVersion7IdsThatSortByCreationTime() throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Ids.newId());
            Thread.sleep(2);
        }
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        // PostgreSQL orders uuids by their bytes, as the strings of their canonical form sort.
        assertThat(ids.stream().map(UUID::toString).toList()).isSorted();
        long millis = ids.get(0).getMostSignificantBits() >>> 16;
        assertThat(millis).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
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
