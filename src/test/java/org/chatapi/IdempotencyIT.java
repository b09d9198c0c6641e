package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.junit.jupiter.api.Test;

/** Idempotent POSTs: a retry with the same Idempotency-Key replays the first response instead of posting twice. */
class IdempotencyIT extends ServerTest {

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
    void aRetryTakesOverAtOnceTheKeyOfARequestThatDied() throws Exception {
        String room = Seeds.room(alice);
        String key = "died-" + UUID.randomUUID();
        Api keyed = alice.header("Idempotency-Key", key);
        // A request claimed the key, then its instance was killed (or its database failed over) before it completed:
        // its claim stays, without a response. (Its fingerprint is that of the same request sent with another key.)
        String sameRequest = "same-" + UUID.randomUUID();
        assertThat(alice.header("Idempotency-Key", sameRequest)
                .postJson("/room/" + room + "/chat", "{\"chat\":\"retried\"}").status()).isEqualTo(201);
        Database.update("INSERT INTO idempotency_key (caller_sub, key, fingerprint, claimed_at, expires_at)"
                + " SELECT caller_sub, ?, fingerprint, now(), now() + interval '1 day' FROM idempotency_key"
                + " WHERE caller_sub = ? AND key = ?", key, aliceSub, sameRequest);

        // While a transaction holds the key's lock, the request is running: a retry is told so.
        try (Connection running = Database.connect()) {
            running.setAutoCommit(false);
            try (PreparedStatement lock = running.prepareStatement(
                    "SELECT CAST(pg_advisory_xact_lock(" + 0x1de4 + ", hashtext(? || ' ' || ?)) AS text)")) {
                lock.setString(1, aliceSub);
                lock.setString(2, key);
                lock.execute();
            }
            assertProblem(keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"retried\"}"), 409);
            running.rollback();
        }
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);

        // Once that lock is gone (PostgreSQL drops it with the connection of a request that died), a retry takes the
        // key over at once, with no time-out to wait for, and posts exactly once.
        Reply retried = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"retried\"}");
        Reply replayed = keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"retried\"}");

        assertThat(retried.status()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.body()).isEqualTo(retried.body());
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(2);
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
}
