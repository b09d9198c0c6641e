package org.chatapi.privacy;

import static jakarta.ejb.TransactionAttributeType.REQUIRES_NEW;
import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Ids;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.MessageRows;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Exports of a person's data (GDPR Art. 15 and 20): a job that writes one file of JSON lines, everything the service
 * holds about the person: the rooms they own, every message they wrote as it is now with its earlier texts, their
 * read markers and the chats they created. Each step writes the next part of the file, at most {@link #BATCH}
 * lines, as a chunk in a transaction of its own with the job's cursor, so the job resumes after a crash on any
 * instance, and neither it nor a download holds more than a chunk in memory. The file is downloaded with a key
 * given once, until the export expires ({@code CHAT_EXPORT_HOURS}); then it is deleted.
 */
@Stateless
public class Exports {

    static final int BATCH = 200;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Event<DataJobs.Asked> asked;

    @Inject
    @ConfigProperty(name = "chat.export-hours", defaultValue = "24")
    long exportHours;

    @Inject
    JsonWriter json;

    /** An export being written: its id, and whose data it holds. */
    public record Job(UUID id, String subject) {
    }

    /**
     * Asks for an export of the data of {@code subject} (null: the caller's own); only an admin may ask for
     * another's, and not of a person the service knows nothing of. The answer carries the download URL with its key,
     * shown this once.
     */
    public ExportView request(Caller caller, String subject) {
        String whose = subject == null ? caller.subject() : subject;
        if (!whose.equals(caller.subject())) {
            if (!caller.isAdmin()) {
                throw new AccessDenied("Only admin may export another person's data.");
            }
            People.requireKnown(em, whose);
        }
        UUID id = Ids.newId();
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = Timestamps.now();
        em.createNativeQuery("""
                        INSERT INTO data_export
                               (id, subject, requested_by, requested_at, key_sha256, expires_at, cursor)
                        VALUES (:id, :subject, :by, :now, :key, :expires, CAST('{"phase":"start"}' AS jsonb))""")
                .setParameter("id", id)
                .setParameter("subject", whose)
                .setParameter("by", caller.subject())
                .setParameter("now", now)
                .setParameter("key", DataRequests.digest(key.getBytes(StandardCharsets.US_ASCII)))
                .setParameter("expires", now.plus(Duration.ofHours(exportHours)))
                .executeUpdate();
        DataRequests.record(em, "export", DataRequests.sha256(whose), id, caller.subject(),
                whose.equals(caller.subject()) ? "export of the person's own data" : "export by an admin");
        asked.fire(new DataJobs.Asked());
        ExportView view = status(caller, id);
        return view.withUrl("/exports/" + id + "/file?ticket=" + key);
    }

    /** The export's progress: for who asked for it, the person it is about, and admin. */
    @TransactionAttribute(SUPPORTS)
    public ExportView status(Caller caller, UUID id) {
        Row row = export(id).filter(found -> caller.isAdmin() || caller.subject().equals(found.text("subject"))
                        || caller.subject().equals(found.text("requested_by")))
                .orElseThrow(() -> new DataRequestNotFound("export", id));
        return new ExportView(id.toString(), row.isNull("finished_at") ? "running" : "done",
                Timestamps.format(row.instant("requested_at")), row.integer("lines"), row.longValue("bytes"),
                row.isNull("finished_at") ? null : Timestamps.format(row.instant("finished_at")),
                Timestamps.format(row.instant("expires_at")), null);
    }

    /**
     * The number of chunks of the finished export this key opens; an unknown or expired export, or another key, is
     * not found, and an export still being written is a conflict.
     */
    @TransactionAttribute(SUPPORTS)
    public int chunks(UUID id, String key) {
        Row row = export(id)
                .filter(found -> Arrays.equals(found.bytes("key_sha256"),
                        DataRequests.digest(key.getBytes(StandardCharsets.US_ASCII))))
                .orElseThrow(() -> new DataRequestNotFound("export", id));
        if (row.isNull("finished_at")) {
            throw new ExportNotReady(id);
        }
        return ((Number) em.createNativeQuery("SELECT count(*) FROM data_export_chunk WHERE export_id = :id")
                .setParameter("id", id).getSingleResult()).intValue();
    }

    /** One chunk of an export's file (1, 2, ...): JSON lines. */
    @TransactionAttribute(SUPPORTS)
    public String chunk(UUID id, int seq) {
        return (String) em.createNativeQuery("SELECT data FROM data_export_chunk WHERE export_id = :id AND seq = :seq")
                .setParameter("id", id)
                .setParameter("seq", seq)
                .getSingleResult();
    }

    /** Takes an unfinished export no instance holds (or whose holder's lease lapsed). */
    @TransactionAttribute(REQUIRES_NEW)
    public Optional<Job> claim() {
        return Leases.claim(em, "data_export").map(row -> new Job(row.uuid("id"), row.text("subject")));
    }

    /**
     * Writes the next part of the export's file in a transaction of its own, from where its cursor is; answers
     * whether there is more to write.
     */
    @TransactionAttribute(REQUIRES_NEW)
    public boolean step(Job job) {
        if (!Leases.renew(em, "data_export", job.id())) {
            return false;
        }
        String saved = (String) em.createNativeQuery("SELECT cursor::text FROM data_export WHERE id = :id")
                .setParameter("id", job.id())
                .getSingleResult();
        JsonObject cursor = Json.createReader(new StringReader(saved)).readObject();
        Part part = switch (cursor.getString("phase")) {
            case "start" -> new Part(List.of(Json.createObjectBuilder().add("type", "export")
                    .add("user", job.subject()).add("exportedAt", Timestamps.format(Timestamps.now()))
                    .add("format", "Chat API export 1: one JSON object per line; \"type\" says what it is").build()
                    .toString()), next("rooms", null, 0));
            case "rooms" -> rooms(job.subject(), cursor);
            case "messages" -> messages(job.subject(), cursor);
            case "markers" -> markers(job.subject(), cursor);
            case "chats" -> chats(job.subject(), cursor);
            default -> throw new IllegalStateException("unknown export phase " + cursor);
        };
        StringBuilder data = new StringBuilder();
        part.lines().forEach(line -> data.append(line).append('\n'));
        if (!data.isEmpty()) {
            em.createNativeQuery("""
                            INSERT INTO data_export_chunk (export_id, seq, data)
                            SELECT :id, COALESCE(max(seq), 0) + 1, :data
                              FROM data_export_chunk WHERE export_id = :id""")
                    .setParameter("id", job.id())
                    .setParameter("data", data.toString())
                    .executeUpdate();
        }
        boolean done = "done".equals(part.next().getString("phase"));
        em.createNativeQuery("""
                        UPDATE data_export
                           SET cursor = CAST(:cursor AS jsonb), lines = lines + :lines, bytes = bytes + :bytes,
                               finished_at = CASE WHEN :done THEN now() END,
                               leased_until = CASE WHEN :done THEN NULL ELSE leased_until END
                         WHERE id = :id""")
                .setParameter("cursor", part.next().toString())
                .setParameter("lines", part.lines().size())
                .setParameter("bytes", (long) data.toString().getBytes(StandardCharsets.UTF_8).length)
                .setParameter("done", done)
                .setParameter("id", job.id())
                .executeUpdate();
        return !done;
    }

    /** Deletes the exports that expired, a few at a time (their chunks go with them); answers how many. */
    @TransactionAttribute(REQUIRES_NEW)
    public int purgeExpired() {
        return em.createNativeQuery("""
                        DELETE FROM data_export
                         WHERE id IN (SELECT id FROM data_export WHERE expires_at < now() LIMIT 10)""")
                .executeUpdate();
    }

    /** The lines a step writes (each a JSON object's text), and the cursor after them. */
    private record Part(List<String> lines, JsonObject next) {
    }

    private static JsonObject next(String phase, String after, int position) {
        JsonObjectBuilder cursor = Json.createObjectBuilder().add("phase", phase).add("position", position);
        return (after == null ? cursor.addNull("after") : cursor.add("after", after)).build();
    }

    private static String after(JsonObject cursor) {
        return cursor.isNull("after") ? "00000000-0000-0000-0000-000000000000" : cursor.getString("after");
    }

    private Part rooms(String subject, JsonObject cursor) {
        return keyed(subject, cursor, "rooms", "messages", "id", """
                        SELECT id, created_at, message_count FROM room
                         WHERE owner_sub = :s AND id > CAST(:after AS uuid) ORDER BY id LIMIT :batch""",
                query -> query.addScalar("id", StandardBasicTypes.UUID)
                        .addScalar("created_at", StandardBasicTypes.INSTANT)
                        .addScalar("message_count", StandardBasicTypes.INTEGER),
                row -> Json.createObjectBuilder().add("type", "room")
                        .add("room", Json.createObjectBuilder().add("_id", row.uuid("id").toString())
                                .add("user", subject).add("createdAt", Timestamps.format(row.instant("created_at")))
                                .add("__v", row.integer("message_count")))
                        .build());
    }

    /**
     * The person's messages in the room of the cursor (the first room they wrote in after it, when the cursor has
     * none), after its position, each with its earlier texts.
     */
    @SuppressWarnings("unchecked")
    private Part messages(String subject, JsonObject cursor) {
        String room = cursor.isNull("after") ? null : cursor.getString("after");
        if (room == null || cursor.getInt("position") < 0) {
            List<UUID> rooms = em.createNativeQuery("""
                            SELECT room_id FROM room_author WHERE author_sub = :s AND room_id > CAST(:after AS uuid)
                             ORDER BY room_id LIMIT 1""")
                    .setParameter("s", subject)
                    .setParameter("after", room == null ? after(cursor) : room)
                    .unwrap(NativeQuery.class)
                    .addScalar("room_id", StandardBasicTypes.UUID)
                    .getResultList();
            if (rooms.isEmpty()) {
                return new Part(List.of(), next("markers", null, 0));
            }
            room = rooms.get(0).toString();
            cursor = next("messages", room, 0);
        }
        NativeQuery<Row> query = em.createNativeQuery("SELECT " + MessageRows.COLUMNS + """
                         FROM message m
                        WHERE m.room_id = CAST(:room AS uuid) AND m.author_sub = :s AND m.position > :position
                        ORDER BY m.position LIMIT :batch""")
                .setParameter("room", room)
                .setParameter("s", subject)
                .setParameter("position", cursor.getInt("position"))
                .setParameter("batch", BATCH)
                .unwrap(NativeQuery.class);
        List<Row> rows = MessageRows.withColumns(query).getResultList();
        Map<Integer, JsonArrayBuilder> texts = earlierTexts(room, rows);
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            // The message as every route shows it (its JSON as written), within the line.
            lines.add("{\"type\":\"message\",\"room\":\"" + room + "\",\"position\":" + row.integer("position")
                    + ",\"chat\":" + json.toJson(MessageRows.view(row)) + ",\"texts\":"
                    + texts.getOrDefault(row.integer("position"), Json.createArrayBuilder()).build() + "}");
        }
        // A room whose last messages were read moves on to the next room (position -1: find it).
        return new Part(lines, rows.size() < BATCH ? next("messages", room, -1)
                : next("messages", room, rows.get(rows.size() - 1).integer("position")));
    }

    /** The texts the messages of these rows had before their latest edit or their deletion, by position. */
    @SuppressWarnings("unchecked")
    private Map<Integer, JsonArrayBuilder> earlierTexts(String room, List<Row> messages) {
        Map<Integer, JsonArrayBuilder> texts = new HashMap<>();
        if (messages.isEmpty()) {
            return texts;
        }
        List<Row> rows = em.createNativeQuery("""
                        SELECT position, kind, version, replaced_body, changed_at FROM message_change
                         WHERE room_id = CAST(:room AS uuid) AND position BETWEEN :first AND :last
                           AND replaced_body IS NOT NULL
                         ORDER BY position, change_no""")
                .setParameter("room", room)
                .setParameter("first", messages.get(0).integer("position"))
                .setParameter("last", messages.get(messages.size() - 1).integer("position"))
                .unwrap(NativeQuery.class)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("kind", StandardBasicTypes.STRING)
                .addScalar("version", StandardBasicTypes.INTEGER)
                .addScalar("replaced_body", StandardBasicTypes.STRING)
                .addScalar("changed_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        for (Row row : rows) {
            int version = row.integer("version") - ("edit".equals(row.text("kind")) ? 1 : 0);
            texts.computeIfAbsent(row.integer("position"), position -> Json.createArrayBuilder())
                    .add(Json.createObjectBuilder().add("__v", version).add("chat", row.text("replaced_body"))
                            .add("replacedAt", Timestamps.format(row.instant("changed_at"))));
        }
        return texts;
    }

    private Part markers(String subject, JsonObject cursor) {
        return keyed(subject, cursor, "markers", "chats", "room_id", """
                        SELECT room_id, position, updated_at FROM read_marker
                         WHERE reader_sub = :s AND room_id > CAST(:after AS uuid) ORDER BY room_id LIMIT :batch""",
                query -> query.addScalar("room_id", StandardBasicTypes.UUID)
                        .addScalar("position", StandardBasicTypes.INTEGER)
                        .addScalar("updated_at", StandardBasicTypes.INSTANT),
                row -> Json.createObjectBuilder().add("type", "marker").add("room", row.uuid("room_id").toString())
                        .add("position", row.integer("position"))
                        .add("updatedAt", Timestamps.format(row.instant("updated_at"))).build());
    }

    private Part chats(String subject, JsonObject cursor) {
        return keyed(subject, cursor, "chats", "done", "id", """
                        SELECT id, audience, scope, tags::text AS tags, created_at FROM chat
                         WHERE created_by = :s AND id > CAST(:after AS uuid) ORDER BY id LIMIT :batch""",
                query -> query.addScalar("id", StandardBasicTypes.UUID)
                        .addScalar("audience", StandardBasicTypes.STRING)
                        .addScalar("scope", StandardBasicTypes.STRING)
                        .addScalar("tags", StandardBasicTypes.STRING)
                        .addScalar("created_at", StandardBasicTypes.INSTANT),
                row -> {
                    JsonObjectBuilder chat = Json.createObjectBuilder().add("chat_id", row.uuid("id").toString())
                            .add("audience", row.text("audience")).add("scope", row.text("scope"))
                            .add("created_at", Timestamps.format(row.instant("created_at")));
                    if (row.isNull("tags")) {
                        chat.addNull("tags");
                    } else {
                        chat.add("tags", Json.createReader(new StringReader(row.text("tags"))).readObject());
                    }
                    return Json.createObjectBuilder().add("type", "chat").add("chat", chat).build();
                });
    }

    /**
     * A part of the lines of one kind: the person's rows ({@code :s}) after the cursor's key ({@code :after}), in key
     * order, at most {@link #BATCH} ({@code :batch}); the cursor then stays in {@code phase} after the last key read,
     * or moves on to {@code nextPhase} once a part comes out short.
     */
    @SuppressWarnings("unchecked")
    private Part keyed(String subject, JsonObject cursor, String phase, String nextPhase, String key, String sql,
                       Consumer<NativeQuery<Row>> columns, Function<Row, JsonObject> line) {
        NativeQuery<Row> query = em.createNativeQuery(sql)
                .setParameter("s", subject)
                .setParameter("after", after(cursor))
                .setParameter("batch", BATCH)
                .unwrap(NativeQuery.class);
        columns.accept(query);
        List<Row> rows = query.setTupleTransformer(Row.BY_NAME).getResultList();
        List<String> lines = rows.stream().map(line).map(JsonObject::toString).toList();
        return new Part(lines, rows.size() < BATCH ? next(nextPhase, null, 0)
                : next(phase, rows.get(rows.size() - 1).uuid(key).toString(), 0));
    }

    @SuppressWarnings("unchecked")
    private Optional<Row> export(UUID id) {
        List<Row> rows = em.createNativeQuery("""
                        SELECT subject, requested_by, requested_at, key_sha256, expires_at, lines, bytes, finished_at
                          FROM data_export WHERE id = :id AND expires_at > now()""")
                .setParameter("id", id)
                .unwrap(NativeQuery.class)
                .addScalar("subject", StandardBasicTypes.STRING)
                .addScalar("requested_by", StandardBasicTypes.STRING)
                .addScalar("requested_at", StandardBasicTypes.INSTANT)
                .addScalar("key_sha256", StandardBasicTypes.BINARY)
                .addScalar("expires_at", StandardBasicTypes.INSTANT)
                .addScalar("lines", StandardBasicTypes.INTEGER)
                .addScalar("bytes", StandardBasicTypes.LONG)
                .addScalar("finished_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        return rows.stream().findFirst();
    }
}
