package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Database;
import org.chatapi.support.Deployments;
import org.chatapi.support.EventStream;
import org.chatapi.support.EventStream.Event;
import org.chatapi.support.SecondInstance;
import org.chatapi.support.Seeds;
import org.chatapi.support.Tokens;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History pages, idempotent POSTs and live delivery, on one instance and across two sharing the database. */
@ExtendWith(ArquillianExtension.class)
class MessageFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war();
    }

    @ArquillianResource
    URL base;

    String aliceToken;
    Api alice;
    Api bob;

    @BeforeEach
    void callers() {
        aliceToken = Tokens.valid(Tokens.newSubject("alice"));
        alice = Api.at(base).as(aliceToken);
        bob = Api.at(base).as(Tokens.valid(Tokens.newSubject("bob")));
    }

    // --- history ---

    @Test
    void pagesThroughHistoryInPostOrderBothWays() {
        String room = Seeds.room(alice);
        List<String> posted = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            posted.add(Seeds.message(alice, room, "message " + i));
        }

        Reply first = alice.get("/room/" + room + "/chat?limit=3");
        assertThat(first.status()).isEqualTo(200);
        assertThat(ids(first)).containsExactlyElementsOf(posted.subList(0, 3));
        assertThat(first.json().getJsonArray("chats").getJsonObject(0).getString("chat")).isEqualTo("message 1");
        assertThat(link(first, "prev")).isNull();
        Reply second = alice.get(link(first, "next"));
        assertThat(ids(second)).containsExactlyElementsOf(posted.subList(3, 6));
        Reply third = alice.get(link(second, "next"));
        assertThat(ids(third)).containsExactlyElementsOf(posted.subList(6, 7));
        assertThat(link(third, "next")).isNull();
        assertThat(ids(alice.get(link(third, "prev")))).containsExactlyElementsOf(posted.subList(3, 6));

        Reply latest = alice.get("/room/" + room + "/chat?limit=2&before=8");
        assertThat(ids(latest)).containsExactlyElementsOf(posted.subList(5, 7));
        assertThat(ids(alice.get(link(latest, "prev")))).containsExactlyElementsOf(posted.subList(3, 5));
        assertThat(ids(alice.get("/room/" + room + "/chat?after=2&before=5"))).containsExactlyElementsOf(posted.subList(2, 4));
        assertThat(ids(alice.get("/room/" + room + "/chat"))).containsExactlyElementsOf(posted);
        assertThat(ids(alice.get("/room/" + room + "/chat?after=7"))).isEmpty();
    }

    @Test
    void pagesHistoryFiftyAtATimeByDefault() {
        String room = Seeds.room(alice);
        List<CompletableFuture<Reply>> posts = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            posts.add(alice.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"message " + i + "\"}"));
        }
        posts.forEach(post -> assertThat(post.join().status()).isEqualTo(201));

        Reply first = alice.get("/room/" + room + "/chat");
        assertThat(ids(first)).hasSize(50);
        Reply rest = alice.get(link(first, "next"));
        assertThat(ids(rest)).hasSize(1).doesNotContainAnyElementsOf(ids(first));
        assertThat(link(rest, "next")).isNull();
    }

    @Test
    void refusesBadHistoryRequests() {
        String room = Seeds.room(alice);
        for (String query : List.of("limit=0", "limit=1001", "limit=x", "after=-1", "after=x", "before=-3", "before=1.5")) {
            assertRoomProblem(alice.get("/room/" + room + "/chat?" + query), 400);
        }
        assertRoomProblem(bob.get("/room/" + room + "/chat"), 403);
        assertRoomProblem(alice.get("/room/" + UUID.randomUUID() + "/chat"), 404);
        assertRoomProblem(Api.at(base).get("/room/" + room + "/chat"), 401);
    }

    @Test
    void followingNextWhileOthersPostYieldsEveryMessageExactlyOnce() throws Exception {
        String room = Seeds.room(alice);
        ExecutorService posters = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int poster = p;
            running.add(posters.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    Seeds.message(alice, room, "poster " + poster + " message " + i);
                }
            }));
        }
        List<String> seen = new ArrayList<>();
        String next = "/room/" + room + "/chat?limit=7";
        while (true) {
            boolean postersDone = running.stream().allMatch(Future::isDone);
            Reply page = alice.get(next);
            seen.addAll(ids(page));
            String following = link(page, "next");
            if (following != null) {
                next = following;
            } else if (postersDone) {
                break;
            } else {
                next = "/room/" + room + "/chat?limit=7&after=" + seen.size();
                Thread.sleep(20);
            }
        }
        for (Future<?> poster : running) {
            poster.get();
        }
        posters.shutdown();

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(seen).hasSize(100).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(read.getJsonArray("chats").getValuesAs(JsonString.class)
                .stream().map(JsonString::getString).toList());
    }

    // --- idempotency ---

    @Test
    void replaysTheStoredResponseOfAMessagePost() {
        String room = Seeds.room(alice);
        Api keyed = alice.header("Idempotency-Key", "post-" + UUID.randomUUID());

        Reply first = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"exactly once\"}");
        Reply replay = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"exactly once\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        assertThat(replay.header("Idempotent-Replayed")).hasValue("true");
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);

        assertProblem(keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"something else\"}"), 422);
        assertProblem(keyed.postForm("/room/" + room + "/chat", "chat", "exactly once"), 422);
        assertProblem(keyed.postJson("/room/" + Seeds.room(alice) + "/chat", "{\"chat\":\"exactly once\"}"), 422);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    void keepsKeysPerCaller() {
        String key = "shared-" + UUID.randomUUID();
        Reply alices = alice.header("Idempotency-Key", key).post("/room");
        Reply bobs = bob.header("Idempotency-Key", key).post("/room");

        assertThat(alices.status()).isEqualTo(201);
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.json().getJsonObject("newRoom").getString("_id"))
                .isNotEqualTo(alices.json().getJsonObject("newRoom").getString("_id"));
        assertThat(alice.header("Idempotency-Key", key).post("/room").body()).isEqualTo(alices.body());
    }

    @Test
    void storesExactlyOneMessageForConcurrentRequestsWithOneKey() {
        String room = Seeds.room(alice);
        Api keyed = alice.header("Idempotency-Key", "race-" + UUID.randomUUID());
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            replies.add(keyed.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"only one of us\"}"));
        }
        List<Reply> done = replies.stream().map(CompletableFuture::join).toList();

        // Each is the first (201), a replay of its stored response (201) or one that met it still running (409):
        // which of the last two happens depends on timing.
        assertThat(done).extracting(Reply::status).isSubsetOf(201, 409).contains(201);
        done.stream().filter(reply -> reply.status() == 409).forEach(reply -> assertProblem(reply, 409));
        assertThat(done.stream().filter(reply -> reply.status() == 201).map(Reply::body).distinct()).hasSize(1);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
        Reply later = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"only one of us\"}");
        assertThat(later.status()).isEqualTo(201);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    void freesTheKeyOfAFailedRequest() {
        String room = Seeds.room(alice);
        Api keyed = alice.header("Idempotency-Key", "retry-" + UUID.randomUUID());

        assertRoomProblem(keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"\"}"), 400);
        Reply retried = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"fixed\"}");

        assertThat(retried.status()).isEqualTo(201);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    void makesChatCreationAndConversionIdempotent() {
        String audience = "school-" + UUID.randomUUID();
        Api tenant = Api.at(base).as(Tokens.valid(Tokens.newSubject("tenant"), "audience:" + audience))
                .header("Idempotency-Key", "chat-" + UUID.randomUUID());
        String body = Json.createObjectBuilder().add("scope", "lesson").add("audience", audience).build().toString();

        Reply first = tenant.postJson("/api/v1/chats", body);
        Reply replay = tenant.postJson("/api/v1/chats", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());

        String room = Seeds.room(tenant.header("Idempotency-Key", "room-" + UUID.randomUUID()));
        Api converter = tenant.header("Idempotency-Key", "convert-" + UUID.randomUUID());
        String convert = Json.createObjectBuilder().add("scope", "converted").add("audience", audience)
                .add("event_room_id", room).build().toString();
        Reply converted = converter.postJson("/api/v1/chats/convert", convert);
        assertThat(converted.status()).isEqualTo(201);
        assertThat(converter.postJson("/api/v1/chats/convert", convert).body()).isEqualTo(converted.body());
        assertThat(Database.count("SELECT count(*) FROM chat WHERE audience = ?", audience)).isEqualTo(2);
    }

    @Test
    void keepsKeysAtLeastADayAndForgetsThemAfterwards() {
        String room = Seeds.room(alice);
        String key = "ttl-" + UUID.randomUUID();
        Api keyed = alice.header("Idempotency-Key", key);
        keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"first\"}");

        assertThat(Database.count("SELECT count(*) FROM idempotency_key WHERE key = ? "
                + "AND expires_at >= claimed_at + interval '24 hours'", key)).isEqualTo(1);
        Database.count("WITH expired AS (UPDATE idempotency_key SET claimed_at = claimed_at - interval '2 days', "
                + "expires_at = now() - interval '1 second' WHERE key = ? RETURNING 1) SELECT count(*) FROM expired", key);
        assertThat(keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"first\"}").header("Idempotent-Replayed")).isEmpty();
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(2);
    }

    @Test
    void refusesMalformedKeys() {
        String room = Seeds.room(alice);
        assertRoomProblem(alice.header("Idempotency-Key", "k".repeat(256)).postJson("/room/" + room + "/chat", "{\"chat\":\"x\"}"), 400);
        assertRoomProblem(alice.header("Idempotency-Key", "with space").postJson("/room/" + room + "/chat", "{\"chat\":\"x\"}"), 400);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isZero();
    }

    // --- live delivery ---

    @Test
    void streamsEachNewMessageOnceWithItsPosition() throws Exception {
        String room = Seeds.room(alice);
        Seeds.message(alice, room, "before subscribing");
        try (EventStream events = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, null)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            Thread.sleep(300);
            List<String> posted = List.of(Seeds.message(alice, room, "one"), Seeds.message(alice, room, "two"), Seeds.message(alice, room, "three"));

            List<Event> received = events.messagesUntilQuiet(Duration.ofSeconds(3));
            assertThat(received).extracting(Event::id).containsExactly("2", "3", "4");
            assertThat(received).extracting(event -> json(event.data()).getString("_id")).containsExactlyElementsOf(posted);
            assertThat(json(received.get(0).data()).getString("chat")).isEqualTo("one");
        }
    }

    @Test
    void resumesExactlyAfterTheLastEventId() throws Exception {
        String room = Seeds.room(alice);
        List<String> posted = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            posted.add(Seeds.message(alice, room, "missed " + i));
        }
        try (EventStream events = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, "2")) {
            assertThat(events.nextMessage(WAIT).id()).isEqualTo("3");
            assertThat(events.nextMessage(WAIT).id()).isEqualTo("4");
            assertThat(events.nextMessage(WAIT).id()).isEqualTo("5");
            posted.add(Seeds.message(alice, room, "live"));
            Event live = events.nextMessage(WAIT);
            assertThat(live.id()).isEqualTo("6");
            assertThat(json(live.data()).getString("_id")).isEqualTo(posted.get(5));
            assertThat(events.messagesUntilQuiet(Duration.ofSeconds(2))).isEmpty();
        }
    }

    @Test
    void sendsHeartbeatsWhileIdle() throws Exception {
        String room = Seeds.room(alice);
        try (EventStream events = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, null)) {
            assertThat(events.nextComment(WAIT)).isNotNull();
            assertThat(events.nextComment(WAIT)).extracting(Event::comment).isEqualTo("heartbeat");
        }
    }

    @Test
    void refusesStreamsTheCallerMayNotRead() {
        String room = Seeds.room(alice);
        assertRoomProblem(bob.get("/room/" + room + "/events"), 403);
        assertRoomProblem(alice.get("/room/" + UUID.randomUUID() + "/events"), 404);
        assertRoomProblem(alice.header("Last-Event-ID", "yesterday").get("/room/" + room + "/events"), 400);
        assertRoomProblem(Api.at(base).get("/room/" + room + "/events"), 401);
    }

    @Test
    void deliversAcrossTwoInstancesSharingTheDatabase() throws Exception {
        try (SecondInstance second = SecondInstance.start()) {
            Api aliceOnSecond = Api.at(second.base()).as(aliceToken);
            String room = Seeds.room(alice);
            try (EventStream onSecond = EventStream.open(uri(second.base(), "/room/" + room + "/events"), aliceToken, null);
                 EventStream onFirst = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, null)) {
                Thread.sleep(300);
                String fromFirst = Seeds.message(alice, room, "posted on the first instance");
                String fromSecond = Seeds.message(aliceOnSecond, room, "posted on the second instance");

                for (EventStream events : List.of(onSecond, onFirst)) {
                    Event one = events.nextMessage(WAIT);
                    Event two = events.nextMessage(WAIT);
                    assertThat(List.of(one.id(), two.id())).containsExactly("1", "2");
                    assertThat(List.of(json(one.data()).getString("_id"), json(two.data()).getString("_id")))
                            .containsExactly(fromFirst, fromSecond);
                }
            }
            assertThat(aliceOnSecond.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(2);
        }
    }

    private static List<String> ids(Reply page) {
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        return page.json().getJsonArray("chats").getValuesAs(JsonObject.class).stream()
                .map(message -> message.getString("_id")).toList();
    }

    private static String link(Reply reply, String rel) {
        Pattern pattern = Pattern.compile("<([^>]+)>;\\s*rel=\"" + rel + "\"");
        return reply.raw().headers().allValues("Link").stream()
                .map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null);
    }

    private static URI uri(URL base, String path) throws Exception {
        return base.toURI().resolve(path.substring(1));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new java.io.StringReader(text)).readObject();
    }
}
