package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chatapi.support.Api;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.EventStream;
import org.chatapi.support.Instance;
import org.chatapi.support.Scrape;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No room's size and no caller's pace can make a request expensive for the server: a room shows its latest message
 * ids only, and each caller has limits, counted by all instances together. The limits are tried on two instances of
 * their own, started with small ones (20 posts and 5 creations a minute, 3 open streams); the server of the class
 * has the suite's, which no test reaches.
 */
class BoundedCostIT extends ServerTest {

    static final int POSTS_PER_MINUTE = 20;
    static final int CREATES_PER_MINUTE = 5;
    static final int STREAMS = 3;

    private static Instance first;
    private static Instance second;

    @BeforeAll
    static void startLimitedInstances() throws Exception {
        Map<String, String> limits = Map.of(
                "CHAT_RATE_POSTS_PER_MINUTE", Integer.toString(POSTS_PER_MINUTE),
                "CHAT_RATE_CREATES_PER_MINUTE", Integer.toString(CREATES_PER_MINUTE),
                "CHAT_MAX_STREAMS_PER_CALLER", Integer.toString(STREAMS));
        first = Instance.launch(Instance.freePort(), limits);
        second = Instance.launch(Instance.freePort(), limits);
        first.awaitReady();
        second.awaitReady();
    }

    @AfterAll
    static void stopLimitedInstances() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aRoomShowsItsLatestThousandIdsWhateverItsSizeAndLinksToTheRest() {
        String room = Seeds.room(alice);
        Seeds.bulkMessages(room, 1200);
        String last = Seeds.message(alice, room, "the latest");

        Reply read = alice.get("/room/" + room);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().getJsonObject("room").getInt("__v")).isEqualTo(1201);
        List<String> shown = Api.chatIds(read.json().getJsonObject("room"));
        List<String> latest = alice.get("/room/" + room + "/chat?after=201&limit=1000").messageIds();
        assertThat(shown).hasSize(1000).isEqualTo(latest).endsWith(last);

        assertThat(read.link("prev")).isEqualTo("/room/" + room + "/chat?before=202");
        Reply earlier = alice.get(read.link("prev"));
        assertThat(earlier.json().getJsonArray("chats").getJsonObject(49).getString("chat")).isEqualTo("message 201");

        String small = Seeds.room(alice);
        Seeds.bulkMessages(small, 1000);
        Reply whole = alice.get("/room/" + small);
        assertThat(Api.chatIds(whole.json().getJsonObject("room"))).hasSize(1000);
        assertThat(whole.link("prev")).isNull();
    }

    @Test
    void aListingShowsTheLatestHundredIdsOfEachRoom() {
        Api pro = Api.at(base).as(Tokens.valid(Tokens.newSubject("counsellor"), "pro"));
        String before = Seeds.room(alice);
        String room = Seeds.room(alice);
        Seeds.bulkMessages(room, 150);

        Reply page = pro.get("/room?limit=1&after=" + before);
        var listed = page.json().getJsonArray("rooms").getJsonObject(0);
        assertThat(listed.getString("_id")).isEqualTo(room);
        assertThat(listed.getInt("__v")).isEqualTo(150);
        assertThat(Api.chatIds(listed))
                .isEqualTo(alice.get("/room/" + room + "/chat?after=50&limit=100").messageIds());
    }

    /**
     * Each instance counts in memory and adds its counts to the shared ones within 50 ms, learning the others' counts
     * from that: on one instance a caller's limit is exact, and an instance that has not learned of the others'
     * posts yet admits what reaches it until its next share (here one post).
     */
    @Test
    void limitsEachCallersPostsOnAllInstancesTogether() throws InterruptedException {
        awaitTimeLeftInTheMinute(Duration.ofSeconds(10));
        String subject = Tokens.newSubject("chatty");
        String token = Tokens.valid(subject);
        Api onFirst = Api.at(first.base()).as(token);
        Api onSecond = Api.at(second.base()).as(token);
        String room = Seeds.room(onFirst);
        Scrape before = Scrape.of(Api.at(first.base()));
        int half = POSTS_PER_MINUTE / 2;

        for (int i = 0; i < half; i++) {
            assertPostAllowed(onFirst, room, POSTS_PER_MINUTE - 1 - i);
        }
        awaitShared(subject, half);
        assertPostAllowed(onSecond, room, POSTS_PER_MINUTE - 1);  // it knows only its own count yet
        awaitShared(subject, half + 1);
        for (int i = half + 1; i < POSTS_PER_MINUTE; i++) {
            assertPostAllowed(onSecond, room, POSTS_PER_MINUTE - 1 - i);
        }
        assertPostRefused(onSecond, room);
        awaitShared(subject, POSTS_PER_MINUTE);

        assertPostAllowed(onFirst, room, POSTS_PER_MINUTE - half - 1);  // it last learned the count at its own share
        awaitShared(subject, POSTS_PER_MINUTE + 1);
        assertPostRefused(onFirst, room);
        assertThat(onFirst.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(POSTS_PER_MINUTE + 1);
        assertThat(Scrape.of(Api.at(first.base())).value("chat_rate_limited_total", "kind=\"posts\"")
                - before.value("chat_rate_limited_total", "kind=\"posts\"")).isEqualTo(1.0);

        Api other = Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("other")));
        assertThat(other.postJson("/room/" + Seeds.room(other) + "/chat", "{\"chat\":\"mine\"}").status()).isEqualTo(201);
    }

    private static void assertPostAllowed(Api caller, String room, int remaining) {
        Reply posted = caller.postJson("/room/" + room + "/chat", "{\"chat\":\"" + remaining + " left\"}");
        assertThat(posted.status()).as("post with %d left: %s", remaining, posted).isEqualTo(201);
        assertThat(posted.header("RateLimit-Policy")).contains("\"posts\";q=" + POSTS_PER_MINUTE + ";w=60");
        assertThat(posted.header("RateLimit").orElseThrow()).startsWith("\"posts\";r=" + remaining + ";t=");
    }

    private static void assertPostRefused(Api caller, String room) {
        Reply refused = caller.postJson("/room/" + room + "/chat", "{\"chat\":\"one too many\"}");
        assertRoomProblem(refused, 429);
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.header("RateLimit").orElseThrow()).isEqualTo("\"posts\";r=0;t=" + retryAfter);
    }

    /** Waits until the instances have added the caller's posts to the shared count. */
    private static void awaitShared(String subject, int posts) throws InterruptedException {
        Await.until("the shared count of " + subject + " at " + posts, WAIT, () -> Database.count(
                "SELECT coalesce(sum(count), 0) FROM rate_counter WHERE caller_sub = ? AND kind = 'posts'", subject) == posts);
    }

    @Test
    void limitsEachCallersCreations() {
        awaitTimeLeftInTheMinute(Duration.ofSeconds(10));
        Api creator = Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("builder")));
        String room = null;
        for (int i = 0; i < CREATES_PER_MINUTE; i++) {
            room = Seeds.room(creator);
        }
        assertRoomProblem(creator.post("/room"), 429);
        assertRoomProblem(creator.post("/room/" + room + "/events/tickets"), 429);
        assertThat(creator.postJson("/room/" + room + "/chat", "{\"chat\":\"posts are counted apart\"}").status())
                .isEqualTo(201);
    }

    /**
     * A caller flooding an instance with posts gets its limit's worth of 201s and 429s for the rest; another caller
     * posting meanwhile gets every post answered 201. The latency of its posts with and without the flood is printed.
     */
    @Test
    void aFloodingCallerLeavesOtherCallersAnswered() throws Exception {
        awaitTimeLeftInTheMinute(Duration.ofSeconds(10));
        Api flooder = Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("flooder")));
        String floodedRoom = Seeds.room(flooder);
        Api calm = Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("calm")));
        String calmRoom = Seeds.room(calm);
        List<Long> alone = timedPosts(Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("alone"))), 8);

        ConcurrentLinkedQueue<Integer> floodStatuses = new ConcurrentLinkedQueue<>();
        ExecutorService flood = Executors.newFixedThreadPool(8);
        AtomicBoolean flooding = new AtomicBoolean(true);
        for (int t = 0; t < 8; t++) {
            flood.submit(() -> {
                while (flooding.get()) {
                    floodStatuses.add(flooder.postJson("/room/" + floodedRoom + "/chat", "{\"chat\":\"flood\"}").status());
                }
            });
        }
        // The calm caller posts once the flood is refused, and the flood goes on until it is done.
        Await.until("the flood refused", WAIT, () -> floodStatuses.contains(429));
        List<Long> during = timedPosts(calm, 8, calmRoom);
        flooding.set(false);
        flood.shutdown();
        assertThat(flood.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(floodStatuses).containsOnly(201, 429);
        assertThat(floodStatuses.stream().filter(status -> status == 201)).hasSize(POSTS_PER_MINUTE);
        System.out.printf("Posts of another caller: alone p50 %d ms max %d ms; beside a flood of %d posts "
                        + "(%d refused) p50 %d ms max %d ms%n", median(alone), Collections.max(alone), floodStatuses.size(),
                floodStatuses.stream().filter(status -> status == 429).count(), median(during), Collections.max(during));
    }

    @Test
    void limitsTheStreamsACallerHoldsOpenOnAnInstance() throws Exception {
        String token = Tokens.valid(Tokens.newSubject("watcher"));
        Api watcher = Api.at(first.base()).as(token);
        String room = Seeds.room(watcher);
        URI events = URI.create(first.base() + "room/" + room + "/events");
        List<EventStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                EventStream stream = EventStream.open(events, token, null);
                assertThat(stream.status()).isEqualTo(200);
                open.add(stream);
            }
            Scrape before = Scrape.of(Api.at(first.base()));
            try (EventStream refused = EventStream.open(events, token, null)) {
                assertThat(refused.status()).isEqualTo(429);
            }
            assertThat(Scrape.of(Api.at(first.base())).value("chat_rate_limited_total", "kind=\"streams\"")
                    - before.value("chat_rate_limited_total", "kind=\"streams\"")).isEqualTo(1.0);
            String others = Tokens.valid(Tokens.newSubject("neighbour"), "pro");
            try (EventStream neighbour = EventStream.open(events, others, null)) {
                assertThat(neighbour.status()).isEqualTo(200);
            }

            open.remove(0).close();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                EventStream again = EventStream.open(events, token, null);
                status = again.status();
                if (status == 200) {
                    open.add(again);
                } else {
                    again.close();
                    Thread.sleep(250);
                }
            }
            assertThat(status).as("a stream once one was closed").isEqualTo(200);
        } finally {
            open.forEach(EventStream::close);
        }
    }

    private static List<Long> timedPosts(Api caller, int count) {
        return timedPosts(caller, count, Seeds.room(caller));
    }

    private static List<Long> timedPosts(Api caller, int count, String room) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            Reply posted = caller.postJson("/room/" + room + "/chat", "{\"chat\":\"calm " + i + "\"}");
            millis.add((System.nanoTime() - started) / 1_000_000);
            assertThat(posted.status()).as("%s", posted).isEqualTo(201);
        }
        return millis;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Limits count per whole minute: a test that needs its counts in one window waits for a fresh one if needed. */
    private static void awaitTimeLeftInTheMinute(Duration needed) {
        Instant now = Instant.now();
        Instant next = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        if (Duration.between(now, next).compareTo(needed) < 0) {
            try {
                Thread.sleep(Duration.between(now, next).toMillis() + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
