package org.chatapi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsAndPagesTest {

    @Test
    void formatsWithMillisecondsAlways() {
        assertThat(Timestamps.format(Instant.parse("2020-10-17T07:27:48Z"))).isEqualTo("2020-10-17T07:27:48.000Z");
        assertThat(Timestamps.format(Instant.parse("2020-10-17T07:27:48.019654Z"))).isEqualTo("2020-10-17T07:27:48.019Z");
        assertThat(Timestamps.now().getNano() % 1_000_000).isZero();
    }

    @Test
    void readsPageLimits() {
        assertThat(Pages.limit(null, 50, 1000)).isEqualTo(50);
        assertThat(Pages.limit("1", 50, 1000)).isEqualTo(1);
        assertThat(Pages.limit("1000", 50, 1000)).isEqualTo(1000);
        for (String bad : new String[] {"0", "-1", "1001", "", "ten", "1.5", "99999999999"}) {
            assertThatThrownBy(() -> Pages.limit(bad, 50, 1000)).isInstanceOf(InvalidRequest.class);
        }
    }
}
