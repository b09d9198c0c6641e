package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Await;
import org.chatapi.support.Database;
import org.chatapi.support.EventStream;
import org.chatapi.support.Instance;
import org.chatapi.support.Postgres;
import org.chatapi.support.Scrape;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.chatapi.support.WriteAudit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults during load: the database restarted (fast and immediate), the server killed, the pool exhausted, slow
 * clients. Every acknowledged message must survive exactly once, and the service must recover by itself.
 * Each load phase lasts until the clients have had a number of posts acknowledged (the phase's signal: the service
 * works before the fault and again after it). The soak form posts more with more clients:
 * -Dchat.soak.posts=20000 -Dchat.soak.clients=32.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT extends ServerTest {

    private static final int LOAD_POSTS = Integer.getInteger("chat.soak.posts", 150);
    private static final Duration LOAD_ALLOWED = Duration.ofSeconds(30 + LOAD_POSTS / 20);
    private static final int CLIENTS = Integer.getInteger("chat.soak.clients", 6);
    private static final Duration RECOVERY_TARGET = Duration.ofSeconds(5);

    /**
     * The instances the SIGKILL and SIGTERM tests end, launched with the class: they boot while the tests before them
     * run (the order only saves time; each test stands alone).
     */
    private static Instance toKill;
    private static Instance toStop;

    @BeforeAll
    static void launchTheInstancesToEnd() throws IOException {
        toKill = Instance.launch();
        toStop = Instance.launch();
    }

    @AfterAll
    static void closeTheInstancesToEnd() {
        toKill.close();
        toStop.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "immediate"})
    void losesNoAcknowledgedMessageWhenPostgresRestarts(String mode) throws Exception {
        WriteAudit audit = new WriteAudit(rooms(alice, 8), () -> alice).start(CLIENTS)
                .awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);

        Postgres.restart(mode);
        Instant back = Instant.now();
        audit.awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);
        audit.stop();
        audit.resolveUnknown(Duration.ofSeconds(30));

        Instant firstSuccess = audit.firstAcknowledgementAfter(back);
        assertThat(firstSuccess).as("a post succeeded after the restart").isNotNull();
        Duration recovery = Duration.between(back, firstSuccess);
        System.out.printf("postgres %s restart: %d acknowledged, statuses %s, first success %d ms after it was back%n",
                mode, audit.acknowledgedCount(), audit.statuses(), recovery.toMillis());
        assertThat(recovery).isLessThanOrEqualTo(RECOVERY_TARGET);
        assertThat(audit.unexpectedAnswers()).isEmpty();
        audit.verify();
    }

    @Test
    void failsFastWith503WhileThePostgresIsDownAndRecoversByItself() throws Exception {
        String room = rooms(alice, 1).get(0);
        Api anonymous = Api.at(base);
        try {
            Postgres.stop();
            awaitReadiness(anonymous, 503);

            Instant asked = Instant.now();
            Reply refused = alice.postJson("/room/" + room + "/chat", "{\"chat\":\"during the outage\"}");
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertRoomProblem(refused, 503);
            assertThat(refused.header("Retry-After")).hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 10));
            assertRoomProblem(alice.get("/room/" + room), 503);
        } finally {
            Postgres.start();
        }
        Instant back = Instant.now();
        Reply posted;
        do {
            posted = alice.postJson("/room/" + room + "/chat", "{\"chat\":\"after the outage\"}");
        } while (posted.status() != 201 && Duration.between(back, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0);
        Duration recovery = Duration.between(back, Instant.now());
        System.out.printf("postgres stop/start: first success %d ms after it was back%n", recovery.toMillis());
        assertThat(posted.status()).isEqualTo(201);
        assertThat(recovery).isLessThanOrEqualTo(RECOVERY_TARGET);
        awaitReadiness(anonymous, 200);
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void losesNoAcknowledgedMessageWhenTheServerIsKilled() throws Exception {
        AtomicReference<Api> current = new AtomicReference<>();
        WriteAudit audit;
        Api auditor;
        try (Instance first = toKill) {
            first.awaitReady();
            auditor = Api.at(first.base()).as(Tokens.valid(Tokens.newSubject("auditor")));
            current.set(auditor);
            audit = new WriteAudit(rooms(auditor, 8), current::get).start(CLIENTS)
                    .awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);
            first.kill();
        }
        // The clients turn to the new instance while it boots: until it is ready they may find its port closed,
        // but never get a 404, a 500 or an HTML page.
        try (Instance restarted = Instance.launch()) {
            current.set(Api.at(restarted.base()).as(tokenOf(auditor)));
            restarted.awaitReady();
            audit.awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);
            audit.stop();
            audit.resolveUnknown(Duration.ofSeconds(60));

            // Its access log has a line for each request, with the id the client gave it.
            String requestId = "trace-" + UUID.randomUUID();
            Reply traced = current.get().header("X-Request-Id", requestId).get("/room/" + audit.rooms().get(0));
            assertThat(traced.header("X-Request-Id")).hasValue(requestId);
            Instant deadline = Instant.now().plusSeconds(10);
            while (!restarted.log().contains("request=" + requestId) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(restarted.log().lines().filter(line -> line.contains("request=" + requestId)))
                    .singleElement().asString()
                    .contains("org.chatapi.access", "GET /room/" + audit.rooms().get(0) + " 200 ", "caller=");
        }
        System.out.printf("server SIGKILL: %d acknowledged, statuses %s%n", audit.acknowledgedCount(), audit.statuses());
        assertThat(audit.unexpectedAnswers()).isEmpty();
        audit.verify();
    }

    @Test
    void answersFastWhileARowLockExhaustsThePool() throws Exception {
        List<String> rooms = rooms(alice, 2);
        String locked = rooms.get(0);
        List<CompletableFuture<Reply>> blocked = new ArrayList<>();
        try (Connection outside = Database.connect();
             Statement lock = outside.createStatement()) {
            outside.setAutoCommit(false);
            lock.execute("SELECT id FROM room WHERE id = '" + locked + "' FOR UPDATE");
            // Idempotent posts each run in a transaction (and on a connection) of their own; plain posts into one
            // room would queue behind a single connection instead (GroupCommit). One post more than the pool can
            // serve, and fewer than the request threads (pre-boot-commands.asadmin), so one thread stays free.
            for (int i = 0; i < poolSize(); i++) {
                blocked.add(alice.header("Idempotency-Key", UUID.randomUUID().toString())
                        .postJsonAsync("/room/" + locked + "/chat", "{\"chat\":\"waiting " + i + "\"}"));
            }
            // The pool is exhausted once every connection but the one live delivery listens on waits for the lock.
            awaitPostsWaitingForTheLock(poolSize() - 1);

            Instant asked = Instant.now();
            Reply other = alice.postJson("/room/" + rooms.get(1) + "/chat", "{\"chat\":\"elsewhere\"}");
            Duration answeredIn = Duration.between(asked, Instant.now());
            System.out.printf("pool exhausted: another room answered %d in %d ms%n", other.status(), answeredIn.toMillis());
            assertRoomProblem(other, 503);
            assertThat(other.header("Retry-After")).isPresent();
            assertThat(answeredIn).isLessThan(Duration.ofSeconds(4));
            outside.rollback();
        }
        int acknowledged = 0;
        for (CompletableFuture<Reply> reply : blocked) {
            Reply done = reply.join();
            assertThat(done.status()).as("%s", done).isIn(201, 503);
            acknowledged += done.status() == 201 ? 1 : 0;
        }
        Instant released = Instant.now();
        Reply after;
        do {
            after = alice.postJson("/room/" + rooms.get(1) + "/chat", "{\"chat\":\"after the lock\"}");
        } while (after.status() != 201 && Duration.between(released, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0);
        assertThat(after.status()).isEqualTo(201);
        assertThat(Duration.between(released, Instant.now())).isLessThanOrEqualTo(RECOVERY_TARGET);
        assertThat(alice.get("/room/" + locked).json().getJsonObject("room").getInt("__v")).isEqualTo(acknowledged);
    }

    @Test
    @Order(3)
    void stopsGracefullyOnSigtermAndItsClientsGoOnElsewhere() throws Exception {
        String token = Tokens.valid(Tokens.newSubject("auditor"));
        AtomicReference<Api> current = new AtomicReference<>();
        WriteAudit audit;
        String streamRoom;
        List<EventStream.Event> beforeStop;
        try (Instance stopping = toStop) {
            stopping.awaitReady();
            Api there = Api.at(stopping.base()).as(token);
            current.set(there);
            List<String> rooms = rooms(there, 8);
            streamRoom = rooms.get(0);
            audit = new WriteAudit(rooms, current::get).start(CLIENTS);
            try (EventStream stream = EventStream.open(stopping.base().toURI().resolve("room/" + streamRoom + "/events"),
                    token, "0")) {
                stream.awaitSubscribed(Duration.ofSeconds(10));
                audit.awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);
                stopping.terminate();
                assertThat(stream.awaitEnd(Duration.ofSeconds(30))).as("the stream ended on SIGTERM").isTrue();
                beforeStop = stream.messagesUntilQuiet(Duration.ofMillis(100));
            }
            assertThat(stopping.awaitExit(Duration.ofSeconds(60))).as("the instance exited").isTrue();
            // Its clients go on with the other instance (the load balancer's part).
            current.set(Api.at(base).as(token));
            audit.awaitAcknowledgements(LOAD_POSTS, LOAD_ALLOWED);
            audit.stop();
            audit.resolveUnknown(Duration.ofSeconds(60));
        }
        System.out.printf("server SIGTERM: %d acknowledged, statuses %s, %d events before the stop%n",
                audit.acknowledgedCount(), audit.statuses(), beforeStop.size());
        // Only 201, 503 with Retry-After (and 409 for a retry meeting its first attempt) or a closed port: no 500,
        // no 404, no page of the server's own.
        assertThat(audit.unexpectedAnswers()).isEmpty();
        audit.verify();

        String lastSeen = beforeStop.isEmpty() ? "0" : beforeStop.get(beforeStop.size() - 1).id();
        int count = Api.at(base).as(token).get("/room/" + streamRoom).json().getJsonObject("room").getInt("__v");
        try (EventStream resumed = EventStream.open(base.toURI().resolve("room/" + streamRoom + "/events"), token, lastSeen)) {
            List<String> ids = new ArrayList<>(beforeStop.stream().map(EventStream.Event::id).toList());
            ids.addAll(resumed.messagesUntilQuiet(Duration.ofSeconds(3)).stream().map(EventStream.Event::id).toList());
            assertThat(ids).as("every message once, in order, across the stop")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList());
        }
    }

    @Test
    void countsWhatHappensInItsMetrics() throws Exception {
        Api anonymous = Api.at(base);
        String room = rooms(alice, 1).get(0);
        Scrape before = Scrape.of(anonymous);

        assertThat(alice.postJson("/room/" + room + "/chat", "{\"chat\":\"counted\"}").status()).isEqualTo(201);
        assertThat(alice.postJson("/room/" + room + "/chat", "{\"chat\":\" \"}").status()).isEqualTo(400);
        Api keyed = alice.header("Idempotency-Key", "metrics-" + UUID.randomUUID());
        keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"once\"}");
        keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"once\"}");
        assertThat(keyed.postJson("/room/" + room + "/chat", "{\"chat\":\"other\"}").status()).isEqualTo(422);
        try (EventStream events = EventStream.open(base.toURI().resolve("room/" + room + "/events"), tokenOf(alice), null)) {
            events.awaitSubscribed(Duration.ofSeconds(10));
            Scrape streaming = Scrape.of(anonymous);
            assertThat(streaming.value("chat_streams_open")).isGreaterThanOrEqualTo(1);
            alice.postJson("/room/" + room + "/chat", "{\"chat\":\"delivered\"}");
            assertThat(events.nextMessage(Duration.ofSeconds(10))).isNotNull();
        }
        try {
            Postgres.stop();
            assertThat(alice.postJson("/room/" + room + "/chat", "{\"chat\":\"refused\"}").status()).isEqualTo(503);
        } finally {
            Postgres.start();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (Scrape.of(anonymous).value("chat_listener_reconnects_total") <= before.value("chat_listener_reconnects_total")
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        awaitReadiness(anonymous, 200);

        Scrape after = Scrape.of(anonymous);
        System.out.printf("metrics moved: posted %+.0f, batches %+.0f, delivered %+.0f, reconnects %+.0f%n",
                after.value("chat_messages_posted_total") - before.value("chat_messages_posted_total"),
                after.value("chat_group_commit_batch_size_count") - before.value("chat_group_commit_batch_size_count"),
                after.value("chat_events_delivered_total") - before.value("chat_events_delivered_total"),
                after.value("chat_listener_reconnects_total") - before.value("chat_listener_reconnects_total"));
        assertThat(after.value("chat_messages_posted_total") - before.value("chat_messages_posted_total")).isEqualTo(3);
        assertThat(after.value("chat_group_commit_batch_size_count")).isGreaterThan(before.value("chat_group_commit_batch_size_count"));
        assertThat(after.value("chat_group_commit_commit_time_seconds_count"))
                .isGreaterThan(before.value("chat_group_commit_commit_time_seconds_count"));
        assertThat(after.value("chat_messages_refused_total", "status=\"400\"") - before.value("chat_messages_refused_total", "status=\"400\""))
                .isEqualTo(1);
        assertThat(after.value("chat_idempotency_replays_total") - before.value("chat_idempotency_replays_total")).isEqualTo(1);
        assertThat(after.value("chat_idempotency_conflicts_total", "kind=\"reused\"")
                - before.value("chat_idempotency_conflicts_total", "kind=\"reused\"")).isEqualTo(1);
        assertThat(after.value("chat_events_delivered_total") - before.value("chat_events_delivered_total")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("chat_unavailable_total", "cause=\"database\"") - before.value("chat_unavailable_total", "cause=\"database\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("chat_listener_reconnects_total")).isGreaterThan(before.value("chat_listener_reconnects_total"));
    }

    @Test
    @Order(1)
    void cutsOffAClientThatStallsItsBody() throws Exception {
        String room = rooms(alice, 1).get(0);
        Instant started = Instant.now();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /room/" + room + "/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + tokenOf(alice)
                    + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"chat\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Meanwhile the service answers everyone else.
            assertThat(alice.get("/room/" + room).status()).isEqualTo(200);
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            Duration cutOffAfter = Duration.between(started, Instant.now());
            System.out.printf("stalled body: answered \"%s\" after %d ms%n", answer, cutOffAfter.toMillis());
            assertThat(answer).isEqualTo("HTTP/1.1 408");
            assertThat(cutOffAfter).isLessThan(Duration.ofSeconds(20));
        }
        assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isZero();
    }

    private static List<String> rooms(Api owner, int count) {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rooms.add(owner.post("/room").json().getJsonObject("newRoom").getString("_id"));
        }
        return rooms;
    }

    /** The server's connection pool size, as payara-config sets it. */
    private static int poolSize() throws IOException {
        Matcher size = Pattern.compile("--maxpoolsize=(\\d+)")
                .matcher(Files.readString(Path.of("payara-config", "post-boot-commands.asadmin")));
        assertThat(size.find()).as("the pool's size in payara-config").isTrue();
        return Integer.parseInt(size.group(1));
    }

    /** Waits until {@code count} of the server's connections wait for a lock: posts blocked behind the one held. */
    private static void awaitPostsWaitingForTheLock(int count) throws InterruptedException {
        Await.until(count + " posts waiting for the lock", Duration.ofSeconds(10), () -> Database.count(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'chat-api' AND wait_event_type = 'Lock'")
                >= count);
    }

    private static String tokenOf(Api api) {
        return api.token();
    }

    private static void awaitReadiness(Api anonymous, int status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (anonymous.get("/health/ready").status() == status) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/health/ready never answered " + status);
    }
}
