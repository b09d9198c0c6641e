package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.chatapi.support.Api;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.EventStream.Event;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.SharedServer;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * A message's whole life: its author edits it, its author or a moderator deletes it, supervisors read what it said,
 * and every stream tells of each change once, in the room's order.
 */
class EditDeleteIT extends ServerTest {

    @Test
    void theAuthorEditsTheTextAndTheMessageKeepsItsIdAndPlace() {
        String room = Seeds.room(alice);
        String first = Seeds.message(alice, room, "first");
        String second = Seeds.message(alice, room, "secnod");
        String third = Seeds.message(alice, room, "third");

        Api.Reply edited = alice.patchJson(chat(room, second), "{\"chat\":\"second\"}");

        assertThat(edited.status()).as("%s", edited).isEqualTo(200);
        JsonObject message = edited.json().getJsonObject("chat");
        assertThat(message.getString("_id")).isEqualTo(second);
        assertThat(message.getString("chat")).isEqualTo("second");
        assertThat(message.getInt("__v")).isEqualTo(1);
        assertThat(message.getString("editedAt")).isGreaterThanOrEqualTo(message.getString("createdAt"));
        assertThat(message.containsKey("deleted")).isFalse();
        assertThat(alice.get(chat(room, second)).json().getJsonObject("chat")).isEqualTo(message);
        assertThat(alice.get("/room/" + room + "/chat").messageIds()).containsExactly(first, second, third);
        assertThat(alice.get("/room/" + room + "/chat").json().getJsonArray("chats").getJsonObject(1))
                .as("history shows the message as it is now").isEqualTo(message);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v"))
                .as("the room's count is of messages posted").isEqualTo(3);

        Api.Reply again = alice.patchJson(chat(room, second), "{\"chat\":\"second\"}");
        assertThat(again.json().getJsonObject("chat")).as("the same text again changes nothing").isEqualTo(message);
        Api.Reply patched = alice.method("PATCH", chat(room, second), "application/merge-patch+json",
                "{\"chat\":\"2nd\"}");
        assertThat(patched.json().getJsonObject("chat").getInt("__v")).isEqualTo(2);
        assertThat(Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid", room)).isEqualTo(2);
    }

    @Test
    void everyEarlierTextIsKeptForItsAuthorAndForSupervisorsOnly() {
        String room = Seeds.room(alice);
        Api counsellor = as(Tokens.newSubject("counsellor"), "pro");
        Api supervisor = as(Tokens.newSubject("supervisor"), "admin");
        String reply = Seeds.message(counsellor, room, "call me on 0123");
        counsellor.patchJson(chat(room, reply), "{\"chat\":\"call us\"}");
        counsellor.patchJson(chat(room, reply), "{\"chat\":\"call us any time\"}");

        for (Api reader : List.of(counsellor, supervisor, as(Tokens.newSubject("other-counsellor"), "pro"))) {
            Api.Reply edits = reader.get(chat(room, reply) + "/edits");
            assertThat(edits.status()).as("%s", edits).isEqualTo(200);
            List<JsonObject> texts = edits.json().getJsonArray("texts").getValuesAs(JsonObject.class);
            assertThat(texts).extracting(text -> text.getString("chat"))
                    .containsExactly("call me on 0123", "call us", "call us any time");
            assertThat(texts).extracting(text -> text.getInt("__v")).containsExactly(0, 1, 2);
            assertThat(texts.get(1).getString("writtenAt")).isEqualTo(texts.get(0).getString("replacedAt"));
            assertThat(texts.get(2).containsKey("replacedAt")).isFalse();
            assertThat(edits.json().getJsonObject("chat").getString("chat")).isEqualTo("call us any time");
        }
        assertRoomProblem(alice.get(chat(room, reply) + "/edits"), 403);  // reads the room, is not the author

        String own = Seeds.message(alice, room, "a secret");
        alice.delete(chat(room, own));
        List<JsonObject> kept = supervisor.get(chat(room, own) + "/edits").json().getJsonArray("texts")
                .getValuesAs(JsonObject.class);
        assertThat(kept).as("a deleted message's text stays with its supervisors").singleElement()
                .satisfies(text -> assertThat(text.getString("chat")).isEqualTo("a secret"));
        assertThat(alice.get(chat(room, own) + "/edits").json().getJsonArray("texts")).hasSize(1);
        assertRoomProblem(bob.get(chat(room, own) + "/edits"), 403);
    }

    @Test
    void refusedEditsAndDeletionsChangeNothing() {
        String room = Seeds.room(alice);
        Api counsellor = as(Tokens.newSubject("counsellor"), "pro");
        String own = Seeds.message(alice, room, "mine");
        String theirs = Seeds.message(counsellor, room, "the counsellor's");
        String gone = Seeds.message(alice, room, "to be deleted");
        alice.delete(chat(room, gone));
        String old = Seeds.message(alice, room, "posted long ago");
        Database.update("""
                UPDATE message SET created_at = created_at - make_interval(secs => ?::int + 1) WHERE id = ?::uuid""",
                Long.toString(SharedServer.EDIT_WINDOW_SECONDS), old);
        String elsewhere = Seeds.message(alice, Seeds.room(alice), "in another room");
        String rows = Database.rowCounts();

        assertThat(assertRoomProblem(counsellor.patchJson(chat(room, own), "{\"chat\":\"x\"}"), 403)
                .getString("type")).as("nobody edits another's text").endsWith(":access-denied");
        assertRoomProblem(alice.patchJson(chat(room, theirs), "{\"chat\":\"x\"}"), 403);
        assertRoomProblem(bob.patchJson(chat(room, own), "{\"chat\":\"x\"}"), 403);
        assertRoomProblem(alice.delete(chat(room, theirs)), 403);  // owns the room, not the message
        assertRoomProblem(bob.delete(chat(room, own)), 403);
        assertThat(assertRoomProblem(alice.patchJson(chat(room, gone), "{\"chat\":\"x\"}"), 409).getString("type"))
                .endsWith(":message-deleted");
        assertThat(assertRoomProblem(alice.patchJson(chat(room, old), "{\"chat\":\"x\"}"), 403).getString("type"))
                .endsWith(":edit-window-closed");
        assertRoomProblem(alice.patchJson(chat(room, UUID.randomUUID().toString()), "{\"chat\":\"x\"}"), 404);
        assertRoomProblem(alice.delete(chat(room, UUID.randomUUID().toString())), 404);
        assertRoomProblem(alice.patchJson(chat(UUID.randomUUID().toString(), own), "{\"chat\":\"x\"}"), 404);
        assertRoomProblem(alice.patchJson(chat(room, elsewhere), "{\"chat\":\"x\"}"), 400);
        assertRoomProblem(alice.delete(chat(room, elsewhere)), 400);
        assertRoomProblem(alice.patchJson(chat(room, "not-an-id"), "{\"chat\":\"x\"}"), 400);
        assertRoomProblem(alice.patchJson(chat(room, own), "{\"chat\":\"" + "x".repeat(16385) + "\"}"), 400);
        assertRoomProblem(alice.patchJson(chat(room, own), "{\"chat\":\" \\n\"}"), 400);
        assertRoomProblem(alice.patchJson(chat(room, own), "{\"text\":\"x\"}"), 400);
        assertRoomProblem(alice.patchJson(chat(room, own), "{\"chat\":"), 400);
        assertRoomProblem(alice.method("PATCH", chat(room, own), "text/plain", "x"), 415);
        assertRoomProblem(counsellor.delete(chat(room, own) + "?reason=%20"), 400);
        assertRoomProblem(counsellor.delete(chat(room, own) + "?reason=" + "r".repeat(501)), 400);

        assertThat(Database.rowCounts()).as("refusals write nothing").isEqualTo(rows);
        assertThat(alice.get(chat(room, own)).json().getJsonObject("chat").getString("chat")).isEqualTo("mine");
    }

    @Test
    void anAuthorOrAModeratorDeletesAndATombstoneKeepsThePlace() {
        String room = Seeds.room(alice);
        String counsellorSub = Tokens.newSubject("counsellor");
        Api counsellor = as(counsellorSub, "pro");
        String regretted = Seeds.message(alice, room, "something I regret");
        String exposing = Seeds.message(alice, room, "my neighbour's name is ...");
        String last = Seeds.message(counsellor, room, "thank you");

        JsonObject byAuthor = alice.delete(chat(room, regretted)).json().getJsonObject("chat");
        Api.Reply moderated = counsellor.delete(chat(room, exposing) + "?reason=personal%20data");

        assertThat(moderated.status()).as("%s", moderated).isEqualTo(200);
        JsonObject tombstone = moderated.json().getJsonObject("chat");
        assertThat(tombstone.getString("_id")).isEqualTo(exposing);
        assertThat(tombstone.getString("chat")).isEmpty();
        assertThat(tombstone.getBoolean("deleted")).isTrue();
        assertThat(tombstone.getString("deletedBy")).isEqualTo(counsellorSub);
        assertThat(tombstone.getString("deleteReason")).isEqualTo("personal data");
        assertThat(tombstone.getString("user")).isEqualTo(aliceSub);
        assertThat(byAuthor.getString("deletedBy")).isEqualTo(aliceSub);
        assertThat(byAuthor.containsKey("deleteReason")).isFalse();
        assertThat(alice.get("/room/" + room + "/chat").messageIds()).containsExactly(regretted, exposing, last);
        assertThat(alice.get("/room/" + room + "/chat").body()).doesNotContain("regret").doesNotContain("neighbour");
        assertThat(alice.get(chat(room, exposing)).json().getJsonObject("chat")).isEqualTo(tombstone);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(3);

        String rows = Database.rowCounts();
        Api.Reply twice = alice.delete(chat(room, exposing));
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.json().getJsonObject("chat")).as("deleting twice changes nothing").isEqualTo(tombstone);
        assertThat(Database.rowCounts()).isEqualTo(rows);
        assertThat(Database.count("SELECT count(*) FROM message WHERE room_id = ?::uuid AND body IS NOT NULL", room))
                .isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReplaysAnEditAndADeletion() {
        String room = Seeds.room(alice);
        String message = Seeds.message(alice, room, "v0");
        Api once = alice.header("Idempotency-Key", UUID.randomUUID().toString());

        Api.Reply first = once.patchJson(chat(room, message), "{\"chat\":\"v1\"}");
        alice.patchJson(chat(room, message), "{\"chat\":\"v2\"}");
        Api.Reply replayed = once.patchJson(chat(room, message), "{\"chat\":\"v1\"}");

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).contains("true");
        assertThat(replayed.body()).isEqualTo(first.body());
        assertThat(alice.get(chat(room, message)).json().getJsonObject("chat").getString("chat"))
                .as("a replay does not edit again").isEqualTo("v2");
        assertRoomProblem(once.patchJson(chat(room, message), "{\"chat\":\"v3\"}"), 422);
        Api deleteOnce = alice.header("Idempotency-Key", UUID.randomUUID().toString());
        String tombstone = deleteOnce.delete(chat(room, message)).body();
        assertThat(deleteOnce.delete(chat(room, message)).body()).isEqualTo(tombstone);
        assertThat(Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid", room)).isEqualTo(3);
    }

    @Test
    void aDeletedMessageStillCountsWhereItStandsInUnreadCountsAndWaiting() {
        String room = Seeds.room(alice);
        Api counsellor = as(Tokens.newSubject("counsellor"), "pro");
        String question = Seeds.message(alice, room, "are you there?");
        assertThat(counsellor.get("/room/" + room + "/marker").json().getJsonObject("marker").getInt("unread"))
                .isEqualTo(1);

        alice.delete(chat(room, question));

        assertThat(counsellor.get("/room/" + room + "/marker").json().getJsonObject("marker").getInt("unread"))
                .as("the tombstone is unread until read past").isEqualTo(1);
        assertThat(inboxRoom(alice, room).getString("waitingSince")).as("the owner still waits").isNotNull();
        String answer = Seeds.message(counsellor, room, "yes");
        counsellor.delete(chat(room, answer));
        assertThat(inboxRoom(alice, room).isNull("waitingSince")).as("a deleted answer was an answer").isTrue();
        assertThat(alice.get("/room/" + room + "/marker").json().getJsonObject("marker").getInt("unread"))
                .as("the owner has not read the deleted answer").isEqualTo(1);
    }

    @Test
    void theRoomStreamTellsOfEachEditAndDeletionOnceInOrderAndResumesFromAnyEvent() throws Exception {
        String room = Seeds.room(alice);
        String first = Seeds.message(alice, room, "one");
        URI events = base.toURI().resolve("/room/" + room + "/events");
        List<Event> received;
        try (EventStream stream = EventStream.open(events, aliceToken, "0").awaitSubscribed(WAIT)) {
            assertThat(stream.nextMessage(WAIT).id()).isEqualTo("1");
            alice.patchJson(chat(room, first), "{\"chat\":\"one, edited\"}");
            String second = Seeds.message(alice, room, "two");
            alice.delete(chat(room, second));
            alice.patchJson(chat(room, first), "{\"chat\":\"one, edited again\"}");
            received = List.of(stream.nextMessage(WAIT), stream.nextMessage(WAIT), stream.nextMessage(WAIT),
                    stream.nextMessage(WAIT));
        }

        assertThat(received).extracting(Event::id).containsExactly("1.1", "2", "2.2", "2.3");
        assertThat(received).extracting(Event::name).containsExactly("edit", null, "delete", "edit");
        assertThat(json(received.get(0)).getString("_id")).isEqualTo(first);
        assertThat(received.get(2).data()).contains("\"deleted\":true").doesNotContain("two");

        for (String resumeAfter : List.of("0", "1", "1.1", "2", "2.2")) {
            try (EventStream resumed = EventStream.open(events, aliceToken, resumeAfter).awaitSubscribed(WAIT)) {
                List<Event> missed = resumed.messagesUntilQuiet(Duration.ofMillis(700));
                List<String> all = List.of("1", "1.1", "2", "2.2", "2.3");
                assertThat(missed).extracting(Event::id).as("after " + resumeAfter)
                        .containsExactlyElementsOf(all.subList(all.indexOf(resumeAfter) + 1, all.size()));
                assertThat(missed).allSatisfy(event -> assertThat(event.data()).doesNotContain("\"two\"")
                        .doesNotContain("\"one\""));
            }
        }
        assertRoomProblem(alice.get("/room/" + room + "/events?last_event_id=1.x"), 400);
    }

    @Test
    void theInboxStreamTellsOfEditsAndDeletions() throws Exception {
        String room = Seeds.room(alice);
        String message = Seeds.message(alice, room, "hello");
        try (EventStream inbox = EventStream.open(base.toURI().resolve("/inbox/events"), aliceToken, null)) {
            assertThat(inbox.nextMessage(WAIT).name()).isEqualTo("ready");
            alice.patchJson(chat(room, message), "{\"chat\":\"hello, edited\"}");
            alice.delete(chat(room, message));

            Event edit = inbox.nextMessage(WAIT);
            Event deletion = inbox.nextMessage(WAIT);
            assertThat(edit.name()).isEqualTo("edit");
            assertThat(deletion.name()).isEqualTo("delete");
            for (Event event : List.of(edit, deletion)) {
                JsonObject data = json(event);
                assertThat(data.getString("room")).isEqualTo(room);
                assertThat(data.getInt("position")).isEqualTo(1);
                assertThat(data.getJsonObject("chat").getString("_id")).isEqualTo(message);
                assertThat(data.toString()).doesNotContain("\"hello\"");
            }
            assertThat(json(deletion).getJsonObject("chat").getBoolean("deleted")).isTrue();
        }
    }

    private static JsonObject inboxRoom(Api reader, String room) {
        return reader.get("/inbox?limit=1000").json().getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                .filter(candidate -> candidate.getString("_id").equals(room)).findFirst().orElseThrow();
    }

    private static JsonObject json(Event event) {
        try (var reader = Json.createReader(new StringReader(event.data()))) {
            return reader.readObject();
        }
    }

    private static String chat(String room, String message) {
        return "/room/" + room + "/chat/" + message;
    }

    private Api as(String subject, String... groups) {
        return Api.at(base).as(Tokens.valid(subject, groups));
    }
}
