package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.chatapi.support.Api;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.Instance;
import org.chatapi.support.Postgres;
import org.chatapi.support.Receiver;
import org.chatapi.support.ServerTest;
import org.chatapi.support.SharedServer;
import org.chatapi.support.Tokens;
import org.chatapi.support.WriteAudit;
import org.junit.jupiter.api.Test;

/**
 * The outbox under faults: clients post (with Idempotency-Keys) into a tenant's rooms through an instance that is
 * killed (SIGKILL) half way, then PostgreSQL restarts (as after a crash) while deliveries are on their way; every
 * message the database holds reaches the receiver at least once, signed, and nothing else does; a message received
 * twice came with the same webhook-id both times.
 */
class WebhookChaosIT extends ServerTest {

    private static final int POSTS = Integer.getInteger("chat.webhook.chaos.posts", 10_000);
    private static final int CLIENTS = 6;
    private static final Duration ALLOWED = Duration.ofSeconds(60 + POSTS / 50);

    @Test
    void everyCommittedMessageIsDeliveredAtLeastOnceAndNothingElse() throws Exception {
        String audience = "chaos-" + UUID.randomUUID();
        String tenantToken = Tokens.valid(Tokens.newSubject("tenant"), "audience:" + audience);
        Api tenant = Api.at(base).as(tenantToken);
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rooms.add(tenant.postJson("/api/v1/chats", Json.createObjectBuilder().add("scope", "room-" + i)
                    .add("audience", audience).build()).json().getJsonObject("real_time").getString("event_room_id"));
        }
        try (Receiver receiver = Receiver.start()) {
            JsonObject subscription = tenant.postJson("/webhooks", Json.createObjectBuilder()
                    .add("url", receiver.url()).add("eventTypes", Json.createArrayBuilder().add("message.posted"))
                    .add("audience", audience).build()).json();
            try {
                AtomicReference<Api> target = new AtomicReference<>();
                WriteAudit audit;
                try (Instance first = Instance.launch(Instance.freePort(), SharedServer.configuration())) {
                    first.awaitReady();
                    target.set(Api.at(first.base()).as(tenantToken));
                    audit = new WriteAudit(rooms, target::get).start(CLIENTS).awaitAcknowledgements(POSTS / 2, ALLOWED);
                    first.kill();
                }
                target.set(tenant);
                audit.awaitAcknowledgements(POSTS / 4, ALLOWED);
                Postgres.restart("immediate");
                audit.awaitAcknowledgements(POSTS - audit.acknowledgedCount(), ALLOWED);
                audit.stop();
                audit.resolveUnknown(Duration.ofSeconds(60));
                audit.verify();

                Set<String> stored = storedMessages(rooms);
                assertThat(stored.size()).isGreaterThanOrEqualTo(POSTS);
                Await.until("every stored message delivered", ALLOWED, () -> acceptedMessages(receiver)
                        .containsAll(stored));

                Webhook verifier = new Webhook(subscription.getString("secret"));
                Map<String, Set<String>> idsByMessage = new HashMap<>();
                for (Receiver.Request request : receiver.received()) {
                    verifier.verify(request.body(), request.headers());
                    idsByMessage.computeIfAbsent(messageOf(request), message -> new HashSet<>()).add(request.id());
                }
                assertThat(idsByMessage.keySet()).as("nothing that was not committed").isEqualTo(stored);
                assertThat(idsByMessage.values()).as("a message received twice came with one webhook-id")
                        .allSatisfy(ids -> assertThat(ids).hasSize(1));
                System.out.printf("webhooks under faults: %d messages stored, %d requests received, %d accepted%n",
                        stored.size(), receiver.received().size(), receiver.accepted().size());
            } finally {
                Api.at(base).as(Tokens.valid(Tokens.newSubject("admin"), "admin"))
                        .delete("/webhooks/" + subscription.getString("id"));
            }
        }
    }

    private static Set<String> acceptedMessages(Receiver receiver) {
        Set<String> messages = new HashSet<>();
        receiver.accepted().forEach(request -> messages.add(messageOf(request)));
        return messages;
    }

    private static String messageOf(Receiver.Request request) {
        JsonObject body = Json.createReader(new StringReader(request.body())).readObject();
        return body.getJsonObject("data").getJsonObject("chat").getString("_id");
    }

    private static Set<String> storedMessages(List<String> rooms) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = Database.connect();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id::text FROM message WHERE room_id = ANY (?::uuid[])")) {
            select.setString(1, "{" + String.join(",", rooms) + "}");
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getString(1));
                }
            }
        }
        return ids;
    }
}
