package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Database;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scoped chats routes over real HTTP: creation with its event room, convert, reads, tenancy, validation, races. */
class ScopedChatsIT extends ServerTest {

    String audience;
    String tenantSub;
    Api tenant;
    Api member;
    Api outsider;
    Api admin;

    @BeforeEach
    void tenantAndMembers() {
        audience = "school-" + UUID.randomUUID();
        Api anonymous = Api.at(base);
        tenantSub = Tokens.newSubject("tenant");
        tenant = anonymous.as(Tokens.valid(tenantSub, "audience:" + audience));
        member = anonymous.as(Tokens.valid(Tokens.newSubject("pupil"), "audience:" + audience));
        outsider = anonymous.as(Tokens.valid(Tokens.newSubject("other-tenant"), "audience:other-" + audience));
        admin = anonymous.as(Tokens.valid(Tokens.newSubject("root"), "admin"));
    }

    @Test
    void createsAChatWithItsEventRoom() {
        Reply reply = tenant.postJson("/api/v1/chats", chat("lesson-1").add("tags", Json.createObjectBuilder()
                .add("teacher", "Kim").add("period", 3).add("nested", Json.createArrayBuilder().add(true))).build());

        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        JsonObject chat = reply.json();
        assertThat(chat.keySet()).containsExactlyInAnyOrder("id", "chat_id", "audience", "scope", "tags", "real_time", "created_at");
        assertThat(chat.getString("id")).isEqualTo("lesson-1");
        assertThat(chat.getString("scope")).isEqualTo("lesson-1");
        assertThat(chat.getString("audience")).isEqualTo(audience);
        assertThat(chat.getJsonObject("tags")).isEqualTo(Json.createObjectBuilder().add("teacher", "Kim").add("period", 3)
                .add("nested", Json.createArrayBuilder().add(true)).build());
        assertThat(chat.getString("created_at")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(reply.header("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/v1/chats/" + chat.getString("chat_id")));

        String room = chat.getJsonObject("real_time").getString("event_room_id");
        JsonObject eventRoom = tenant.get("/room/" + room).json().getJsonObject("room");
        assertThat(eventRoom.getString("user")).isEqualTo(tenantSub);
        assertThat(eventRoom.getInt("__v")).isZero();

        assertThat(tenant.get("/api/v1/chats/" + chat.getString("chat_id")).json()).isEqualTo(chat);
        assertThat(member.get("/api/v1/audiences/" + audience + "/chats/lesson-1").json()).isEqualTo(chat);
    }

    @Test
    void answersNullTagsWhenNoneWereGiven() {
        JsonObject chat = tenant.postJson("/api/v1/chats", chat("no-tags").build()).json();
        assertThat(chat.isNull("tags")).isTrue();
        assertThat(tenant.get("/api/v1/chats/" + chat.getString("chat_id")).json().isNull("tags")).isTrue();
        assertThat(tenant.postJson("/api/v1/chats", chat("null-tags").addNull("tags").build()).json().isNull("tags")).isTrue();
    }

    @Test
    void letsMembersOfTheAudienceUseTheEventRoomAndNobodyElse() {
        String room = eventRoomOf(tenant.postJson("/api/v1/chats", chat("lesson-2").build()).json());

        Reply posted = member.postJson("/room/" + room + "/chat", "{\"chat\":\"hello class\"}");
        assertThat(posted.status()).as("%s", posted).isEqualTo(201);
        String message = posted.json().getJsonObject("chat").getString("_id");
        assertThat(member.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
        assertThat(member.get("/room/" + room + "/chat/" + message).status()).isEqualTo(200);
        assertThat(admin.get("/room/" + room).status()).isEqualTo(200);

        assertRoomProblem(outsider.get("/room/" + room), 403);
        assertRoomProblem(outsider.postJson("/room/" + room + "/chat", "{\"chat\":\"intruder\"}"), 403);
        assertRoomProblem(outsider.get("/room/" + room + "/chat/" + message), 403);
        Api stranger = Api.at(base).as(Tokens.valid(Tokens.newSubject("stranger")));
        assertRoomProblem(stranger.get("/room/" + room), 403);
        assertRoomProblem(member.get("/room"), 403);
        assertThat(tenant.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    void refusesASecondChatForTheSameScopeAndLeavesNoOrphanRoom() {
        assertThat(tenant.postJson("/api/v1/chats", chat("lesson-3").build()).status()).isEqualTo(201);

        assertProblem(tenant.postJson("/api/v1/chats", chat("lesson-3").build()), 409);
        assertProblem(admin.postJson("/api/v1/chats", chat("lesson-3").build()), 409);
        assertThat(roomsOwnedBy(tenantSub)).isEqualTo(1);
        assertThat(chatsOf(audience)).isEqualTo(1);
    }

    @Test
    void letsExactlyOneOfManyRacingCreatesWin() {
        int racers = 16;
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            replies.add(tenant.postJsonAsync("/api/v1/chats", chat("contested").build().toString()));
        }
        List<Integer> statuses = replies.stream().map(CompletableFuture::join).map(Reply::status).toList();

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(roomsOwnedBy(tenantSub)).isEqualTo(1);
        assertThat(chatsOf(audience)).isEqualTo(1);
    }

    @Test
    void convertsAnExistingRoom() {
        String room = Seeds.room(tenant);
        Reply reply = tenant.postJson("/api/v1/chats/convert", chat("converted").add("event_room_id", room).build());

        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        JsonObject chat = reply.json();
        assertThat(eventRoomOf(chat)).isEqualTo(room);
        assertThat(chat.getString("id")).isEqualTo("converted");
        assertThat(reply.header("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/api/v1/chats/" + chat.getString("chat_id")));
        assertThat(tenant.get("/api/v1/chats/" + chat.getString("chat_id")).json()).isEqualTo(chat);
        assertThat(member.postJson("/room/" + room + "/chat", "{\"chat\":\"now open to the audience\"}").status()).isEqualTo(201);
    }

    @Test
    void refusesConvertingOntoABoundMissingOrForeignRoom() {
        String bound = eventRoomOf(tenant.postJson("/api/v1/chats", chat("first").build()).json());
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("second").add("event_room_id", bound).build()), 409);

        String free = Seeds.room(tenant);
        tenant.postJson("/api/v1/chats/convert", chat("third").add("event_room_id", free).build());
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("third").add("event_room_id", Seeds.room(tenant)).build()), 409);

        assertProblem(tenant.postJson("/api/v1/chats/convert",
                chat("missing").add("event_room_id", "0190c5a4-0000-7000-8000-000000000000").build()), 422);
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("malformed").add("event_room_id", "room-1").build()), 400);
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("absent").build()), 400);
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("number").add("event_room_id", 5).build()), 400);

        String someoneElses = Seeds.room(Api.at(base).as(Tokens.valid(Tokens.newSubject("owner"))));
        assertProblem(tenant.postJson("/api/v1/chats/convert", chat("foreign").add("event_room_id", someoneElses).build()), 403);

        assertThat(chatsOf(audience)).isEqualTo(2);
        assertThat(Database.count("SELECT count(*) FROM chat_event_room WHERE room_id::text = ?", free)).isEqualTo(1);
    }

    @Test
    void letsExactlyOneOfManyRacingConvertsBindARoom() {
        String room = Seeds.room(tenant);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            replies.add(tenant.postJsonAsync("/api/v1/chats/convert", chat("race-" + i).add("event_room_id", room).build().toString()));
        }
        List<Integer> statuses = replies.stream().map(CompletableFuture::join).map(Reply::status).toList();

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(chatsOf(audience)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lesson/1/part 2", "what? why#not&so=on", "수업 1 — élève", "100% sure", "a+b", " padded ", "emoji 😀"})
    void roundTripsAnyScopeThroughTheAudiencePath(String scope) {
        JsonObject created = tenant.postJson("/api/v1/chats", chat(scope).build()).json();

        Reply read = member.get("/api/v1/audiences/" + Api.encode(audience) + "/chats/" + Api.encode(scope));
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created);
        assertThat(read.json().getString("id")).isEqualTo(scope);
    }

    @Test
    void confinesTenantsToTheirAudiences() {
        JsonObject chat = tenant.postJson("/api/v1/chats", chat("private").build()).json();
        String chatId = chat.getString("chat_id");

        assertProblem(outsider.postJson("/api/v1/chats", chat("intrusion").build()), 403);
        assertProblem(outsider.postJson("/api/v1/chats/convert", chat("intrusion").add("event_room_id", Seeds.room(outsider)).build()), 403);
        assertProblem(outsider.get("/api/v1/chats/" + chatId), 403);
        assertProblem(outsider.get("/api/v1/audiences/" + audience + "/chats/private"), 403);
        Api pro = Api.at(base).as(Tokens.valid(Tokens.newSubject("pro"), "pro"));
        assertProblem(pro.get("/api/v1/chats/" + chatId), 403);
        assertProblem(Api.at(base).get("/api/v1/chats/" + chatId), 401);
        assertProblem(Api.at(base).as(Tokens.expired(tenantSub, "audience:" + audience)).get("/api/v1/chats/" + chatId), 401);

        assertThat(admin.get("/api/v1/chats/" + chatId).json()).isEqualTo(chat);
        assertThat(admin.postJson("/api/v1/chats", chat("by-admin").build()).status()).isEqualTo(201);
        assertThat(chatsOf(audience)).isEqualTo(2);
    }

    @Test
    void answersUnknownAndMalformedChatIds() {
        assertProblem(tenant.get("/api/v1/chats/0190c5a4-0000-7000-8000-000000000000"), 404);
        assertProblem(tenant.get("/api/v1/chats/not-a-uuid"), 400);
        assertProblem(tenant.get("/api/v1/audiences/" + audience + "/chats/never-created"), 404);
        assertProblem(tenant.method("DELETE", "/api/v1/chats/0190c5a4-0000-7000-8000-000000000000"), 405);
        assertProblem(tenant.get("/api/v1/nothing"), 404);
    }

    @Test
    void validatesEveryField() {
        String a = "\"audience\":\"" + audience + "\"";
        List<String> bodies = List.of(
                "{" + a + "}", "{\"scope\":null," + a + "}", "{\"scope\":\"\"," + a + "}", "{\"scope\":\"  \"," + a + "}",
                "{\"scope\":7," + a + "}", "{\"scope\":[\"x\"]," + a + "}", "{\"scope\":{}," + a + "}",
                "{\"scope\":\"" + "s".repeat(501) + "\"," + a + "}",
                "{\"scope\":\"x\"}", "{\"scope\":\"x\",\"audience\":\"\"}", "{\"scope\":\"x\",\"audience\":1}",
                "{\"scope\":\"x\",\"audience\":\"" + "a".repeat(101) + "\"}",
                "{\"scope\":\"x\"," + a + ",\"tags\":[]}", "{\"scope\":\"x\"," + a + ",\"tags\":\"t\"}",
                "{\"scope\":\"x\"," + a + ",\"tags\":3}", "{\"scope\":\"x\"," + a + ",\"tags\":true}",
                "{\"scope\":\"x\"," + a + ",\"tags\":{\"big\":\"" + "t".repeat(17_000) + "\"}}",
                "{\"scope\":\"nul\\u0000\"," + a + "}",
                "{\"scope\":\"x\"," + a, "not json", "[]", "");
        for (String body : bodies) {
            assertProblem(tenant.postJson("/api/v1/chats", body), 400);
            assertProblem(tenant.postJson("/api/v1/chats/convert", body), 400);
        }
        assertProblem(tenant.post("/api/v1/chats", "text/plain", "{\"scope\":\"x\"," + a + "}"), 415);
        assertThat(chatsOf(audience)).isZero();
        assertThat(roomsOwnedBy(tenantSub)).isZero();
        assertThat(tenant.postJson("/api/v1/chats", chat("s".repeat(500)).build()).status()).isEqualTo(201);
    }

    private JsonObjectBuilder chat(String scope) {
        return Json.createObjectBuilder().add("scope", scope).add("audience", audience);
    }

    private static String eventRoomOf(JsonObject chat) {
        return chat.getJsonObject("real_time").getString("event_room_id");
    }

    private static long roomsOwnedBy(String subject) {
        return Database.count("SELECT count(*) FROM room WHERE owner_sub = ?", subject);
    }

    private static long chatsOf(String audience) {
        return Database.count("SELECT count(*) FROM chat WHERE audience = ?", audience);
    }
}
