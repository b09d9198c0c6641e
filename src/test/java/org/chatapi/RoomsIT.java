package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Migrations;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The room routes over real HTTP, against Payara Micro and PostgreSQL: shapes, rules, errors, access. */
class RoomsIT extends ServerTest {

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    Api anonymous;
    Api pro;
    Api admin;

    @BeforeEach
    void staff() {
        anonymous = Api.at(base);
        pro = anonymous.as(Tokens.valid(Tokens.newSubject("counsellor"), "pro"));
        admin = anonymous.as(Tokens.valid(Tokens.newSubject("root"), "admin"));
    }

    /**
     * Java's own HttpClient, as most Java clients use it, offers the upgrade to cleartext HTTP/2 (h2c) and then posts
     * over HTTP/2 streams; every one of its posts must arrive whole.
     */
    @Test
    void everyPostOfAClientSpeakingHttp2Arrives() throws Exception {
        String room = Seeds.room(alice);
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        Set<HttpClient.Version> versions = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> posted = http2.send(HttpRequest.newBuilder(base.toURI().resolve("room/" + room + "/chat"))
                    .header("Authorization", "Bearer " + alice.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"chat\":\"over h2c " + i + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as("post %d: %s", i, posted.body()).isEqualTo(201);
            versions.add(posted.version());
        }
        assertThat(versions).contains(HttpClient.Version.HTTP_2);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(30);
    }

    @Test
    void createsARoomOwnedByTheCaller() {
        Instant before = Instant.now().minusSeconds(1);
        Reply reply = alice.post("/room");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonObject body = reply.json();
        assertThat(body.getString("message")).isEqualTo("new Room Created");
        JsonObject room = body.getJsonObject("newRoom");
        assertThat(room.keySet()).containsExactlyInAnyOrder("chats", "_id", "user", "createdAt", "__v");
        assertThat(room.getJsonArray("chats")).isEmpty();
        assertThat(room.getString("_id")).matches(UUID_TEXT);
        assertThat(room.getString("user")).isEqualTo(aliceSub);
        assertThat(room.getString("createdAt")).matches(TIMESTAMP);
        assertThat(Instant.parse(room.getString("createdAt"))).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(room.getInt("__v")).isZero();
        assertThat(reply.header("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/room/" + room.getString("_id")));
        // Read back: the same room, with what the caller reads about it besides (new members only).
        JsonObject read = alice.get("/room/" + room.getString("_id")).json().getJsonObject("room");
        assertThat(read).containsAllEntriesOf(room);
        assertThat(read.getString("lastActivityAt")).isEqualTo(room.getString("createdAt"));
        assertThat(read.getInt("readPosition")).isZero();
        assertThat(read.getInt("unread")).isZero();
        assertThat(read.isNull("waitingSince")).isTrue();
    }

    @Test
    void postsMessagesAsJsonAndAsFormAndListsThemInPostOrder() {
        String room = Seeds.room(alice);

        Reply first = alice.postJson("/room/" + room + "/chat", "{\"chat\":\"hello\"}");
        Reply second = alice.postForm("/room/" + room + "/chat/", "chat", "second, with a trailing slash");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        JsonObject message = first.json().getJsonObject("chat");
        assertThat(message.keySet()).containsExactlyInAnyOrder("_id", "user", "chat", "createdAt", "__v");
        assertThat(message.getString("_id")).matches(UUID_TEXT);
        assertThat(message.getString("user")).isEqualTo(aliceSub);
        assertThat(message.getString("chat")).isEqualTo("hello");
        assertThat(message.getString("createdAt")).matches(TIMESTAMP);
        assertThat(message.getInt("__v")).isZero();
        assertThat(first.header("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/room/" + room + "/chat/" + message.getString("_id")));
        assertThat(second.json().getJsonObject("chat").getString("chat")).isEqualTo("second, with a trailing slash");

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("__v")).isEqualTo(2);
        assertThat(Api.chatIds(read)).containsExactly(message.getString("_id"),
                second.json().getJsonObject("chat").getString("_id"));
        assertThat(alice.get("/room/" + room + "/chat/" + message.getString("_id")).json().getJsonObject("chat"))
                .isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"안녕하세요 이것도 마찬가지고", "emoji 😀👩‍👩‍👧‍👦 and flags 🇰🇷", "  leading and trailing spaces  ",
            "lines\nand\ttabs\r\n", "RTL שלום مرحبا", "combining é vs é", "quotes \" ' \\ and </script>", "\uD834\uDD1E"})
    void storesTextVerbatim(String text) {
        String room = Seeds.room(alice);
        String viaJson = alice.postJson("/room/" + room + "/chat", Json.createObjectBuilder().add("chat", text).build())
                .json().getJsonObject("chat").getString("_id");
        String viaForm = alice.postForm("/room/" + room + "/chat", "chat", text).json().getJsonObject("chat").getString("_id");

        assertThat(alice.get("/room/" + room + "/chat/" + viaJson).json().getJsonObject("chat").getString("chat")).isEqualTo(text);
        assertThat(alice.get("/room/" + room + "/chat/" + viaForm).json().getJsonObject("chat").getString("chat")).isEqualTo(text);
    }

    @Test
    void keepsCountsExactUnderConcurrentPosts() {
        String room = Seeds.room(alice);
        int posts = 64;
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            replies.add(alice.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"message " + i + "\"}"));
        }
        Set<String> posted = new HashSet<>();
        for (CompletableFuture<Reply> reply : replies) {
            Reply done = reply.join();
            assertThat(done.status()).as("%s", done).isEqualTo(201);
            posted.add(done.json().getJsonObject("chat").getString("_id"));
        }

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(posted).hasSize(posts);
        assertThat(read.getInt("__v")).isEqualTo(posts);
        assertThat(Api.chatIds(read)).hasSize(posts).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(posted);
        assertThat(pro.get("/room?limit=1&after=" + precedingId(room)).json().getJsonArray("rooms")
                .getJsonObject(0).getInt("__v")).isEqualTo(posts);
    }

    @Test
    void refusesIntrudersWithoutDisturbingConcurrentPosts() {
        String room = Seeds.room(alice);
        String otherRoom = Seeds.room(bob);
        List<CompletableFuture<Reply>> mine = new ArrayList<>();
        List<CompletableFuture<Reply>> intruding = new ArrayList<>();
        List<CompletableFuture<Reply>> missing = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            mine.add(alice.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"mine " + i + "\"}"));
            intruding.add(bob.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"intruding " + i + "\"}"));
            missing.add(alice.postJsonAsync("/room/0190c5a4-0000-7000-8000-00000000000" + Integer.toHexString(i) + "/chat",
                    "{\"chat\":\"nowhere\"}"));
            intruding.add(alice.postJsonAsync("/room/" + otherRoom + "/chat", "{\"chat\":\"not my room\"}"));
        }
        mine.forEach(reply -> assertThat(reply.join().status()).isEqualTo(201));
        intruding.forEach(reply -> assertRoomProblem(reply.join(), 403));
        missing.forEach(reply -> assertRoomProblem(reply.join(), 404));

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("__v")).isEqualTo(16);
        assertThat(Api.chatIds(read)).hasSize(16).doesNotHaveDuplicates();
        assertThat(bob.get("/room/" + otherRoom).json().getJsonObject("room").getInt("__v")).isZero();
    }

    @Test
    void pagesThroughAllRoomsWithKeysetLinks() {
        String marker = Seeds.room(alice);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(Seeds.room(i % 2 == 0 ? alice : bob));
        }
        Seeds.message(bob, created.get(1), "in the second room");

        List<String> seen = new ArrayList<>();
        String next = "/room?limit=2&after=" + marker;
        int pages = 0;
        while (next != null) {
            Reply page = pro.get(next);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().getString("message")).isEqualTo("Successfully get rooms");
            page.json().getJsonArray("rooms").getValuesAs(JsonObject.class).forEach(room -> {
                seen.add(room.getString("_id"));
                if (room.getString("_id").equals(created.get(1))) {
                    assertThat(room.getInt("__v")).isEqualTo(1);
                    assertThat(room.getJsonArray("chats")).hasSize(1);
                }
            });
            next = page.link("next");
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);
        assertThat(admin.get("/room").status()).isEqualTo(200);
    }

    @Test
    void listsAHundredRoomsPerPageByDefault() {
        String marker = Seeds.room(alice);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            created.add(Seeds.room(alice));
        }

        Reply first = pro.get("/room?after=" + marker);
        assertThat(first.json().getJsonArray("rooms").getValuesAs(JsonObject.class))
                .extracting(room -> room.getString("_id")).containsExactlyElementsOf(created.subList(0, 100));
        Reply second = pro.get(first.link("next"));
        assertThat(second.json().getJsonArray("rooms").getValuesAs(JsonObject.class))
                .extracting(room -> room.getString("_id")).containsExactly(created.get(100));
        assertThat(second.link("next")).isNull();
    }

    @Test
    void rejectsBadPageParameters() {
        for (String query : List.of("limit=0", "limit=1001", "limit=abc", "limit=-5", "after=not-a-uuid")) {
            assertRoomProblem(pro.get("/room?" + query), 400);
        }
        assertThat(pro.get("/room?limit=1000").status()).isEqualTo(200);
    }

    @Test
    void answersAMessageOfAnotherRoomWithTheOriginalMismatchError() {
        String mine = Seeds.room(alice);
        String other = Seeds.room(alice);
        String message = Seeds.message(alice, other, "elsewhere");

        JsonObject problem = assertRoomProblem(alice.get("/room/" + mine + "/chat/" + message), 400);
        assertThat(problem.getString("message")).isEqualTo("wrong room and chat");
    }

    @Test
    void answersUnknownAndMalformedIds() {
        String room = Seeds.room(alice);
        String unknown = "0190c5a4-0000-7000-8000-000000000000";

        assertRoomProblem(alice.get("/room/" + unknown), 404);
        assertRoomProblem(alice.postJson("/room/" + unknown + "/chat", "{\"chat\":\"x\"}"), 404);
        assertRoomProblem(alice.get("/room/" + unknown + "/chat/" + unknown), 404);
        assertRoomProblem(alice.get("/room/" + room + "/chat/" + unknown), 404);
        assertRoomProblem(alice.get("/room/not-a-uuid"), 400);
        assertRoomProblem(alice.get("/room/" + room + "/chat/5f8d80cab253f82b2247169a"), 400);
        assertRoomProblem(alice.postJson("/room/12345/chat", "{\"chat\":\"x\"}"), 400);
    }

    @Test
    void refusesBadMessagesAndLeavesTheRoomAsItWas() {
        String room = Seeds.room(alice);
        Seeds.message(alice, room, "the only one");
        String chat = "/room/" + room + "/chat";

        for (String body : List.of("{}", "{\"chat\":null}", "{\"chat\":5}", "{\"chat\":true}", "{\"chat\":[\"x\"]}",
                "{\"chat\":{}}", "{\"chat\":\"\"}", "{\"chat\":\"   \\n\\t \"}", "{\"chat\":\"nul \\u0000 inside\"}",
                "{\"chat\":\"lone \\ud800 surrogate\"}", "[]", "\"chat\"", "null", "")) {
            assertRoomProblem(alice.postJson(chat, body), 400);
        }
        for (String malformed : List.of("{\"chat\":", "{chat: 'x'}", "{\"chat\":\"x\"} trailing", "{\"chat\":\"x\",}")) {
            assertRoomProblem(alice.postJson(chat, malformed), 400);
        }
        assertRoomProblem(alice.post(chat, "application/json",
                new byte[] {'{', '"', 'c', 'h', 'a', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), 400);
        assertRoomProblem(alice.postForm(chat, "other", "x"), 400);
        assertRoomProblem(alice.post(chat, "application/x-www-form-urlencoded", "chat=%zz"), 400);
        assertRoomProblem(alice.post(chat, "text/plain", "hello"), 415);
        assertRoomProblem(alice.post(chat, "application/xml", "<chat>hi</chat>"), 415);
        assertRoomProblem(alice.postJson(chat, Json.createObjectBuilder().add("chat", "x".repeat(16_385)).build()), 400);
        assertRoomProblem(alice.postJson(chat, "{\"chat\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}"), 413);

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("__v")).isEqualTo(1);
        assertThat(read.getJsonArray("chats")).hasSize(1);
        assertThat(alice.postJson(chat, Json.createObjectBuilder().add("chat", "z".repeat(16_384)).build()).status())
                .isEqualTo(201);
    }

    @Test
    void answersUnknownPathsAndMethodsAsProblems() {
        assertProblem(alice.get("/no-such-thing"), 404);
        assertRoomProblem(alice.get("/room/" + Seeds.room(alice) + "/nothing-here"), 404);
        Reply notAllowed = alice.method("DELETE", "/room");
        assertRoomProblem(notAllowed, 405);
        assertThat(notAllowed.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
        assertRoomProblem(alice.method("PUT", "/room/" + Seeds.room(alice)), 405);
    }

    @Test
    void refusesRequestsWithoutAValidToken() {
        String room = Seeds.room(alice);
        String message = Seeds.message(alice, room, "private");
        List<Api> refused = List.of(anonymous,
                anonymous.as("not.a.token"),
                anonymous.as(Tokens.badSignature(aliceSub, "admin")),
                anonymous.as(Tokens.wrongIssuer(aliceSub, "admin")),
                anonymous.as(Tokens.expired(aliceSub, "admin")),
                anonymous.as(Tokens.unsigned(aliceSub, "admin")),
                anonymous.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes())),
                anonymous.header("Authorization", "Bearer"));
        for (Api caller : refused) {
            for (Reply reply : List.of(caller.get("/room"), caller.post("/room"), caller.get("/room/" + room),
                    caller.postJson("/room/" + room + "/chat", "{\"chat\":\"intruder\"}"),
                    caller.get("/room/" + room + "/chat/" + message))) {
                assertRoomProblem(reply, 401);
                assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            }
        }
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    void appliesTheAccessMatrix() {
        String room = Seeds.room(alice);
        String message = Seeds.message(alice, room, "alice's");

        assertRoomProblem(alice.get("/room"), 403);
        assertRoomProblem(bob.get("/room/" + room), 403);
        assertRoomProblem(bob.postJson("/room/" + room + "/chat", "{\"chat\":\"let me in\"}"), 403);
        assertRoomProblem(bob.postForm("/room/" + room + "/chat", "chat", "let me in"), 403);
        assertRoomProblem(bob.get("/room/" + room + "/chat/" + message), 403);
        assertRoomProblem(anonymous.as(Tokens.valid(Tokens.newSubject("tenant"), "audience:school-1")).get("/room/" + room), 403);

        for (Api privileged : List.of(pro, admin)) {
            assertThat(privileged.get("/room/" + room).status()).isEqualTo(200);
            assertThat(privileged.get("/room/" + room + "/chat/" + message).status()).isEqualTo(200);
            assertThat(privileged.postJson("/room/" + room + "/chat", "{\"chat\":\"counsel\"}").status()).isEqualTo(201);
        }
        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("__v")).isEqualTo(3);
        assertThat(read.getString("user")).isEqualTo(aliceSub);
    }

    @Test
    void servesHealthOpenApiAndMetrics() {
        Reply ready = anonymous.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\"").contains("UP");
        Reply live = anonymous.get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).contains("\"live-delivery-listener\"").contains("\"connected\":\"true\"");
        Reply started = anonymous.get("/health/started");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("version"))
                .isEqualTo(Integer.toString(Migrations.latest()));
        Reply openapi = anonymous.header("Accept", "application/json").get("/openapi");
        assertThat(openapi.status()).isEqualTo(200);
        JsonObject paths = openapi.json().getJsonObject("paths");
        assertThat(paths.keySet()).contains("/room", "/room/{id}", "/room/{id}/chat", "/room/{id}/chat/{chatId}",
                "/api/v1/chats", "/api/v1/chats/convert", "/api/v1/chats/{chat_id}");
        assertThat(paths.getJsonObject("/room/{id}").getJsonObject("get").getJsonObject("responses").keySet())
                .contains("200", "400", "401", "403", "404");
        assertThat(openapi.json().getJsonObject("components").getJsonObject("schemas").keySet())
                .contains("Room", "Message", "Problem", "Chat");
        assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void givesEveryRequestAnIdThatItsAnswerAndProblemCarry() {
        Reply chosen = alice.header("X-Request-Id", "client-42.a").get("/room/" + java.util.UUID.randomUUID());
        assertThat(chosen.header("X-Request-Id")).hasValue("client-42.a");
        assertThat(assertRoomProblem(chosen, 404).getString("request_id")).isEqualTo("client-42.a");

        Reply given = alice.header("X-Request-Id", "has space\"quote").post("/room");
        assertThat(given.status()).isEqualTo(201);
        assertThat(given.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID_TEXT));

        Reply badToken = anonymous.as(Tokens.expired("late")).header("X-Request-Id", "expired-1").get("/room");
        assertThat(badToken.header("X-Request-Id")).hasValue("expired-1");
        assertThat(assertRoomProblem(badToken, 401).getString("request_id")).isEqualTo("expired-1");
        assertThat(anonymous.get("/room").header("X-Request-Id")).isPresent();
    }


    /** An id just below the given one, so that a page "after" it starts with that room. */
    private static String precedingId(String id) {
        java.util.UUID uuid = java.util.UUID.fromString(id);
        return new java.util.UUID(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits() - 1).toString();
    }
}
