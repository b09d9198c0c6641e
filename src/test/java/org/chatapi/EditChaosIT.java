package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;
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
 * Posts, edits, deletions and read markers on two instances at once, while readers drop their streams and resume
 * with {@code Last-Event-ID} on either instance: every reader ends with the database's final state, having seen
 * every event of the room once and in order, and every unread count equals a recount.
 */
class EditChaosIT extends ServerTest {

    private static final Duration RUN = Duration.ofSeconds(12);
    private static final int ROOMS = 2;
    private static final int READERS_PER_ROOM = 2;
    /** Between a writer's requests: keeps each writer well under its limit of posts per minute. */
    private static final Duration WRITE_PAUSE = Duration.ofMillis(40);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    @Test
    void everyReaderEndsWithTheDatabasesStateHavingSeenEveryChangeOnceInOrder() throws Exception {
        List<URL> instances = List.of(base, SharedServer.peer());
        String ownerSub = Tokens.newSubject("client");
        List<String> counsellorSubs = List.of(Tokens.newSubject("counsellor"), Tokens.newSubject("counsellor"));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(ownerSub, Tokens.valid(ownerSub));
        counsellorSubs.forEach(sub -> tokens.put(sub, Tokens.valid(sub, "pro")));
        List<String> rooms = IntStream.range(0, ROOMS)
                .mapToObj(i -> Seeds.room(Api.at(base).as(tokens.get(ownerSub)))).toList();
        Map<String, List<String>> posted = new ConcurrentHashMap<>();
        rooms.forEach(room -> posted.put(room, new ArrayList<>()));

        List<Reader> readers = new ArrayList<>();
        for (String room : rooms) {
            for (int i = 0; i < READERS_PER_ROOM; i++) {
                readers.add(new Reader(room, tokens.get(ownerSub), instances));
            }
        }
        InboxReader inbox = new InboxReader(tokens.get(ownerSub), instances);
        inbox.start();
        List<Thread> threads = new ArrayList<>();
        readers.forEach(reader -> threads.add(Thread.ofPlatform().start(reader::run)));
        threads.add(Thread.ofPlatform().start(inbox::run));
        for (Map.Entry<String, String> writer : tokens.entrySet()) {
            boolean moderator = !writer.getKey().equals(ownerSub);
            threads.add(Thread.ofPlatform().start(() -> write(writer.getKey(), writer.getValue(), moderator, rooms,
                    posted, instances)));
        }
        Thread.sleep(RUN.toMillis());
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }

        assertThat(failures).as("requests that did not answer as they should").isEmpty();
        long changes = 0;
        for (Reader reader : readers) {
            reader.catchUp();
            List<String> expected = eventIds(reader.room);
            assertThat(reader.ids).as("every event of room %s once, in order", reader.room)
                    .containsExactlyElementsOf(expected);
            assertThat(reader.state()).as("the reader's messages are the database's")
                    .isEqualTo(finalState(reader.room, tokens.get(ownerSub)));
            assertThat(reader.resumes).as("the reader dropped and resumed").isGreaterThan(3);
            changes += expected.stream().filter(id -> id.contains(".")).count();
        }
        assertThat(changes).as("edits and deletions happened").isGreaterThan(20);
        inbox.catchUp();
        assertThat(inbox.ids).as("the inbox stream's events once, in its order").isSorted().doesNotHaveDuplicates();
        assertThat(inbox.resumes).as("the inbox reader dropped and resumed").isGreaterThan(3);
        for (String room : rooms) {
            assertThat(inbox.events.get(room)).as("every post, edit and deletion of %s on the inbox stream", room)
                    .containsExactlyInAnyOrderElementsOf(changeKinds(room));
            assertThat(inbox.messages.get(room)).as("the inbox reader's messages are the database's")
                    .isEqualTo(finalState(room, tokens.get(ownerSub)));
        }
        for (String room : rooms) {
            for (Map.Entry<String, String> caller : tokens.entrySet()) {
                JsonObject marker = Api.at(base).as(caller.getValue()).get("/room/" + room + "/marker").json()
                        .getJsonObject("marker");
                assertThat(marker.getInt("unread")).as("unread of %s in %s", caller.getKey(), room)
                        .isEqualTo(Database.count("""
                                SELECT count(*) FROM message
                                 WHERE room_id = ?::uuid AND author_sub <> ?
                                   AND position > COALESCE((SELECT position FROM read_marker
                                                             WHERE room_id = ?::uuid AND reader_sub = ?), 0)""",
                                room, caller.getKey(), room, caller.getKey()));
            }
        }
    }

    /** A writer: posts, edits its own messages, deletes (its own, or any as a moderator), and moves its marker. */
    private void write(String sub, String token, boolean moderator, List<String> rooms,
                       Map<String, List<String>> posted, List<URL> instances) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, List<String>> own = new LinkedHashMap<>();
        int n = 0;
        while (!stopping.get()) {
            pause(WRITE_PAUSE);
            Api api = Api.at(instances.get(random.nextInt(instances.size()))).as(token);
            String room = rooms.get(random.nextInt(rooms.size()));
            List<String> mine = own.computeIfAbsent(room, key -> new ArrayList<>());
            int dice = random.nextInt(10);
            Api.Reply reply;
            if (dice < 4 || mine.isEmpty()) {
                reply = api.postJson("/room/" + room + "/chat", "{\"chat\":\"" + sub + " #" + n++ + "\"}");
                if (reply.status() == 201) {
                    String id = reply.json().getJsonObject("chat").getString("_id");
                    mine.add(id);
                    synchronized (posted) {
                        posted.get(room).add(id);
                    }
                }
                expect(reply, 201);
            } else if (dice < 7) {
                String id = mine.get(random.nextInt(mine.size()));
                reply = api.patchJson("/room/" + room + "/chat/" + id, "{\"chat\":\"" + sub + " edit #" + n++ + "\"}");
                if (reply.status() != 409) {  // deleted meanwhile, by a moderator
                    expect(reply, 200);
                }
            } else if (dice < 9) {
                String id;
                synchronized (posted) {
                    List<String> all = posted.get(room);
                    id = moderator && !all.isEmpty() ? all.get(random.nextInt(all.size()))
                            : mine.get(random.nextInt(mine.size()));
                }
                expect(api.delete("/room/" + room + "/chat/" + id), 200);
            } else {
                int count = api.get("/room/" + room).json().getJsonObject("room").getInt("__v");
                expect(api.putJson("/room/" + room + "/marker", "{\"position\":" + random.nextInt(count + 1) + "}"),
                        200);
            }
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void expect(Api.Reply reply, int status) {
        if (reply.status() != status) {
            failures.add(reply.toString());
        }
    }

    /** Every event of the room in its order, from the database: posts 1 to __v, and every change. */
    private static List<String> eventIds(String room) {
        long count = Database.count("SELECT message_count FROM room WHERE id = ?::uuid", room);
        long changes = Database.count("SELECT change_count FROM room WHERE id = ?::uuid", room);
        List<long[]> ids = new ArrayList<>();
        for (long position = 1; position <= count; position++) {
            ids.add(new long[] {position, 0});
        }
        for (long change = 1; change <= changes; change++) {
            ids.add(new long[] {Database.count("""
                    SELECT after_position FROM message_change WHERE room_id = ?::uuid AND change_no = ?::int""",
                    room, Long.toString(change)), change});
        }
        ids.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return ids.stream().map(id -> id[1] == 0 ? Long.toString(id[0]) : id[0] + "." + id[1]).toList();
    }

    /** Takes what the stream delivers for this long, then drops it; a failure to open or read it is recorded. */
    private void readFor(EventStream opened, Duration duration, Consumer<Event> take, String what) {
        try (EventStream stream = opened) {
            if (stream.status() != 200) {
                failures.add(what + " answered " + stream.status());
                return;
            }
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < until) {
                Event event = stream.nextMessage(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
                if (event != null) {
                    take.accept(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(what + ": " + e);
        }
    }

    /** Every post, edit and deletion of the room, as "kind position", from the database. */
    private static List<String> changeKinds(String room) {
        List<String> all = new ArrayList<>();
        long count = Database.count("SELECT message_count FROM room WHERE id = ?::uuid", room);
        for (long position = 1; position <= count; position++) {
            all.add("message " + position);
        }
        long changes = Database.count("SELECT change_count FROM room WHERE id = ?::uuid", room);
        for (long change = 1; change <= changes; change++) {
            String no = Long.toString(change);
            boolean edit = Database.count("SELECT count(*) FROM message_change WHERE room_id = ?::uuid "
                    + "AND change_no = ?::int AND kind = 'edit'", room, no) == 1;
            all.add((edit ? "edit " : "delete ") + Database.count("SELECT position FROM message_change "
                    + "WHERE room_id = ?::uuid AND change_no = ?::int", room, no));
        }
        return all;
    }

    /** Every message of the room as the API shows it now, by id. */
    private Map<String, JsonObject> finalState(String room, String token) {
        Map<String, JsonObject> state = new LinkedHashMap<>();
        Api api = Api.at(base).as(token);
        String after = "0";
        while (true) {
            List<JsonObject> page = api.get("/room/" + room + "/chat?limit=1000&after=" + after).json()
                    .getJsonArray("chats").getValuesAs(JsonObject.class);
            if (page.isEmpty()) {
                return state;
            }
            page.forEach(message -> state.put(message.getString("_id"), message));
            after = Integer.toString(Integer.parseInt(after) + page.size());
        }
    }

    /**
     * A reader of the owner's inbox stream, dropping it now and then and resuming on either instance: the posts,
     * edits and deletions of each room, as "kind position", and the messages as the events left them.
     */
    private final class InboxReader {
        final String token;
        final List<URL> instances;
        /** The ids received, zero-padded so that their text sorts as they do. */
        final List<String> ids = new ArrayList<>();
        final Map<String, List<String>> events = new ConcurrentHashMap<>();
        final Map<String, Map<String, JsonObject>> messages = new ConcurrentHashMap<>();
        String lastId;
        int resumes;
        private EventStream first;

        InboxReader(String token, List<URL> instances) {
            this.token = token;
            this.instances = instances;
        }

        /** Opens the stream before anything happens, so that every event of the run is its. */
        void start() throws InterruptedException {
            first = open(instances.get(0), null);
            take(first.nextMessage(WAIT));
        }

        void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            read(first, Duration.ofMillis(100 + random.nextInt(700)));
            while (!stopping.get()) {
                resumes++;
                read(open(instances.get(resumes % instances.size()), lastId),
                        Duration.ofMillis(100 + random.nextInt(700)));
            }
        }

        void catchUp() throws InterruptedException {
            try (EventStream stream = open(instances.get(++resumes % instances.size()), lastId)) {
                stream.messagesUntilQuiet(Duration.ofSeconds(2)).forEach(this::take);
            }
        }

        private void read(EventStream opened, Duration duration) {
            readFor(opened, duration, this::take, "the inbox stream");
        }

        private EventStream open(URL instance, String after) {
            try {
                return EventStream.open(instance.toURI().resolve("/inbox/events"), token, after);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private void take(Event event) {
            lastId = event.id();
            if ("ready".equals(event.name())) {
                return;  // it carries the id the stream resumes after: not an event of its own
            }
            String[] id = event.id().split("-");
            ids.add("%020d-%020d".formatted(Long.parseLong(id[0]), Long.parseLong(id[1])));
            if (!List.of("message", "edit", "delete").contains(event.name())) {
                return;
            }
            try (var reader = Json.createReader(new StringReader(event.data()))) {
                JsonObject data = reader.readObject();
                String room = data.getString("room");
                events.computeIfAbsent(room, key -> new ArrayList<>())
                        .add(event.name() + " " + data.getInt("position"));
                JsonObject message = data.getJsonObject("chat");
                messages.computeIfAbsent(room, key -> new LinkedHashMap<>()).put(message.getString("_id"), message);
            }
        }
    }

    /** A reader that follows one room, dropping its stream now and then and resuming on either instance. */
    private final class Reader {
        final String room;
        final String token;
        final List<URL> instances;
        final List<String> ids = new ArrayList<>();
        final Map<String, JsonObject> messages = new LinkedHashMap<>();
        int resumes;

        Reader(String room, String token, List<URL> instances) {
            this.room = room;
            this.token = token;
            this.instances = instances;
        }

        void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stopping.get()) {
                read(instances.get(resumes % instances.size()), Duration.ofMillis(100 + random.nextInt(700)));
                resumes++;
            }
        }

        /** Reads what is left once the writers have stopped, until the stream is quiet. */
        void catchUp() throws InterruptedException {
            try (EventStream stream = open(instances.get(resumes % instances.size()))) {
                stream.awaitSubscribed(WAIT);
                stream.messagesUntilQuiet(Duration.ofSeconds(2)).forEach(this::take);
            }
        }

        private void read(URL instance, Duration duration) {
            readFor(open(instance), duration, this::take, "the stream of " + room);
        }

        private EventStream open(URL instance) {
            try {
                return EventStream.open(instance.toURI().resolve("/room/" + room + "/events"), token,
                        ids.isEmpty() ? "0" : ids.get(ids.size() - 1));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private void take(Event event) {
            ids.add(event.id());
            try (var reader = Json.createReader(new StringReader(event.data()))) {
                JsonObject message = reader.readObject();
                messages.put(message.getString("_id"), message);
            }
        }

        /** The messages as the events left them, in post order (posts come first, in order, for each message). */
        Map<String, JsonObject> state() {
            return messages;
        }
    }
}
