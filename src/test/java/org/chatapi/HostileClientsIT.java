package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertProblem;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.RawHttp;
import org.chatapi.support.Scrape;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.chatapi.support.WriteAudit;
import org.junit.jupiter.api.Test;

/**
 * Callers with valid tokens and ill intent, and what a proxy in front would pass on: none may stall the server,
 * fail another caller's post, pass as someone else, or make the service echo what it chose.
 */
class HostileClientsIT extends ServerTest {

    @Test
    void slowBodiesHoldNoRequestThread() throws Exception {
        String room = Seeds.room(alice);
        Api other = Api.at(base).as(Tokens.valid(Tokens.newSubject("other")));
        String otherRoom = Seeds.room(other);
        List<Socket> slow = new ArrayList<>();
        try {
            // Four times as many stalled uploads as the server has request threads.
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /room/" + room + "/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + aliceToken + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"chat\":\"")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Instant asked = Instant.now();
                assertThat(other.postJson("/room/" + otherRoom + "/chat", "{\"chat\":\"still served " + i + "\"}").status())
                        .isEqualTo(201);
                assertThat(other.get("/room/" + otherRoom).status()).isEqualTo(200);
                millis.add(Duration.between(asked, Instant.now()).toMillis());
            }
            System.out.printf("64 stalled uploads open: a post and a read answered in %s ms%n", millis);
            // Before, each waited for a request thread that a stalled upload held until its 408 (5 s in the tests).
            assertThat(millis).allSatisfy(each -> assertThat(each).isLessThan(2000));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isZero();
    }

    /**
     * A client that opens a room's stream and the inbox stream, then stops reading, holds up no other reader, and a
     * reader slower than the messages arrive gets every one: the server writes each stream from a bounded queue of
     * its own, and a stream whose queue was full catches up from the database. (Before, the room's one delivery
     * thread waited on the full socket: a reader beside it got 1,312 of 2,000 such messages, then nothing.)
     */
    @Test
    void aStreamThatIsNotReadHoldsUpNoOtherReader() throws Exception {
        String room = Seeds.room(alice);
        int messages = 2000;
        List<Socket> stuck = new ArrayList<>();
        try (EventStream reader = EventStream.open(URI.create(base + "room/" + room + "/events"), aliceToken, null);
             EventStream inboxReader = EventStream.open(URI.create(base + "inbox/events"), aliceToken, null)) {
            reader.awaitSubscribed(WAIT);
            assertThat(inboxReader.nextMessage(WAIT).name()).isEqualTo("ready");
            double open = streamsOpen();
            for (String path : List.of("/room/" + room + "/events", "/inbox/events")) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                socket.setReceiveBufferSize(4096);
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + aliceToken + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stuck.add(socket);
            }
            // Both sockets' streams are open (the server counts them) before the messages come.
            Await.until("the unread streams opened", WAIT, () -> streamsOpen() >= open + 2);
            Seeds.largeMessages(room, messages, 8000);

            int received = 0;
            for (EventStream.Event event = reader.nextMessage(WAIT); event != null && received < messages;
                 event = reader.nextMessage(WAIT)) {
                received++;
            }
            int inboxReceived = 0;
            for (EventStream.Event event = inboxReader.nextMessage(WAIT); event != null && inboxReceived < messages;
                 event = inboxReader.nextMessage(WAIT)) {
                inboxReceived++;
            }
            assertThat(received).as("messages the room stream's reader got").isEqualTo(messages);
            assertThat(inboxReceived).as("messages the inbox stream's reader got").isEqualTo(messages);
        } finally {
            for (Socket socket : stuck) {
                socket.close();
            }
        }
    }

    @Test
    void aCallerWhosePostsCannotBeStoredNeverFailsAnothersPost() throws Exception {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rooms.add(Seeds.room(alice));
        }
        AtomicInteger poisoner = new AtomicInteger();
        List<String> poisonSubjects = List.of("p".repeat(256), "nul\\u0000sub", "\\ud800X");
        WriteAudit audit = new WriteAudit(rooms, () -> alice).withoutKeys()
                .withPoison(3, () -> Api.at(base).as(Tokens.withRawSubject(poisonSubjects.get(poisoner.getAndIncrement() % 3))))
                .withPoison(1, () -> Api.at(base).as(Tokens.valid("x".repeat(300), "pro")))
                .start(6)
                .awaitAcknowledgements(300, Duration.ofSeconds(60))
                .awaitPoisonAnswers(100, Duration.ofSeconds(60));
        audit.stop();

        System.out.printf("poisoned audit: %d acknowledged, %d poison posts answered, statuses %s%n",
                audit.acknowledgedCount(), audit.poisonAnswered(), audit.statuses());
        assertThat(audit.poisonAnswered()).isPositive();
        assertThat(audit.unexpectedAnswers()).isEmpty();
        audit.verify();
    }

    @Test
    void refusesIdentitiesItCannotStoreExactly() {
        String before = Database.rowCounts();
        for (String subject : List.of("s".repeat(256), "a\\u0000b", "\\ud800X", "X\\udc00", " ")) {
            Api caller = Api.at(base).as(Tokens.withRawSubject(subject));
            assertRoomProblem(caller.post("/room"), 401);
            assertThat(caller.post("/room").header("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer"));
        }
        assertProblem(Api.at(base).as(Tokens.valid(Tokens.newSubject("g"), "pro\u0000")).get("/api/v1/chats/" + UUID.randomUUID()), 401);
        assertThat(Database.rowCounts()).isEqualTo(before);

        // The longest subject that can be stored is stored exactly.
        String longest = "ü".repeat(255);
        Api exact = Api.at(base).as(Tokens.valid(longest));
        String room = Seeds.room(exact);
        assertThat(exact.get("/room/" + room).json().getJsonObject("room").getString("user")).isEqualTo(longest);
    }

    @Test
    void refusesTokensBeforeTheirTimeAndForOtherAudiences() {
        String subject = Tokens.newSubject("early");
        assertRoomProblem(Api.at(base).as(Tokens.notBefore(Instant.now().plus(Duration.ofDays(1)), subject)).post("/room"), 401);
        assertThat(Api.at(base).as(Tokens.notBefore(Instant.now().plus(Duration.ofSeconds(20)), subject)).post("/room").status())
                .as("within the allowed clock skew").isEqualTo(201);
        assertThat(Api.at(base).as(Tokens.notBefore(Instant.now().minusSeconds(60), subject)).post("/room").status())
                .isEqualTo(201);
        assertRoomProblem(Api.at(base).as(Tokens.forAudience("someone-else", subject)).post("/room"), 401);
        assertRoomProblem(Api.at(base).as(Tokens.forAudience(null, subject)).post("/room"), 401);
    }

    @Test
    void neverEchoesTheHostTheClientChose() {
        String key = "host-" + UUID.randomUUID();
        String created = RawHttp.exchange(base, "POST /room HTTP/1.1\r\nHost: evil.example:4444\r\nAuthorization: Bearer "
                + aliceToken + "\r\nIdempotency-Key: " + key + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", WAIT);
        assertThat(created).startsWith("HTTP/1.1 201").doesNotContain("evil.example");
        String location = RawHttp.header(created, "Location");
        assertThat(location).matches("/room/[0-9a-f-]{36}");

        Reply replayed = alice.header("Idempotency-Key", key).post("/room");
        assertThat(replayed.header("Idempotent-Replayed")).hasValue("true");
        assertThat(replayed.header("Location")).hasValue(location);

        String room = location.substring("/room/".length());
        for (int i = 0; i < 3; i++) {
            Seeds.message(alice, room, "message " + i);
        }
        String page = RawHttp.exchange(base, "GET http://evil.example:4444/room/" + room + "/chat?limit=1 HTTP/1.1\r\n"
                + "Host: evil.example:4444\r\nAuthorization: Bearer " + aliceToken + "\r\nConnection: close\r\n\r\n", WAIT);
        assertThat(page).startsWith("HTTP/1.1 200").doesNotContain("evil.example");
        assertThat(RawHttp.header(page, "Link")).startsWith("</room/" + room + "/chat?");
        String pro = Tokens.valid(Tokens.newSubject("counsellor"), "pro");
        String rooms = RawHttp.exchange(base, "GET /room?limit=1 HTTP/1.1\r\nHost: evil.example:4444\r\n"
                + "Authorization: Bearer " + pro + "\r\nConnection: close\r\n\r\n", WAIT);
        assertThat(rooms).startsWith("HTTP/1.1 200").doesNotContain("evil.example");
        assertThat(alice.get(alice.get("/room/" + room + "/chat?limit=1").link("next")).messageIds()).hasSize(1);
    }

    @Test
    void refusesAHostThatNamesNoHost() {
        String before = Database.rowCounts();
        for (String host : List.of("a b", "[zz", "localhost:99999", "evil.example/x")) {
            String received = RawHttp.exchange(base, "POST /room HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                    + aliceToken + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", WAIT);
            assertThat(received).as(host).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
        assertThat(Database.rowCounts()).isEqualTo(before);
    }

    /**
     * The routes read the path as sent; the server maps a request by its decoded, normalized path, and continues a
     * body read ahead with that decoded path. An escaped '?' must not turn a post into a room into a room creation,
     * nor escaped dot segments turn it into another route.
     */
    @Test
    void answersEveryPathAsSentAlsoWhenItsBodyIsReadAhead() throws Exception {
        String before = Database.rowCounts();
        for (String path : List.of("/room/%3F%20x/chat", "/room/%23x/chat", "/room/x%2F..%2F..%2Fhealth/chat",
                "/room/%2e%2e/room/chat")) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + aliceToken
                        + "\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300);
                out.write("{\"chat\":\"x\"}".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String received = RawHttp.readUntilClosedOrQuiet(socket.getInputStream());
                assertThat(received).as(path).startsWith("HTTP/1.1 400").contains("application/problem+json")
                        .contains("\"error\":");
            }
        }
        assertThat(Database.rowCounts()).isEqualTo(before);
    }

    /**
     * Posts whose body comes apart from their headers, a moment later or at once, one after the other on one
     * connection: every one is answered and stored once, whether its body was complete before the request thread
     * left the read-ahead or after (each way hands the request on differently; a hand-over that overtook the request
     * thread's way out of the server once left a request without an answer).
     */
    @Test
    void answersEveryPostWhoseBodyComesApartFromItsHeaders() throws Exception {
        String room = Seeds.room(alice);
        int posts = 300;
        Socket socket = null;
        try {
            for (int i = 0; i < posts; i++) {
                if (socket == null) {
                    socket = new Socket(base.getHost(), base.getPort());
                    socket.setSoTimeout((int) WAIT.toMillis());
                    socket.setTcpNoDelay(true);
                }
                OutputStream out = socket.getOutputStream();
                byte[] body = ("{\"chat\":\"apart " + i + "\"}").getBytes(StandardCharsets.US_ASCII);
                out.write(("POST /room/" + room + "/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + aliceToken + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (i % 3 > 0) {
                    Thread.sleep(i % 3 == 1 ? 0 : 2);
                }
                out.write(body);
                out.flush();
                String answer = RawHttp.readResponse(socket.getInputStream());
                assertThat(answer).as("answer to post %d", i).startsWith("HTTP/1.1 201");
                if ("close".equalsIgnoreCase(RawHttp.header(answer, "Connection"))) {
                    socket.close();
                    socket = null;
                }
            }
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(posts);
    }

    @Test
    void refusesNumbersTheDatabaseCannotHold() {
        String audience = "school-" + UUID.randomUUID();
        Api tenant = Api.at(base).as(Tokens.valid(Tokens.newSubject("tenant"), "audience:" + audience));
        String before = Database.rowCounts();
        for (String number : List.of("1e999999", "1e-20000", "1e131073", "-1e1001")) {
            Reply reply = tenant.postJson("/api/v1/chats", "{\"scope\":\"s-" + number + "\",\"audience\":\"" + audience
                    + "\",\"tags\":{\"n\":" + number + "}}");
            assertThat(assertProblem(reply, 400).getString("detail")).as(number).contains("tags");
        }
        // An exponent beyond what the JSON parser reads at all is malformed JSON.
        assertProblem(tenant.postJson("/api/v1/chats", "{\"scope\":\"s\",\"audience\":\"" + audience
                + "\",\"tags\":{\"n\":1e99999999999}}"), 400);
        assertThat(Database.rowCounts()).isEqualTo(before);
        Reply ordinary = tenant.postJson("/api/v1/chats", "{\"scope\":\"ok\",\"audience\":\"" + audience
                + "\",\"tags\":{\"n\":1e300,\"m\":-0.000001,\"k\":12345678901234567890}}");
        assertThat(ordinary.status()).as("%s", ordinary).isEqualTo(201);
    }

    @Test
    void keepsItsInternalErrorPageToItself() {
        assertProblem(Api.at(base).get("/_errors"), 404);
        assertProblem(alice.get("/_errors"), 404);
        assertProblem(alice.post("/_errors"), 404);
    }

    @Test
    void refusalsBeforeTheBodyNeverLetTheBodyPassAsASecondRequest() {
        String smuggled = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for (String credentials : List.of("Authorization: Bearer " + aliceToken + "\r\n", "",
                "Authorization: Bearer " + Tokens.expired("late") + "\r\n")) {
            for (String method : List.of("TRACE /room", "DELETE /room", "POST /room/" + UUID.randomUUID() + "/chat")) {
                String received = RawHttp.exchange(base, method + " HTTP/1.1\r\nHost: localhost\r\n" + credentials
                        + "Content-Type: text/plain\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled, WAIT);
                assertThat(RawHttp.responses(received)).as("%s with %s: %s", method, credentials, received).isEqualTo(1);
                assertThat(received).startsWith("HTTP/1.1 4");
            }
        }
    }

    @Test
    void sendsTheReasonPhraseOf422() {
        String room = Seeds.room(alice);
        String key = "reused-" + UUID.randomUUID();
        assertThat(alice.header("Idempotency-Key", key).postJson("/room/" + room + "/chat", "{\"chat\":\"one\"}").status())
                .isEqualTo(201);
        String body = "{\"chat\":\"two\"}";
        String received = RawHttp.exchange(base, "POST /room/" + room + "/chat HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + aliceToken + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, WAIT);
        assertThat(received).startsWith("HTTP/1.1 422 Unprocessable Content\r\n");
    }

    @Test
    void endsAStreamWhenItsTokenExpiresAndAFreshTokenResumesIt() throws Exception {
        String subject = Tokens.newSubject("streamer");
        Api owner = Api.at(base).as(Tokens.valid(subject));
        String room = Seeds.room(owner);
        URI events = base.toURI().resolve("room/" + room + "/events");
        Instant expiry = Instant.now().plusSeconds(4);
        try (EventStream stream = EventStream.open(events, Tokens.validFor(Duration.between(Instant.now(), expiry), subject), null)) {
            stream.awaitSubscribed(WAIT);
            Seeds.message(owner, room, "while the token lasts");
            assertThat(stream.nextMessage(WAIT).id()).isEqualTo("1");
            assertThat(stream.awaitEnd(Duration.ofSeconds(10))).as("the stream ended").isTrue();
            assertThat(Instant.now()).isAfterOrEqualTo(expiry.minusSeconds(1));
        }
        String missed = Seeds.message(owner, room, "while away");
        try (EventStream resumed = EventStream.open(events, Tokens.valid(subject), "1")) {
            EventStream.Event event = resumed.nextMessage(WAIT);
            assertThat(event.id()).isEqualTo("2");
            assertThat(event.data()).contains(missed);
        }
    }

    @Test
    void saysOnlyWhatTheCallerLacks() {
        String audience = "private-school-" + UUID.randomUUID();
        Api tenant = Api.at(base).as(Tokens.valid(Tokens.newSubject("tenant"), "audience:" + audience));
        String chatId = tenant.postJson("/api/v1/chats", "{\"scope\":\"secret\",\"audience\":\"" + audience + "\"}")
                .json().getString("chat_id");
        Reply refused = Api.at(base).as(Tokens.valid(Tokens.newSubject("outsider"), "audience:elsewhere"))
                .get("/api/v1/chats/" + chatId);
        assertThat(assertProblem(refused, 403).toString()).doesNotContain(audience);
    }

    @Test
    void answersHeadOnAStreamWithItsHeaders() throws IOException {
        String room = Seeds.room(alice);
        Reply head = alice.method("HEAD", "/room/" + room + "/events");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.contentType()).startsWith("text/event-stream");
        assertThat(Api.at(base).as(Tokens.valid(Tokens.newSubject("stranger"))).method("HEAD", "/room/" + room + "/events").status())
                .isEqualTo(403);
    }

    /** The event streams the server holds open, of rooms and of inboxes. */
    private double streamsOpen() {
        Scrape scrape = Scrape.of(Api.at(base));
        return scrape.value("chat_streams_open") + scrape.value("chat_inbox_streams_open");
    }
}
