package org.chatapi.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The acknowledged-write audit (after the Jepsen "set" check): clients post uniquely marked messages with
 * Idempotency-Keys into many rooms and record every 201; a request whose outcome is unknown (an exception, a 5xx, a
 * 409 while its first attempt may still run) is retried later with the same key until it gets a definite answer.
 * The check then proves against the database that every acknowledged message is stored exactly once, that no
 * message exists that nobody sent, and that each room's count and positions are exact.
 */
public final class WriteAudit {

    /** One message sent: its room, its key and its unique text. */
    public record Sent(String room, String key, String text) {
    }

    private final List<String> rooms;
    private final Supplier<Api> target;
    private final Map<Sent, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<Sent, Instant> acknowledgedAt = new ConcurrentHashMap<>();
    private final Queue<Sent> unknown = new ConcurrentLinkedQueue<>();
    private final Set<Sent> refused = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger poisonAnswered = new AtomicInteger();
    private final Object progress = new Object();
    private boolean withKeys = true;

    /** An audit over these rooms, sending to whatever instance {@code target} answers at the time. */
    public WriteAudit(List<String> rooms, Supplier<Api> target) {
        this.rooms = List.copyOf(rooms);
        this.target = target;
    }

    /**
     * Posts without Idempotency-Keys, as most clients do (such posts share transactions through group commit). Only
     * for runs without faults: an outcome that is not definite cannot be retried, so it counts as unexpected.
     */
    public WriteAudit withoutKeys() {
        withKeys = false;
        return this;
    }

    /**
     * Adds {@code count} clients posting into the same rooms as callers whose posts the service must refuse
     * ({@code poison} gives each its caller): each must get a 4xx, none may be stored, and none may fail a good post.
     */
    public WriteAudit withPoison(int count, Supplier<Api> poison) {
        for (int i = 0; i < count; i++) {
            Thread client = new Thread(() -> poisonUntilStopped(poison.get()), "audit-poison-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
        return this;
    }

    /** How many poison posts were answered (each with a 4xx, or it is listed among the unexpected answers). */
    public int poisonAnswered() {
        return poisonAnswered.get();
    }

    /** Waits until {@code count} more posts than now are acknowledged: a load phase; fails past {@code allowed}. */
    public WriteAudit awaitAcknowledgements(int count, Duration allowed) throws InterruptedException {
        int target = acknowledged.size() + count;
        return awaitProgress(() -> acknowledged.size() >= target, count + " more acknowledgements", allowed);
    }

    /** Waits until {@code count} more poison posts than now are answered; fails past {@code allowed}. */
    public WriteAudit awaitPoisonAnswers(int count, Duration allowed) throws InterruptedException {
        int target = poisonAnswered.get() + count;
        return awaitProgress(() -> poisonAnswered.get() >= target, count + " more poison answers", allowed);
    }

    private WriteAudit awaitProgress(BooleanSupplier reached, String what, Duration allowed) throws InterruptedException {
        long deadline = System.nanoTime() + allowed.toNanos();
        synchronized (progress) {
            while (!reached.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("%s within %s (statuses %s, unexpected %s)", what, allowed, statuses(), unexpected)
                        .isPositive();
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return this;
    }

    private void progressed() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Starts {@code count} clients that post until {@link #stop()}. */
    public WriteAudit start(int count) {
        clients.stream().filter(client -> client.getState() == Thread.State.NEW).forEach(Thread::start);
        for (int i = 0; i < count; i++) {
            Thread client = new Thread(this::postUntilStopped, "audit-client-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        return this;
    }

    public void stop() throws InterruptedException {
        stopping.set(true);
        for (Thread client : clients) {
            client.join();
        }
    }

    /** Retries every unknown outcome with its key until each is definite; fails if that takes longer than allowed. */
    public void resolveUnknown(Duration allowed) throws InterruptedException {
        Instant deadline = Instant.now().plus(allowed);
        while (!unknown.isEmpty()) {
            assertThat(Instant.now()).as("unknown outcomes left unresolved: %s", unknown.size()).isBefore(deadline);
            Sent sent = unknown.poll();
            if (!attempt(sent)) {
                unknown.add(sent);
                Thread.sleep(200);
            }
        }
    }

    public List<String> rooms() {
        return rooms;
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counts = new HashMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    /** Answers no client should ever see: a 5xx other than 503, a 503 without Retry-After, a 4xx for a good request. */
    public List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    /** The first acknowledgement at or after the instant, or null. */
    public Instant firstAcknowledgementAfter(Instant instant) {
        return acknowledgedAt.values().stream().filter(at -> !at.isBefore(instant)).min(Instant::compareTo).orElse(null);
    }

    /** The check itself, against the database. */
    public void verify() throws SQLException {
        assertThat(unknown).as("unresolved outcomes").isEmpty();
        assertThat(refused).as("definitely refused posts of good messages").isEmpty();
        Map<String, Sent> sentByText = new HashMap<>();
        acknowledged.keySet().forEach(sent -> sentByText.put(sent.text(), sent));
        try (Connection db = Database.connect()) {
            int stored = 0;
            for (String room : rooms) {
                List<String> ids = new ArrayList<>();
                Set<String> texts = new HashSet<>();
                int expectedPosition = 1;
                try (PreparedStatement messages = db.prepareStatement(
                        "SELECT id::text, body, position FROM message WHERE room_id = ?::uuid ORDER BY position")) {
                    messages.setString(1, room);
                    try (ResultSet row = messages.executeQuery()) {
                        while (row.next()) {
                            String text = row.getString(2);
                            assertThat(row.getInt(3)).as("gapless positions in room %s", room).isEqualTo(expectedPosition++);
                            assertThat(texts.add(text)).as("message stored twice: %s", text).isTrue();
                            Sent sent = sentByText.get(text);
                            assertThat(sent).as("a message nobody had acknowledged: %s", text).isNotNull();
                            assertThat(sent.room()).isEqualTo(room);
                            assertThat(row.getString(1)).as("id of %s", text).isEqualTo(acknowledged.get(sent));
                            ids.add(row.getString(1));
                        }
                    }
                }
                try (PreparedStatement count = db.prepareStatement("SELECT message_count FROM room WHERE id = ?::uuid")) {
                    count.setString(1, room);
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        assertThat(row.getInt(1)).as("__v of room %s", room).isEqualTo(ids.size());
                    }
                }
                stored += ids.size();
                assertThat(inboxCountsDisagreeing(db, room)).as("inbox counts of room %s that disagree with its messages", room)
                        .isZero();
            }
            assertThat(stored).as("every acknowledged message is stored").isEqualTo(acknowledged.size());
        }
    }

    /**
     * What the unread counts are made of, recounted from the message table: each author's count in the room, and
     * each message's place among its author's. Zero when they all agree.
     */
    private static long inboxCountsDisagreeing(Connection db, String room) throws SQLException {
        try (PreparedStatement check = db.prepareStatement("""
                SELECT (SELECT count(*) FROM room_author a
                         WHERE a.room_id = ?::uuid
                           AND a.message_count <> (SELECT count(*) FROM message m
                                                    WHERE m.room_id = a.room_id AND m.author_sub = a.author_sub))
                     + (SELECT count(*) FROM (SELECT m.author_seq, row_number() OVER (PARTITION BY m.author_sub
                                                                                      ORDER BY m.position) AS seq
                                                FROM message m WHERE m.room_id = ?::uuid) s
                         WHERE s.author_seq <> s.seq)
                     + abs((SELECT count(DISTINCT author_sub) FROM message WHERE room_id = ?::uuid)
                           - (SELECT count(*) FROM room_author WHERE room_id = ?::uuid))""")) {
            for (int i = 1; i <= 4; i++) {
                check.setString(i, room);
            }
            try (ResultSet row = check.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void postUntilStopped() {
        while (!stopping.get()) {
            Sent sent = new Sent(rooms.get(ThreadLocalRandom.current().nextInt(rooms.size())),
                    UUID.randomUUID().toString(), "audit " + UUID.randomUUID());
            if (!attempt(sent)) {
                unknown.add(sent);
                pause();
            }
        }
    }

    private void poisonUntilStopped(Api poison) {
        while (!stopping.get()) {
            String room = rooms.get(ThreadLocalRandom.current().nextInt(rooms.size()));
            try {
                Api.Reply reply = poison.postJson("/room/" + room + "/chat",
                        Json.createObjectBuilder().add("chat", "poison " + UUID.randomUUID()).build());
                if (reply.status() < 400 || reply.status() >= 500) {
                    unexpected.add("poison post answered " + reply);
                }
                poisonAnswered.incrementAndGet();
                progressed();
            } catch (UncheckedIOException | IllegalStateException | AssertionError e) {
                unexpected.add("poison post failed: " + e);
            }
        }
    }

    /** One try; true once the outcome is definite. */
    private boolean attempt(Sent sent) {
        Api.Reply reply;
        try {
            Api client = withKeys ? target.get().header("Idempotency-Key", sent.key()) : target.get();
            reply = client.postJson("/room/" + sent.room() + "/chat", Json.createObjectBuilder().add("chat", sent.text()).build());
        } catch (UncheckedIOException | IllegalStateException | AssertionError e) {
            if (!(e instanceof AssertionError) && e.getCause() instanceof ConnectException) {
                // No connection: the request never reached a server, so its outcome is known (nothing). The client
                // waits a moment before its next, as a real one would, instead of spinning while a server boots.
                pause();
                return true;
            }
            // An exchange that broke the contract (support.Contract, an AssertionError) fails the test whatever
            // became of the post; its outcome is settled like any unknown one, so the audit's own count stays exact.
            if (!withKeys || e instanceof AssertionError) {
                unexpected.add("post failed: " + e);
            }
            if (!withKeys) {
                refused.add(sent);
            }
            return !withKeys;
        }
        statuses.computeIfAbsent(reply.status(), status -> new AtomicInteger()).incrementAndGet();
        if (reply.status() == 201) {
            String id = reply.json().getJsonObject("chat").getString("_id");
            String earlier = acknowledged.putIfAbsent(sent, id);
            if (earlier != null && !earlier.equals(id)) {
                unexpected.add("two acknowledgements with different ids for " + sent);
            }
            acknowledgedAt.putIfAbsent(sent, Instant.now());
            progressed();
            return true;
        }
        if (reply.status() == 503 && reply.header("Retry-After").isEmpty()) {
            unexpected.add("503 without Retry-After");
        }
        if (withKeys && (reply.status() == 503 || reply.status() == 409 || reply.status() == 408)) {
            return false;
        }
        unexpected.add(reply.toString());
        if (withKeys && reply.status() >= 500) {
            return false;
        }
        refused.add(sent);
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
