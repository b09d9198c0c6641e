package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.chatapi.support.Api;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.Receiver;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure and export of a person's data: after a realistic mix of activity an erasure leaves no trace of the person's
 * subject or texts in any table, and an export holds every message the person wrote.
 */
class YourDataIT extends ServerTest {

    /** How long a job may take here (it starts at once, and works a step after another). */
    private static final Duration JOB = Duration.ofSeconds(60);

    private final Receiver receiver = Receiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anErasureLeavesNoTraceOfThePersonInAnyTable() throws Exception {
        String audience = "school-" + UUID.randomUUID();
        String client = Tokens.newSubject("client");
        Api person = as(client, "audience:" + audience);
        String counsellorSub = Tokens.newSubject("counsellor");
        Api counsellor = as(counsellorSub, "pro");
        Api admin = as(Tokens.newSubject("admin"), "admin");
        List<String> texts = new ArrayList<>();
        String room = Seeds.room(person);
        for (int i = 0; i < 5; i++) {
            String text = "secret-" + UUID.randomUUID();
            texts.add(text);
            Api keyed = person.header("Idempotency-Key", UUID.randomUUID().toString());
            String body = "{\"chat\":\"" + text + "\"}";
            keyed.postJson("/room/" + room + "/chat", body);
            keyed.postJson("/room/" + room + "/chat", body);  // a retry, replayed from its stored response
        }
        List<String> ids = person.get("/room/" + room + "/chat").messageIds();
        String edited = "secret-edit-" + UUID.randomUUID();
        texts.add(edited);
        person.patchJson("/room/" + room + "/chat/" + ids.get(0), "{\"chat\":\"" + edited + "\"}");
        person.delete("/room/" + room + "/chat/" + ids.get(1));
        counsellor.delete("/room/" + room + "/chat/" + ids.get(2) + "?reason=moderated");
        String reply = "counsellor reply " + UUID.randomUUID();
        String replyId = Seeds.message(counsellor, room, reply);
        assertThat(person.putJson("/room/" + room + "/marker", "{\"position\":6}").status()).isEqualTo(200);
        person.post("/room/" + room + "/events/tickets");
        person.post("/inbox/events/tickets");
        String scope = "scope-" + UUID.randomUUID();
        String eventRoom = person.postJson("/api/v1/chats", "{\"scope\":\"" + scope + "\",\"audience\":\""
                + audience + "\"}").json().getJsonObject("real_time").getString("event_room_id");
        // The person subscribes its audience's rooms to webhooks, and its marker there becomes a delivery.
        String subscription = person.postJson("/webhooks", Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("marker.moved")).add("audience", audience).build())
                .json().getString("id");
        Seeds.message(counsellor, eventRoom, "welcome");
        person.putJson("/room/" + eventRoom + "/marker", "{\"position\":1}");
        Await.until("the marker's delivery", JOB, () -> !receiver.accepted().isEmpty());
        try (EventStream stream = EventStream.open(base.toURI().resolve("/room/" + room + "/events"),
                Tokens.valid(client), "0")) {
            assertThat(stream.nextMessage(WAIT)).isNotNull();
        }
        assertThat(person.post("/exports").status()).isEqualTo(202);
        assertThat(traces(client)).as("the person is in the tables before").isNotEmpty();

        Api.Reply asked = admin.postJson("/admin/erasures", Json.createObjectBuilder().add("user", client).build());

        assertThat(asked.status()).as("%s", asked).isEqualTo(202);
        String erasure = asked.json().getString("id");
        assertThat(asked.header("Location")).contains("/admin/erasures/" + erasure);
        JsonObject receipt = Await.value("the erasure", JOB, () -> admin.get("/admin/erasures/" + erasure).json(),
                found -> found.getString("state").equals("done"));
        assertThat(receipt.getString("subjectSha256")).isEqualTo(sha256(client));
        assertThat(receipt.toString()).doesNotContain(client);
        assertThat(receipt.getJsonObject("counts").getInt("message")).isEqualTo(5);
        assertThat(receipt.getJsonObject("counts").keySet()).contains("read_marker", "idempotency_key", "room", "chat",
                "stream_ticket", "data_export", "data_request", "room_author", "webhook_subscription",
                "webhook_delivery");
        assertThat(traces(client)).as("tables holding the subject").isEmpty();
        for (String text : texts) {
            assertThat(traces(text)).as("tables holding the text %s", text).isEmpty();
        }
        assertThat(counsellor.get("/room/" + room + "/chat/" + replyId).json().getJsonObject("chat")
                .getString("chat")).as("others' messages stay").isEqualTo(reply);
        JsonObject roomNow = counsellor.get("/room/" + room).json().getJsonObject("room");
        assertThat(roomNow.getInt("__v")).as("the room keeps its place and count").isEqualTo(6);
        assertThat(roomNow.getString("user")).isEqualTo("erased:" + erasure);
        assertThat(counsellor.get("/room/" + room + "/chat").json().getJsonArray("chats").getValuesAs(JsonObject.class))
                .filteredOn(message -> !message.getString("_id").equals(replyId))
                .allSatisfy(message -> assertThat(message.getBoolean("deleted")).isTrue());
        assertThat(Database.count("SELECT count(*) FROM message WHERE room_id = ?::uuid", room)).isEqualTo(6);
        assertProblem(admin.postJson("/admin/erasures", Json.createObjectBuilder().add("user", client).build()), 404);

        // A counsellor's erasure: the tombstone it left as a moderator stays, naming its pseudonym.
        JsonObject second = admin.postJson("/admin/erasures", Json.createObjectBuilder().add("user", counsellorSub)
                .build()).json();
        Await.value("the second erasure", JOB, () -> admin.get("/admin/erasures/" + second.getString("id")).json(),
                found -> found.getString("state").equals("done"));
        assertThat(traces(counsellorSub)).isEmpty();
        assertThat(traces(reply)).isEmpty();
        admin.delete("/webhooks/" + subscription);
        assertThat(Database.count("SELECT count(*) FROM message WHERE room_id = ?::uuid AND deleted_by = ?", room,
                "erased:" + second.getString("id"))).isEqualTo(2);  // the one it moderated, and its own reply
    }

    @Test
    void anExportHoldsEveryMessageThePersonWroteAndIsReadAfterTheFact() throws Exception {
        String room = Seeds.room(alice);
        Seeds.bulkMessages(room, 10_000, aliceSub);
        String last = Seeds.message(alice, room, "the last one, edited");
        alice.patchJson("/room/" + room + "/chat/" + last, "{\"chat\":\"the last one, edited twice\"}");
        alice.putJson("/room/" + room + "/marker", "{\"position\":10}");

        Api.Reply asked = alice.post("/exports");

        assertThat(asked.status()).as("%s", asked).isEqualTo(202);
        String id = asked.json().getString("id");
        String url = asked.json().getString("url");
        JsonObject done = Await.value("the export", JOB, () -> alice.get("/exports/" + id).json(),
                found -> found.getString("state").equals("done"));
        assertThat(done.containsKey("url")).as("the key is shown once").isFalse();
        Api.Reply file = Api.at(base).get(url);  // the link alone opens it, no token
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.contentType()).startsWith("application/jsonl");
        Map<String, List<JsonObject>> byType = new LinkedHashMap<>();
        for (String line : file.body().split("\n")) {
            JsonObject object = Json.createReader(new StringReader(line)).readObject();
            byType.computeIfAbsent(object.getString("type"), type -> new ArrayList<>()).add(object);
        }
        assertThat(byType.get("export")).singleElement()
                .satisfies(header -> assertThat(header.getString("user")).isEqualTo(aliceSub));
        List<JsonObject> messages = byType.get("message");
        assertThat(messages).hasSize(10_001);
        assertThat(messages).extracting(message -> message.getInt("position"))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 10_001).boxed().toList());
        assertThat(messages.get(4_999).getJsonObject("chat").getString("chat")).isEqualTo("message 5000");
        JsonObject edited = messages.get(10_000);
        assertThat(edited.getJsonObject("chat").getString("chat")).isEqualTo("the last one, edited twice");
        assertThat(edited.getJsonArray("texts").getValuesAs(JsonObject.class))
                .extracting(text -> text.getString("chat")).containsExactly("the last one, edited");
        assertThat(byType.get("room")).extracting(line -> line.getJsonObject("room").getString("_id"))
                .contains(room);
        assertThat(byType.get("marker")).singleElement()
                .satisfies(marker -> assertThat(marker.getInt("position")).isEqualTo(10));
        assertThat(done.getInt("lines")).isEqualTo(file.body().split("\n").length);

        assertProblem(Api.at(base).get(url.replaceAll("ticket=.*", "ticket=wrong")), 404);
        assertProblem(bob.get("/exports/" + id), 404);
        assertProblem(bob.postJson("/exports", "{\"user\":\"" + aliceSub + "\"}"), 403);
        assertProblem(bob.postJson("/admin/erasures", "{\"user\":\"" + aliceSub + "\"}"), 403);
        Api admin = as(Tokens.newSubject("admin"), "admin");
        assertProblem(admin.postJson("/exports", "{\"user\":\"nobody-" + UUID.randomUUID() + "\"}"), 404);
        assertProblem(admin.postJson("/admin/erasures", "{\"user\":\"nobody-" + UUID.randomUUID() + "\"}"), 404);
        assertProblem(admin.postJson("/admin/erasures", "{\"user\":\" \"}"), 400);
        assertProblem(admin.get("/admin/erasures/" + UUID.randomUUID()), 404);
        assertThat(admin.get("/exports/" + id).json().getString("state")).as("an admin follows any").isEqualTo("done");
        assertThat(Database.count("SELECT count(*) FROM data_request WHERE request_id = ?::uuid", id)).isEqualTo(1);
    }

    /** The tables (with a row) whose rows hold this text anywhere, in any column. */
    private static List<String> traces(String needle) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection connection = Database.connect();
             PreparedStatement tables = connection.prepareStatement("""
                     SELECT table_name FROM information_schema.tables
                      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'""");
             ResultSet names = tables.executeQuery()) {
            while (names.next()) {
                String table = names.getString(1);
                try (PreparedStatement scan = connection.prepareStatement(
                        "SELECT count(*) FROM \"" + table + "\" t WHERE strpos(t::text, ?) > 0")) {
                    scan.setString(1, needle);
                    try (ResultSet count = scan.executeQuery()) {
                        count.next();
                        if (count.getLong(1) > 0) {
                            found.add(table + " (" + count.getLong(1) + ")");
                        }
                    }
                }
            }
        }
        return found;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Api as(String subject, String... groups) {
        return Api.at(base).as(Tokens.valid(subject, groups));
    }
}
