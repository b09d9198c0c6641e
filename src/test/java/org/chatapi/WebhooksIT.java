package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;

import com.standardwebhooks.Webhook;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatapi.support.Api;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.Receiver;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks through the real server to a real HTTP receiver: every event a subscription wants arrives signed
 * (checked with the Standard Webhooks library), in order per room, retried with the same webhook-id until taken; a
 * receiver that fails for a while gets everything afterwards; 410 disables; private destinations are refused.
 */
class WebhooksIT extends ServerTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final Api admin = as(Tokens.newSubject("admin"), "admin");
    private final List<String> subscriptions = new ArrayList<>();
    private Receiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = Receiver.start();
    }

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(id -> admin.delete("/webhooks/" + id));
        receiver.close();
    }

    @Test
    void deliversEveryEventSignedInOrderAndRetriesWithTheSameId() throws Exception {
        String room = Seeds.room(alice);
        JsonObject subscription = subscribe(admin, Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("message.posted").add("message.edited")
                        .add("message.deleted").add("marker.moved"))
                .add("room", room).build());
        AtomicInteger refusals = new AtomicInteger();
        receiver.answer(request -> new Receiver.Answer(refusals.getAndIncrement() < 3 ? 500 : 200, null));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(Seeds.message(alice, room, "message " + i));
        }
        alice.patchJson("/room/" + room + "/chat/" + ids.get(1), "{\"chat\":\"message 2, edited\"}");
        alice.delete("/room/" + room + "/chat/" + ids.get(2));
        alice.putJson("/room/" + room + "/marker", "{\"position\":5}");

        List<Receiver.Request> accepted = Await.value("8 deliveries taken", DELIVERY, receiver::accepted,
                taken -> taken.size() >= 8);

        assertThat(accepted).hasSize(8);
        Webhook verifier = new Webhook(subscription.getString("secret"));
        for (Receiver.Request request : receiver.received()) {
            verifier.verify(request.body(), request.headers());  // throws unless a signature is valid
        }
        List<JsonObject> bodies = accepted.stream().map(request -> json(request.body())).toList();
        assertThat(bodies).extracting(body -> body.getString("type")).containsExactly("message.posted",
                "message.posted", "message.posted", "message.posted", "message.posted", "message.edited",
                "message.deleted", "marker.moved");
        assertThat(bodies.subList(0, 5)).extracting(body -> body.getJsonObject("data").getInt("position"))
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(bodies.subList(0, 5)).extracting(body -> body.getJsonObject("data").getJsonObject("chat")
                .getString("_id")).containsExactlyElementsOf(ids);
        assertThat(bodies.get(4).getJsonObject("data").getJsonObject("chat").getString("chat"))
                .isEqualTo("message 5");
        assertThat(bodies.get(6).getJsonObject("data").getJsonObject("chat").getBoolean("deleted")).isTrue();
        assertThat(bodies.get(7).getJsonObject("data").getString("user")).isEqualTo(aliceSub);
        assertThat(receiver.received().subList(0, 4)).extracting(Receiver.Request::id)
                .as("the first delivery, refused three times, kept its webhook-id").containsOnly(accepted.get(0).id());
        assertThat(accepted).extracting(Receiver.Request::id).doesNotHaveDuplicates();
        assertThat(Database.count("SELECT count(*) FROM webhook_delivery WHERE subscription_id = ?::uuid "
                + "AND state = 'delivered'", subscription.getString("id"))).isEqualTo(8);

        JsonObject log = admin.get("/webhooks/" + subscription.getString("id") + "/deliveries").json();
        JsonObject first = log.getJsonArray("deliveries").getJsonObject(7);
        assertThat(first.getString("id")).isEqualTo(accepted.get(0).id());
        assertThat(first.getString("state")).isEqualTo("delivered");
        assertThat(first.getInt("attempts")).isEqualTo(4);
        assertThat(first.getInt("lastStatus")).isEqualTo(200);
    }

    @Test
    void aReceiverThatFailsForAWhileGetsEverythingAfterwardsInOrderPerRoom() throws Exception {
        String audience = "school-" + UUID.randomUUID();
        Api tenant = as(Tokens.newSubject("tenant"), "audience:" + audience);
        List<String> rooms = List.of(eventRoom(tenant, audience, "a"), eventRoom(tenant, audience, "b"));
        JsonObject subscription = subscribe(tenant, Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("message.posted")).add("audience", audience)
                .build());
        Instant failUntil = Instant.now().plusSeconds(8);
        receiver.answer(request -> new Receiver.Answer(Instant.now().isBefore(failUntil) ? 500 : 204, null));
        for (int i = 1; i <= 10; i++) {
            for (String room : rooms) {
                Seeds.message(tenant, room, "message " + i);
            }
        }
        JsonObject lagging = Await.value("the backlog in the readiness data", DELIVERY,
                () -> webhookCheck(Api.at(base).get("/health/ready").json()),
                check -> Long.parseLong(check.getJsonObject("data").get("pending").toString().replace("\"", "")) > 0);
        assertThat(lagging.getString("status")).as("a backlog does not take the instance out").isEqualTo("UP");

        List<Receiver.Request> accepted = Await.value("20 deliveries taken", DELIVERY, receiver::accepted,
                taken -> taken.size() >= 20);

        assertThat(receiver.received().size()).as("it was refused for a while").isGreaterThan(20);
        Webhook verifier = new Webhook(subscription.getString("secret"));
        Map<String, List<Integer>> positions = new HashMap<>();
        for (Receiver.Request request : accepted) {
            verifier.verify(request.body(), request.headers());
            JsonObject data = json(request.body()).getJsonObject("data");
            positions.computeIfAbsent(data.getString("room"), room -> new ArrayList<>()).add(data.getInt("position"));
        }
        assertThat(positions).containsOnlyKeys(rooms);
        positions.values().forEach(ofRoom -> assertThat(ofRoom).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    }

    @Test
    void aReceiverAnswering410DisablesTheSubscriptionUntilItIsEnabledAgain() throws Exception {
        String room = Seeds.room(alice);
        JsonObject subscription = subscribe(admin, Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("message.posted")).add("room", room).build());
        String id = subscription.getString("id");
        receiver.answerWith(410);
        Seeds.message(alice, room, "to a receiver that is gone");

        JsonObject disabled = Await.value("the subscription disabled", DELIVERY,
                () -> admin.get("/webhooks/" + id).json(), found -> !found.getBoolean("enabled"));
        assertThat(disabled.getString("disabledReason")).contains("410");
        Seeds.message(alice, room, "while disabled");
        Thread.sleep(1500);
        assertThat(receiver.received()).as("nothing more is sent while disabled").hasSize(1);

        receiver.answerWith(200);
        assertThat(admin.patchJson("/webhooks/" + id, "{\"enabled\":true}").json().getBoolean("enabled")).isTrue();
        List<Receiver.Request> accepted = Await.value("both delivered", DELIVERY, receiver::accepted,
                taken -> taken.size() >= 2);
        assertThat(accepted).extracting(request -> json(request.body()).getJsonObject("data").getInt("position"))
                .containsExactly(1, 2);
        assertThat(accepted.get(0).id()).isEqualTo(receiver.received().get(0).id());
    }

    @Test
    void refusesPrivateDestinationsAndEveryBadRequestAndWritesNothing() throws Exception {
        String audience = "school-" + UUID.randomUUID();
        Api tenant = as(Tokens.newSubject("tenant"), "audience:" + audience);
        String own = Seeds.room(alice);
        long before = Database.count("SELECT count(*) FROM webhook_subscription");
        for (String url : List.of("http://10.0.0.7/hooks", "http://169.254.169.254/latest/meta-data",
                "http://192.168.1.1/", "http://[::1]:8080/", "http://0.0.0.0:9/", "http://[fd00::1]/",
                "http://100.64.0.1/", "ftp://example.com/", "file:///etc/passwd", "not a url",
                "http://user:password@127.0.0.1/", "http://no-such-host.invalid/")) {
            assertProblem(admin.postJson("/webhooks", Json.createObjectBuilder().add("url", url)
                    .add("eventTypes", Json.createArrayBuilder().add("message.posted")).build()), 400);
        }
        for (String body : List.of("{}", "{\"url\":\"" + receiver.url() + "\"}",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[]}",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"message.read\"]}",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"message.posted\",\"message.posted\"]}",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":\"message.posted\"}",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"message.posted\"],\"room\":\"x\"}", "[]")) {
            assertProblem(admin.postJson("/webhooks", body), 400);
        }
        String valid = "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"message.posted\"]";
        assertProblem(alice.postJson("/webhooks", valid + "}"), 403);
        assertProblem(as(Tokens.newSubject("pro"), "pro").postJson("/webhooks", valid + "}"), 403);
        assertProblem(tenant.postJson("/webhooks", valid + "}"), 403);
        assertProblem(tenant.postJson("/webhooks", valid + ",\"audience\":\"another\"}"), 403);
        assertProblem(tenant.postJson("/webhooks", valid + ",\"room\":\"" + own + "\"}"), 403);
        assertProblem(admin.postJson("/webhooks", valid + ",\"room\":\"" + UUID.randomUUID() + "\"}"), 404);
        assertProblem(admin.method("POST", "/webhooks", "text/plain", valid + "}"), 415);
        assertThat(Database.count("SELECT count(*) FROM webhook_subscription")).isEqualTo(before);

        JsonObject mine = subscribe(tenant, Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("room.created")).add("audience", audience).build());
        assertThat(mine.getString("audience")).isEqualTo(audience);
        assertProblem(as(Tokens.newSubject("other"), "audience:other").get("/webhooks/" + mine.getString("id")), 403);
        assertProblem(tenant.patchJson("/webhooks/" + mine.getString("id"), "{\"url\":\"http://10.1.1.1/\"}"), 400);
        assertProblem(tenant.get("/webhooks/" + UUID.randomUUID()), 404);
        assertThat(tenant.get("/webhooks").json().getJsonArray("webhooks")).hasSize(1);
        assertThat(tenant.get("/webhooks/" + mine.getString("id")).json().containsKey("secret"))
                .as("the secret is shown once").isFalse();
    }

    @Test
    void aRotatedSecretSignsAlongsideTheNewOneAndDeliveriesReplayWithTheirIds() throws Exception {
        String room = Seeds.room(alice);
        JsonObject subscription = subscribe(admin, Json.createObjectBuilder().add("url", receiver.url())
                .add("eventTypes", Json.createArrayBuilder().add("message.posted")).add("room", room).build());
        String id = subscription.getString("id");
        JsonObject rotated = admin.post("/webhooks/" + id + "/secret").json();
        assertThat(rotated.getString("secret")).startsWith("whsec_").isNotEqualTo(subscription.getString("secret"));
        assertThat(rotated.getString("previousSecretUntil")).isNotNull();
        Seeds.message(alice, room, "signed twice");

        Receiver.Request taken = Await.value("the delivery", DELIVERY, receiver::accepted, list -> !list.isEmpty())
                .get(0);
        assertThat(taken.headers().get("webhook-signature").get(0).split(" ")).hasSize(2);
        new Webhook(subscription.getString("secret")).verify(taken.body(), taken.headers());
        new Webhook(rotated.getString("secret")).verify(taken.body(), taken.headers());

        String delivery = admin.get("/webhooks/" + id + "/deliveries").json().getJsonArray("deliveries")
                .getJsonObject(0).getString("id");
        assertThat(admin.post("/webhooks/" + id + "/deliveries/" + delivery + "/replay").json().getInt("replayed"))
                .isEqualTo(1);
        Await.value("the replay", DELIVERY, receiver::accepted, list -> list.size() >= 2);
        assertThat(admin.postJson("/webhooks/" + id + "/replay", "{\"since\":\"2020-01-01T00:00:00Z\"}").json()
                .getInt("replayed")).isEqualTo(1);
        List<Receiver.Request> all = Await.value("the range's replay", DELIVERY, receiver::accepted,
                list -> list.size() >= 3);
        assertThat(all).extracting(Receiver.Request::id).containsOnly(taken.id());
        assertProblem(admin.postJson("/webhooks/" + id + "/replay", "{\"since\":\"yesterday\"}"), 400);
    }

    private static JsonObject webhookCheck(JsonObject health) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals("webhook-delivery")).findFirst().orElseThrow();
    }

    private JsonObject subscribe(Api caller, JsonObject request) {
        Api.Reply created = caller.postJson("/webhooks", request);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonObject subscription = created.json();
        subscriptions.add(subscription.getString("id"));
        assertThat(created.header("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/webhooks/" + subscription.getString("id")));
        assertThat(subscription.getString("secret")).startsWith("whsec_");
        return subscription;
    }

    private static String eventRoom(Api tenant, String audience, String scope) {
        return tenant.postJson("/api/v1/chats", Json.createObjectBuilder().add("scope", scope)
                .add("audience", audience).build()).json().getJsonObject("real_time").getString("event_room_id");
    }

    private Api as(String subject, String... groups) {
        return Api.at(base).as(Tokens.valid(subject, groups));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
