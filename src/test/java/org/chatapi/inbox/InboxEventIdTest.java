package org.chatapi.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.chatapi.inbox.InboxEvents.EventId;
import org.chatapi.inbox.InboxEvents.Start;
import org.chatapi.platform.InvalidRequest;
import org.junit.jupiter.api.Test;

class InboxEventIdTest {

    @Test
    void ordersByTransactionThenSequence() {
        assertThat(EventId.parse("10-7", "id")).isEqualTo(new EventId(10, 7));
        assertThat(new EventId(9, 100)).isLessThan(new EventId(10, 1));
        assertThat(new EventId(10, 1)).isLessThan(new EventId(10, 2));
        assertThat(new EventId(10, 2).toString()).isEqualTo("10-2");
    }

    @Test
    void refusesWhatIsNoEventId() {
        for (String text : new String[] {"", "-", "10", "10-", "-7", "a-b", "10-7-1", "10--7",
                "99999999999999999999-1"}) {
            assertThatThrownBy(() -> EventId.parse(text, "Last-Event-ID")).as(text).isInstanceOf(InvalidRequest.class);
        }
    }

    /** A new stream's events are those of the transactions that had not committed when it started. */
    @Test
    void aStartHoldsWhatHadCommittedBeforeIt() {
        Start start = new Start(100, 105, Set.of(101L, 103L));
        assertThat(start.cursor()).isEqualTo(new EventId(100, 0));
        assertThat(start.before(new EventId(99, 3))).isTrue();
        assertThat(start.before(new EventId(100, 1))).isTrue();
        assertThat(start.before(new EventId(101, 1))).as("running at the start").isFalse();
        assertThat(start.before(new EventId(102, 1))).isTrue();
        assertThat(start.before(new EventId(103, 1))).as("running at the start").isFalse();
        assertThat(start.before(new EventId(105, 1))).as("began after the start").isFalse();
    }
}
