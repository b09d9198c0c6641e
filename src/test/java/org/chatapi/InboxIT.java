package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.EventStream.Event;
import org.chatapi.support.Scrape;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.SharedServer;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.Test;

/** The inbox: the rooms a caller may read, read markers, exact unread counts, waiting rooms, the inbox stream. */
class InboxIT extends ServerTest {

    @Test
    void listsTheRoomsEachCallerMayReadTheMostActiveFirst() {
        String first = Seeds.room(alice);
        String second = Seeds.room(alice);
        String bobs = Seeds.room(bob);
        Seeds.message(alice, first, "now the most active");
        String audience = "school-" + UUID.randomUUID();
        Api teacher = as(Tokens.newSubject("teacher"), "audience:" + audience);
        Api pupil = as(Tokens.newSubject("pupil"), "audience:" + audience);
        String eventRoom = eventRoomOf(teacher, audience, "lesson-1");

        assertThat(roomIds(alice.get("/inbox"))).containsExactly(first, second);
        assertThat(roomIds(bob.get("/inbox"))).containsExactly(bobs);
        assertThat(roomIds(pupil.get("/inbox"))).containsExactly(eventRoom);
        assertThat(roomIds(teacher.get("/inbox"))).as("owner and member of its audience: once").containsExactly(eventRoom);
        assertThat(roomIds(as(Tokens.newSubject("counsellor"), "pro").get("/inbox?limit=1000")))
                .containsSubsequence(eventRoom, first, bobs, second);
        assertRoomProblem(alice.get("/room"), 403);

        JsonObject room = rooms(alice.get("/inbox")).get(0);
        assertThat(room.getString("_id")).isEqualTo(first);
        assertThat(room.getInt("__v")).isEqualTo(1);
        assertThat(room.getJsonArray("chats")).hasSize(1);
        assertThat(room.getInt("readPosition")).isZero();
        assertThat(room.getInt("unread")).isZero();
        assertThat(room.isNull("waitingSince")).isFalse();

        Reply page = alice.get("/inbox?limit=1");
        assertThat(roomIds(page)).containsExactly(first);
        Reply next = alice.get(page.link("next"));
        assertThat(roomIds(next)).containsExactly(second);
        assertThat(next.header("Link")).isEmpty();

        assertProblem(alice.get("/inbox?after=yesterday"), 400);
        assertProblem(alice.get("/inbox?waiting=maybe"), 400);
        assertProblem(alice.get("/inbox?limit=0"), 400);
    }

    @Test
    void markersOnlyMoveForwardAndAreRefusedPrecisely() {
        Api pro = as(Tokens.newSubject("counsellor"), "pro");
        String room = Seeds.room(alice);
        List<String> ids = new ArrayList<>();
        ids.add(Seeds.message(alice, room, "1"));
        ids.add(Seeds.message(alice, room, "2"));
        ids.add(Seeds.message(pro, room, "3"));
        ids.add(Seeds.message(pro, room, "4"));
        ids.add(Seeds.message(pro, room, "5"));
        ids.add(Seeds.message(alice, room, "6"));
        JsonObject none = marker(alice.get("/room/" + room + "/marker"));
        assertThat(none.getInt("position")).isZero();
        assertThat(none.isNull("chat")).isTrue();
        assertThat(none.isNull("updatedAt")).isTrue();
        assertThat(none.getInt("unread")).isEqualTo(3);

        JsonObject marked = marker(alice.putJson("/room/" + room + "/marker", "{\"position\": 4}"));
        assertThat(marked.getInt("position")).isEqualTo(4);
        assertThat(marked.getString("chat")).isEqualTo(ids.get(3));
        assertThat(marked.getInt("unread")).isEqualTo(1);
        assertThat(marker(alice.putJson("/room/" + room + "/marker", "{\"position\": 2}")).getInt("position"))
                .as("an earlier marker changes nothing").isEqualTo(4);
        JsonObject byId = marker(alice.putJson("/room/" + room + "/marker", "{\"chat\": \"" + ids.get(4) + "\"}"));
        assertThat(byId.getInt("position")).isEqualTo(5);
        assertThat(byId.getInt("unread")).isZero();

        String elsewhere = Seeds.message(alice, Seeds.room(alice), "another room");
        String rows = Database.rowCounts();
        assertRoomProblem(alice.putJson("/room/" + room + "/marker", "{\"position\": 7}"), 409);
        assertRoomProblem(alice.putJson("/room/" + room + "/marker", "{\"chat\": \"" + elsewhere + "\"}"), 400);
        assertRoomProblem(alice.putJson("/room/" + room + "/marker", "{\"chat\": \"" + UUID.randomUUID() + "\"}"), 404);
        assertRoomProblem(bob.putJson("/room/" + room + "/marker", "{\"position\": 1}"), 403);
        assertRoomProblem(bob.get("/room/" + room + "/marker"), 403);
        assertRoomProblem(alice.putJson("/room/" + UUID.randomUUID() + "/marker", "{\"position\": 1}"), 404);
        for (String body : List.of("{}", "{\"position\": 1, \"chat\": \"" + ids.get(0) + "\"}", "{\"position\": -1}",
                "{\"position\": 1.5}", "{\"position\": \"1\"}", "{\"position\": 2147483648}", "{\"chat\": 5}",
                "{\"chat\": \"not-an-id\"}", "[]", "position=1")) {
            assertRoomProblem(alice.putJson("/room/" + room + "/marker", body), 400);
        }
        assertRoomProblem(alice.post("/room/" + room + "/marker", "application/x-www-form-urlencoded", "position=1"),
                405);
        assertThat(Database.rowCounts()).as("refusals write nothing").isEqualTo(rows);

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("readPosition")).isEqualTo(5);
        assertThat(read.getInt("unread")).isZero();
        assertThat(pro.get("/room/" + room).json().getJsonObject("room").getInt("unread")).isEqualTo(3);
    }

    /**
     * Clients and a counsellor post into many rooms at once and move their markers concurrently, out of order;
     * then every unread count the API gives equals a count of the message table, and every marker is the furthest
     * one acknowledged.
     */
    @Test
    void unreadCountsStayExactUnderConcurrentPostsAndMarkers() throws Exception {
        Api pro = as(Tokens.newSubject("counsellor"), "pro");
        List<Api> clients = IntStream.range(0, 8).mapToObj(i -> as(Tokens.newSubject("client"))).toList();
        List<String> rooms = clients.stream().map(Seeds::room).toList();
        Map<String, List<String>> posted = new ConcurrentHashMap<>();
        Map<String, Integer> furthest = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int r = 0; r < rooms.size(); r++) {
                String room = rooms.get(r);
                posted.put(room, new CopyOnWriteArrayList<>());
                for (Api writer : List.of(clients.get(r), pro)) {
                    Random random = new Random(r * 31L + writer.hashCode());
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            // Every other post with an Idempotency-Key: written in a transaction of its own, not a
                            // group commit, it may take the room's lock after a later post.
                            Api poster = i % 2 == 0 ? writer
                                    : writer.header("Idempotency-Key", UUID.randomUUID().toString());
                            posted.get(room).add(Seeds.message(poster, room, "message " + i));
                            if (i % 3 == 2) {
                                List<String> known = posted.get(room);
                                String target = known.get(random.nextInt(known.size()));
                                int position = marker(writer.putJson("/room/" + room + "/marker",
                                        "{\"chat\": \"" + target + "\"}")).getInt("position");
                                furthest.merge(room + " " + subject(writer), position, Math::max);
                            }
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Integer> proUnread = new HashMap<>();
        for (JsonObject room : rooms(pro.get("/inbox?limit=1000"))) {
            proUnread.put(room.getString("_id"), room.getInt("unread"));
        }
        for (int r = 0; r < rooms.size(); r++) {
            String room = rooms.get(r);
            for (Api reader : List.of(clients.get(r), pro)) {
                JsonObject read = reader.get("/room/" + room).json().getJsonObject("room");
                assertThat(read.getInt("__v")).isEqualTo(30);
                assertThat(read.getInt("readPosition")).as("marker of %s", subject(reader))
                        .isEqualTo(furthest.get(room + " " + subject(reader)));
                long recounted = Database.count("""
                        SELECT count(*) FROM message m
                         WHERE m.room_id = ?::uuid AND m.author_sub <> ?
                           AND m.position > COALESCE((SELECT k.position FROM read_marker k
                                                       WHERE k.room_id = m.room_id AND k.reader_sub = ?), 0)""",
                        room, subject(reader), subject(reader));
                assertThat(read.getInt("unread")).as("unread of %s in %s", subject(reader), room).isEqualTo(recounted);
            }
            assertThat(proUnread.get(room)).isEqualTo(pro.get("/room/" + room).json().getJsonObject("room").getInt("unread"));
        }
    }

    @Test
    void roomsWaitingForAReplyAreListedTheLongestWaitingFirst() {
        Api pro = as(Tokens.newSubject("counsellor"), "pro");
        Api first = as(Tokens.newSubject("client"));
        Api second = as(Tokens.newSubject("client"));
        Api answered = as(Tokens.newSubject("client"));
        String waitsLongest = Seeds.room(first);
        String waits = Seeds.room(second);
        String notWaiting = Seeds.room(answered);
        String firstQuestion = Seeds.message(first, waitsLongest, "can someone help?");
        Seeds.message(second, waits, "hello?");
        Seeds.message(answered, notWaiting, "a question");
        Seeds.message(pro, notWaiting, "an answer");
        Seeds.message(first, waitsLongest, "anyone?");

        String since = createdAt(first, waitsLongest, firstQuestion);
        assertThat(room(first, waitsLongest).getString("waitingSince")).isEqualTo(since);
        assertThat(room(answered, notWaiting).isNull("waitingSince")).isTrue();
        // Rooms of earlier tests wait too: the page starts just before this test's first question.
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(since)) - 1;
        String cursor = "/inbox?waiting=true&after=" + micros + "_00000000-0000-0000-0000-000000000000";
        assertThat(roomIds(pro.get(cursor))).containsExactly(waitsLongest, waits);
        assertThat(rooms(pro.get(cursor)).get(0).getString("waitingSince")).isEqualTo(since);

        Seeds.message(pro, waitsLongest, "here I am");
        assertThat(room(first, waitsLongest).isNull("waitingSince")).isTrue();
        assertThat(roomIds(pro.get(cursor))).containsExactly(waits);
        String again = Seeds.message(first, waitsLongest, "thanks; one more thing");
        assertThat(room(first, waitsLongest).getString("waitingSince")).isEqualTo(createdAt(first, waitsLongest, again));
        assertThat(roomIds(pro.get(cursor))).containsExactly(waits, waitsLongest);
        assertThat(roomIds(first.get("/inbox?waiting=true"))).containsExactly(waitsLongest);
    }

    @Test
    void theInboxStreamFollowsEveryReadableRoomAndRoomsThatBecomeReadable() throws Exception {
        String audience = "school-" + UUID.randomUUID();
        Api teacher = as(Tokens.newSubject("teacher"), "audience:" + audience);
        String pupilToken = Tokens.valid(Tokens.newSubject("pupil"), "audience:" + audience);
        Api pupil = Api.at(base).as(pupilToken);
        String notReadable = Seeds.room(alice);
        try (EventStream events = EventStream.open(uri(base, "/inbox/events"), pupilToken, null)) {
            assertThat(events.nextMessage(WAIT).name()).isEqualTo("ready");

            String eventRoom = eventRoomOf(teacher, audience, "lesson-1");
            Event opened = events.nextMessage(WAIT);
            assertThat(opened.name()).isEqualTo("room");
            assertThat(json(opened.data()).getString("room")).isEqualTo(eventRoom);

            Seeds.message(alice, notReadable, "not for the pupil");
            String hello = Seeds.message(teacher, eventRoom, "welcome to the lesson");
            Event message = events.nextMessage(WAIT);
            assertThat(message.name()).isEqualTo("message");
            assertThat(json(message.data()).getString("room")).isEqualTo(eventRoom);
            assertThat(json(message.data()).getInt("position")).isEqualTo(1);
            assertThat(json(message.data()).getJsonObject("chat").getString("_id")).isEqualTo(hello);

            pupil.putJson("/room/" + eventRoom + "/marker", "{\"position\": 1}");
            Event marker = events.nextMessage(WAIT);
            assertThat(marker.name()).isEqualTo("marker");
            assertThat(json(marker.data())).isEqualTo(Json.createObjectBuilder().add("room", eventRoom)
                    .add("user", subject(pupil)).add("position", 1).build());

            String own = Seeds.room(pupil);
            assertThat(json(events.nextMessage(WAIT).data()).getString("room")).isEqualTo(own);
            assertThat(events.messagesUntilQuiet(Duration.ofSeconds(2))).as("nothing of alice's room").isEmpty();
        }
    }

    @Test
    void theInboxStreamResumesExactlyOnAnotherInstance() throws Exception {
        String token = Tokens.valid(Tokens.newSubject("client"));
        Api client = Api.at(base).as(token);
        String one = Seeds.room(client);
        String two = Seeds.room(client);
        List<Event> seen = new ArrayList<>();
        try (EventStream events = EventStream.open(uri(base, "/inbox/events"), token, null)) {
            assertThat(events.nextMessage(WAIT).name()).isEqualTo("ready");
            Seeds.message(client, one, "a");
            Seeds.message(client, two, "b");
            Seeds.message(client, one, "c");
            for (int i = 0; i < 3; i++) {
                seen.add(events.nextMessage(WAIT));
            }
        }
        Seeds.message(client, two, "d, while nobody listens");
        URL second = SharedServer.peer();
        try (EventStream resumed = EventStream.open(uri(second, "/inbox/events"), token, seen.get(1).id())) {
            assertThat(resumed.nextMessage(WAIT).name()).isEqualTo("ready");
            Event again = resumed.nextMessage(WAIT);
            assertThat(again).isEqualTo(seen.get(2));
            Event missed = resumed.nextMessage(WAIT);
            assertThat(json(missed.data()).getJsonObject("chat").getString("chat")).isEqualTo("d, while nobody listens");
            Seeds.message(Api.at(second).as(token), one, "e");
            assertThat(json(resumed.nextMessage(WAIT).data()).getJsonObject("chat").getString("chat")).isEqualTo("e");
            assertThat(resumed.messagesUntilQuiet(Duration.ofSeconds(2))).isEmpty();
        }
        assertProblem(client.header("Last-Event-ID", "yesterday").get("/inbox/events"), 400);
        assertProblem(Api.at(base).get("/inbox/events"), 401);
    }

    @Test
    void aTicketOpensTheInboxStreamAndNothingElse() throws Exception {
        String room = Seeds.room(alice);
        JsonObject ticket = alice.post("/inbox/events/tickets").json();
        assertThat(ticket.getString("url")).isEqualTo("/inbox/events?ticket=" + ticket.getString("ticket"));
        try (EventStream events = EventStream.open(uri(base, ticket.getString("url")), null, null)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.nextMessage(WAIT).name()).isEqualTo("ready");
            Seeds.message(alice, room, "seen through the ticket");
            assertThat(events.nextMessage(WAIT).name()).isEqualTo("message");
        }
        assertRoomProblem(Api.at(base).get("/room/" + room + "/events?ticket=" + ticket.getString("ticket")), 401);
        assertProblem(Api.at(base).get("/inbox?ticket=" + ticket.getString("ticket")), 401);
        String roomTicket = alice.post("/room/" + room + "/events/tickets").json().getString("ticket");
        assertProblem(Api.at(base).get("/inbox/events?ticket=" + roomTicket), 401);
    }

    /** No query per room: a page of 100 rooms costs the database as many statements as a page of 2. */
    @Test
    void aPageCostsTheSameStatementsWhateverItsSize() {
        Api pro = as(Tokens.newSubject("counsellor"), "pro");
        for (int i = 0; i < 100; i++) {
            Seeds.message(alice, Seeds.room(alice), "room " + i);
        }
        assertThat(statements(() -> pro.get("/inbox?limit=100")))
                .isEqualTo(statements(() -> pro.get("/inbox?limit=2")))
                .isEqualTo(statements(() -> pro.get("/inbox?limit=100&waiting=true")));
        assertThat(rooms(pro.get("/inbox?limit=100"))).hasSize(100);
    }

    /** The fewest SQL statements the request cost in three tries (other work of the server may add to one). */
    private long statements(Runnable request) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double before = Scrape.of(Api.at(base)).value("chat_sql_statements");
            request.run();
            fewest = Math.min(fewest, (long) (Scrape.of(Api.at(base)).value("chat_sql_statements") - before));
        }
        return fewest;
    }

    private Api as(String subject, String... groups) {
        return Api.at(base).as(Tokens.valid(subject, groups));
    }

    private static String subject(Api caller) {
        String payload = caller.token().split("\\.")[1];
        return json(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .getString("sub");
    }

    private static String eventRoomOf(Api tenant, String audience, String scope) {
        Reply chat = tenant.postJson("/api/v1/chats", Json.createObjectBuilder().add("audience", audience)
                .add("scope", scope).build());
        assertThat(chat.status()).as("%s", chat).isEqualTo(201);
        return chat.json().getJsonObject("real_time").getString("event_room_id");
    }

    private static JsonObject room(Api reader, String room) {
        return reader.get("/room/" + room).json().getJsonObject("room");
    }

    private static String createdAt(Api reader, String room, String message) {
        return reader.get("/room/" + room + "/chat/" + message).json().getJsonObject("chat").getString("createdAt");
    }

    private static JsonObject marker(Reply reply) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        return reply.json().getJsonObject("marker");
    }

    private static List<JsonObject> rooms(Reply reply) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        return reply.json().getJsonArray("rooms").getValuesAs(JsonObject.class);
    }

    private static List<String> roomIds(Reply reply) {
        return rooms(reply).stream().map(room -> room.getString("_id")).toList();
    }

    private static URI uri(URL base, String path) throws Exception {
        return base.toURI().resolve(path.substring(1));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
