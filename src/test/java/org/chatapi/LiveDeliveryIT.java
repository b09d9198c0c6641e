package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.chatapi.support.Api;
import org.chatapi.support.EventStream;
import org.chatapi.support.EventStream.Event;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.SharedServer;
import org.junit.jupiter.api.Test;

/** Live delivery: a room's event stream, on one instance and across two sharing the database. */
class LiveDeliveryIT extends ServerTest {

    @Test
    void streamsEachNewMessageOnceWithItsPosition() throws Exception {
        String room = Seeds.room(alice);
        Seeds.message(alice, room, "before subscribing");
        try (EventStream events = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, null)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            events.awaitSubscribed(WAIT);
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
        URL second = SharedServer.peer();
        Api aliceOnSecond = Api.at(second).as(aliceToken);
        String room = Seeds.room(alice);
        try (EventStream onSecond = EventStream.open(uri(second, "/room/" + room + "/events"), aliceToken, null);
             EventStream onFirst = EventStream.open(uri(base, "/room/" + room + "/events"), aliceToken, null)) {
            onSecond.awaitSubscribed(WAIT);
            onFirst.awaitSubscribed(WAIT);
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

    private static URI uri(URL base, String path) throws Exception {
        return base.toURI().resolve(path.substring(1));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new java.io.StringReader(text)).readObject();
    }
}
