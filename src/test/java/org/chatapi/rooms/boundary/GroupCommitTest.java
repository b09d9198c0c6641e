package org.chatapi.rooms.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.GroupCommit.Waiting;
import org.chatapi.rooms.boundary.Messages.NewPost;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** Stands in for the database: a batch holding a poison post fails as a whole, as one transaction would. */
    static final class FakeMessages extends Messages {
        final List<List<String>> transactions = new ArrayList<>();
        final List<String> stored = new ArrayList<>();
        RuntimeException failure = new RuntimeException("batch failed", new SQLException("value too long", "22001"));

        @Override
        public List<MessageView> postAll(List<NewPost> posts) {
            transactions.add(posts.stream().map(NewPost::text).toList());
            if (posts.stream().anyMatch(post -> post.text().startsWith("poison"))) {
                throw failure;
            }
            posts.forEach(post -> stored.add(post.text()));
            return posts.stream().map(post -> MessageView.posted(UUID.randomUUID().toString(),
                    post.caller().subject(), post.text(), "2020-10-17T07:27:48.019Z")).toList();
        }
    }

    /** Metrics that count nothing: there is no registry outside the server. */
    static final class NoMetrics extends Metrics {
        @Override
        public void posted(int count) {
        }

        @Override
        public void batch(int size, Duration took) {
        }
    }

    @Test
    void aPostTheDatabaseRefusesFailsAloneAndTheOthersAreStored() {
        GroupCommit groupCommit = new GroupCommit();
        FakeMessages messages = new FakeMessages();
        groupCommit.messages = messages;
        groupCommit.metrics = new NoMetrics();
        List<Waiting> batch = batch("from alice", "poison from mallory", "from bob", "from carol");

        groupCommit.write(batch);

        assertThat(messages.stored).containsExactly("from alice", "from bob", "from carol");
        assertThat(batch.get(0).answer.join().chat()).isEqualTo("from alice");
        assertThat(batch.get(2).answer.join().chat()).isEqualTo("from bob");
        assertThat(batch.get(3).answer.join().chat()).isEqualTo("from carol");
        assertThat(batch.get(1).answer).isCompletedExceptionally();
        assertThat(failureOf(batch.get(1))).isSameAs(messages.failure);
    }

    @Test
    void aDatabaseThatIsAwayFailsTheBatchAtOnceWithoutRetryingEachPost() {
        GroupCommit groupCommit = new GroupCommit();
        FakeMessages messages = new FakeMessages();
        messages.failure = new RuntimeException(new SQLTransientConnectionException("connection refused", "08001"));
        groupCommit.messages = messages;
        groupCommit.metrics = new NoMetrics();
        List<Waiting> batch = batch("poison 1", "two", "three");

        groupCommit.write(batch);

        assertThat(messages.transactions).hasSize(1);
        batch.forEach(waiting -> assertThat(failureOf(waiting)).isSameAs(messages.failure));
    }

    private static List<Waiting> batch(String... texts) {
        List<Waiting> batch = new ArrayList<>();
        for (String text : texts) {
            batch.add(new Waiting(new NewPost(new Caller(text.replace(' ', '-'), Set.of()), UUID.randomUUID(), text)));
        }
        return batch;
    }

    private static Throwable failureOf(Waiting waiting) {
        try {
            waiting.answer.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
