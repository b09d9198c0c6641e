package org.chatapi.rooms.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessagePageTest {

    @Test
    void hasANextPageWhileMessagesFollowItsLast() {
        assertThat(page(1, 3, 7).hasNext(0)).isTrue();
        assertThat(page(5, 7, 7).hasNext(4)).isFalse();
    }

    @Test
    void anEmptyPageHasANextPageOnlyIfMessagesFollowItsCursor() {
        assertThat(new MessagePage(List.of(), 7, 0).hasNext(5)).isTrue();
        assertThat(new MessagePage(List.of(), 7, 0).hasNext(7)).isFalse();
        assertThat(new MessagePage(List.of(), 0, 0).hasNext(0)).isFalse();
    }

    @Test
    void hasAPreviousPageUnlessItStartsAtTheFirstMessage() {
        assertThat(page(1, 3, 7).hasPrevious()).isFalse();
        assertThat(page(2, 3, 7).hasPrevious()).isTrue();
        assertThat(new MessagePage(List.of(), 7, 0).hasPrevious()).isFalse();
    }

    @Test
    void hasNoPreviousPageWhereRetentionRemovedTheMessagesBeforeIt() {
        assertThat(page(6, 8, 8, 5).hasPrevious()).isFalse();
        assertThat(page(7, 8, 8, 5).hasPrevious()).isTrue();
    }

    private static MessagePage page(int first, int last, int count) {
        return page(first, last, count, 0);
    }

    private static MessagePage page(int first, int last, int count, int purgedThrough) {
        return new MessagePage(IntStream.rangeClosed(first, last)
                .mapToObj(position -> new PositionedMessage(position,
                        MessageView.posted("id-" + position, "alice", "text " + position, "2020-10-17T07:27:48.019Z")))
                .toList(), count, purgedThrough);
    }
}
