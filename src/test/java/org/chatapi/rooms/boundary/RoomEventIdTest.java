package org.chatapi.rooms.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.chatapi.platform.InvalidRequest;
import org.junit.jupiter.api.Test;

class RoomEventIdTest {

    @Test
    void aPostIsItsPositionAndAChangeFollowsThePostBeforeIt() {
        assertThat(RoomEventId.parse("7", "Last-Event-ID")).isEqualTo(new RoomEventId(7, 0));
        assertThat(RoomEventId.parse(" 7.3 ", "Last-Event-ID")).isEqualTo(new RoomEventId(7, 3));
        assertThat(new RoomEventId(7, 0)).hasToString("7");
        assertThat(new RoomEventId(7, 3)).hasToString("7.3");
        List<RoomEventId> shuffled = new ArrayList<>(List.of(new RoomEventId(8, 0), new RoomEventId(7, 4),
                new RoomEventId(7, 0), new RoomEventId(8, 5), new RoomEventId(7, 3)));
        Collections.shuffle(shuffled);
        assertThat(shuffled.stream().sorted().map(RoomEventId::toString)).containsExactly("7", "7.3", "7.4", "8", "8.5");
    }

    @Test
    void aResumePointIsNeverAfterTheLatestEvent() {
        RoomEventId latest = new RoomEventId(7, 3);
        assertThat(new RoomEventId(9, 0).atMost(latest)).isEqualTo(latest);
        assertThat(new RoomEventId(7, 9).atMost(latest)).isEqualTo(latest);
        assertThat(new RoomEventId(7, 1).atMost(latest)).isEqualTo(new RoomEventId(7, 1));
    }

    @Test
    void anythingElseIsABadRequestNamingTheParameter() {
        for (String bad : List.of("", ".", "7.", ".3", "7.3.1", "-1", "7.-1", "x", "7.x", "2147483648", "1e3", "7,3")) {
            assertThatThrownBy(() -> RoomEventId.parse(bad, "last_event_id")).as(bad)
                    .isInstanceOf(InvalidRequest.class).hasMessageContaining("\"last_event_id\"");
        }
    }

    @Property
    void everyIdReadsBackAsItself(@ForAll @IntRange(min = 0) int position, @ForAll @IntRange(min = 0) int change) {
        RoomEventId id = new RoomEventId(position, change);
        assertThat(RoomEventId.parse(id.toString(), "id")).isEqualTo(id);
    }
}
