package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.chatapi.support.Api;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.SharedServer;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Retention: a room's messages past its retention are removed, oldest first, in batches, while the room keeps its
 * count, its remaining ids and exact unread counts, and its readers learn of the removal as an event.
 */
class RetentionIT extends ServerTest {

    private static final Duration JOB = Duration.ofSeconds(60);

    private final String adminSub = Tokens.newSubject("admin");
    private final Api admin = as(adminSub, "admin");

    @Test
    void removesTheMessagesPastTheRoomsRetentionAndTheRoomKeepsItsCountIdsAndUnreadCounts() throws Exception {
        String counsellorSub = Tokens.newSubject("counsellor");
        Api counsellor = as(counsellorSub, "pro");
        String room = Seeds.room(alice);
        List<String> ids = new ArrayList<>();
        String[] authors = {"alice", "alice", "counsellor", "alice", "counsellor", "alice", "alice", "counsellor"};
        for (int i = 0; i < authors.length; i++) {
            ids.add(Seeds.message(authors[i].equals("alice") ? alice : counsellor, room, "text " + (i + 1)));
        }
        alice.patchJson("/room/" + room + "/chat/" + ids.get(1), "{\"chat\":\"text 2, edited\"}");
        counsellor.delete("/room/" + room + "/chat/" + ids.get(2) + "?reason=moderated");
        assertThat(alice.putJson("/room/" + room + "/marker", "{\"position\":2}").status()).isEqualTo(200);
        age(room, 5, 40);
        assertThat(alice.get("/room/" + room + "/retention").json().getInt("purgedThrough")).isZero();

        try (EventStream live = EventStream.open(base.toURI().resolve("/room/" + room + "/events"), aliceToken,
                "8.2").awaitSubscribed(WAIT)) {
            Api.Reply set = admin.putJson("/room/" + room + "/retention", "{\"days\":30}");

            assertThat(set.status()).as("%s", set).isEqualTo(200);
            assertThat(set.json().getInt("days")).isEqualTo(30);
            assertThat(set.json().getInt("effectiveDays")).isEqualTo(30);
            assertThat(set.json().isNull("defaultDays")).isTrue();
            EventStream.Event purge = live.nextMessage(JOB);
            assertThat(purge).isNotNull();
            assertThat(purge.name()).isEqualTo("purge");
            assertThat(purge.id()).isEqualTo("8.3");
            assertThat(json(purge.data())).isEqualTo(Json.createObjectBuilder().add("room", room)
                    .add("purgedThrough", 5).build());
        }
        assertThat(alice.get("/room/" + room + "/retention").json().getInt("purgedThrough")).isEqualTo(5);
        assertThat(alice.get("/room/" + room + "/chat").messageIds()).isEqualTo(ids.subList(5, 8));
        assertProblem(alice.get("/room/" + room + "/chat/" + ids.get(0)), 404);
        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(read.getInt("__v")).as("__v still counts every post").isEqualTo(8);
        assertThat(Api.chatIds(read)).isEqualTo(ids.subList(5, 8));
        assertThat(read.containsKey("purgedThrough")).isFalse();
        assertThat(read.getInt("unread")).as("alice read to 2; of 6 to 8 only 8 is another's").isEqualTo(1);
        assertThat(counsellor.get("/room/" + room).json().getJsonObject("room").getInt("unread"))
                .as("the counsellor has no marker: of what is left, 6 and 7 are alice's").isEqualTo(2);
        assertThat(alice.get("/room/" + room).header("Link")).as("nothing before the first kept").isEmpty();
        assertThat(alice.get("/room/" + room + "/chat?before=7").link("prev")).isNull();
        assertThat(alice.putJson("/room/" + room + "/marker", "{\"position\":4}").json().getJsonObject("marker")
                .getInt("unread")).as("a marker below what was removed counts from after it").isEqualTo(1);
        assertThat(alice.putJson("/room/" + room + "/marker", "{\"position\":6}").json().getJsonObject("marker")
                .getInt("unread")).isEqualTo(1);
        assertThat(counsellor.putJson("/room/" + room + "/marker", "{\"position\":7}").json()
                .getJsonObject("marker").getInt("unread")).as("8 is the counsellor's own").isZero();

        assertThat(Database.count("SELECT count(*) FROM message WHERE room_id = ?::uuid", room)).isEqualTo(3);
        assertThat(Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid AND kind <> 'purge'",
                room)).as("the edit history of removed messages goes with them").isZero();
        for (int position = 1; position <= 5; position++) {
            assertThat(Database.count("SELECT count(*) FROM message_change WHERE replaced_body LIKE ?",
                    "text " + position + "%")).isZero();
        }
        assertThat(Database.count("""
                SELECT count(*) FROM data_request
                 WHERE kind = 'retention' AND request_id = ?::uuid AND subject_sha256 IS NULL AND requested_by = ?""",
                room, adminSub)).as("the change is audited").isEqualTo(1);

        try (EventStream resumed = EventStream.open(base.toURI().resolve("/room/" + room + "/events"), aliceToken,
                "0")) {
            List<EventStream.Event> events = resumed.messagesUntilQuiet(Duration.ofSeconds(2));
            assertThat(events).extracting(EventStream.Event::id).containsExactly("6", "7", "8", "8.3");
            assertThat(events.get(3).name()).isEqualTo("purge");
        }
    }

    @Test
    void theSweepGoesOnAsMessagesAgeAndStopsAtTheFirstThatIsNotDue() throws Exception {
        String room = Seeds.room(alice);
        for (int i = 1; i <= 6; i++) {
            Seeds.message(alice, room, "message " + i);
        }
        admin.putJson("/room/" + room + "/retention", "{\"days\":1}");
        age(room, 2, 2);
        Database.update("UPDATE message SET created_at = created_at - interval '2 days' "
                + "WHERE room_id = ?::uuid AND position = 4", room);

        Await.until("the sweep removes 1 and 2", JOB, () -> purgedThrough(room) == 2);
        age(room, 5, 3);
        Await.until("the next sweep removes 3 to 5", JOB, () -> purgedThrough(room) == 5);

        assertThat(alice.get("/room/" + room + "/chat").json().getJsonArray("chats")).hasSize(1);
        assertThat(Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid", room))
                .as("a purge replaces the room's previous one").isEqualTo(1);
        assertThat(admin.putJson("/room/" + room + "/retention", "{\"days\":null}").json().isNull("days")).isTrue();
    }

    @Test
    void twoInstancesEmptyALargeRoomTogetherWhilePostsGoOnAndNothingIsRemovedTwice() throws Exception {
        String room = Seeds.room(alice);
        Seeds.bulkMessages(room, 20_000, aliceSub);
        Seeds.bulkMessages(room, 5_000, "seed");
        age(room, 25_000, 10);
        Api peerAdmin = Api.at(SharedServer.peer()).as(admin.token());
        Api counsellor = as(Tokens.newSubject("counsellor"), "pro");
        List<CompletableFuture<Api.Reply>> posts = new ArrayList<>();

        assertThat(admin.putJson("/room/" + room + "/retention", "{\"days\":5}").status()).isEqualTo(200);
        assertThat(peerAdmin.putJson("/room/" + room + "/retention", "{\"days\":5}").status()).isEqualTo(200);
        for (int i = 0; i < 40; i++) {
            posts.add((i % 2 == 0 ? alice : counsellor)
                    .postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"during " + i + "\"}"));
        }
        for (CompletableFuture<Api.Reply> post : posts) {
            assertThat(post.get().status()).as("%s", post.get()).isEqualTo(201);
        }
        Await.until("the room emptied of what was due", JOB, () -> purgedThrough(room) == 25_000);

        assertThat(Database.count("SELECT count(*) FROM message WHERE room_id = ?::uuid", room)).isEqualTo(40);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(25_040);
        assertThat(Database.count("SELECT purged_count FROM room_author WHERE room_id = ?::uuid AND author_sub = ?",
                room, aliceSub)).isEqualTo(20_000);
        assertThat(Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid", room)).isEqualTo(1);
        long othersLeft = Database.count(
                "SELECT count(*) FROM message WHERE room_id = ?::uuid AND author_sub <> ?", room, aliceSub);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("unread"))
                .as("unread equals a count of what is left").isEqualTo((int) othersLeft).isEqualTo(20);
    }

    @Test
    void onlyAnAdminOrTheRoomsTenantSetsItAndEveryRefusalChangesNothing() throws Exception {
        String audience = "school-" + UUID.randomUUID();
        Api tenant = as(Tokens.newSubject("tenant"), "audience:" + audience);
        String eventRoom = tenant.postJson("/api/v1/chats", Json.createObjectBuilder().add("scope", "retained")
                .add("audience", audience).build()).json().getJsonObject("real_time").getString("event_room_id");
        String own = Seeds.room(alice);
        String counts = Database.rowCounts();

        assertProblem(alice.putJson("/room/" + own + "/retention", "{\"days\":30}"), 403);
        assertProblem(as(Tokens.newSubject("pro"), "pro").putJson("/room/" + own + "/retention", "{\"days\":30}"),
                403);
        assertProblem(tenant.putJson("/room/" + own + "/retention", "{\"days\":30}"), 403);
        assertProblem(bob.get("/room/" + own + "/retention"), 403);
        assertProblem(admin.putJson("/room/" + UUID.randomUUID() + "/retention", "{\"days\":30}"), 404);
        assertProblem(admin.putJson("/room/not-a-room/retention", "{\"days\":30}"), 400);
        for (String body : List.of("{}", "{\"days\":0}", "{\"days\":36501}", "{\"days\":\"30\"}", "{\"days\":1.5}",
                "{\"days\":-1}", "[30]", "{\"days\":99999999999999999999}", "not json")) {
            assertProblem(admin.putJson("/room/" + own + "/retention", body), 400);
        }
        assertProblem(admin.method("PUT", "/room/" + own + "/retention", "text/plain", "{\"days\":30}"), 415);
        assertThat(Database.rowCounts()).as("no refusal wrote anything").isEqualTo(counts);

        Api.Reply byTenant = tenant.putJson("/room/" + eventRoom + "/retention", "{\"days\":90}");
        assertThat(byTenant.status()).as("%s", byTenant).isEqualTo(200);
        assertThat(byTenant.json().getInt("effectiveDays")).isEqualTo(90);
        assertThat(tenant.get("/room/" + eventRoom + "/retention").json().getInt("days")).isEqualTo(90);
        assertThat(admin.putJson("/room/" + own + "/retention", "{\"days\":36500}").status()).isEqualTo(200);
    }

    /** Makes the room's messages up to {@code through} {@code days} days older. */
    private static void age(String room, int through, int days) {
        Database.update("UPDATE message SET created_at = created_at - make_interval(days => " + days + ") "
                + "WHERE room_id = ?::uuid AND position <= " + through, room);
    }

    private int purgedThrough(String room) {
        return alice.get("/room/" + room + "/retention").json().getInt("purgedThrough");
    }

    private Api as(String subject, String... groups) {
        return Api.at(base).as(Tokens.valid(subject, groups));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
