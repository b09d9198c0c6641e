package org.chatapi.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.chatapi.platform.InvalidRequest;
import org.junit.jupiter.api.Test;

class InboxCursorTest {

    @Test
    void keepsTheDatabasesMicrosecondsThroughItsText() {
        InboxCursor cursor = new InboxCursor(Instant.parse("2026-12-01T10:15:30.123456Z"), UUID.randomUUID());
        assertThat(cursor.toString()).startsWith("1796120130123456_");
        assertThat(InboxCursor.parse(cursor.toString(), "after")).isEqualTo(cursor);
    }

    @Test
    void refusesWhatNoLinkOfTheInboxHolds() {
        String id = UUID.randomUUID().toString();
        for (String text : new String[] {"", "_", "yesterday", "12345", "_" + id, "-5_" + id, "1234567890123456789_" + id,
                "12_not-an-id", "1.5_" + id}) {
            assertThatThrownBy(() -> InboxCursor.parse(text, "after")).as(text).isInstanceOf(InvalidRequest.class);
        }
    }
}
