package org.chatapi.rooms.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.ApiException;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.entity.Message;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Where messages are stored and read. Each public method that writes is one transaction; reads join the caller's
 * transaction if there is one and otherwise run without one, each reading what it answers with in one statement
 * (an audience member's access check adds one).
 *
 * <p>Posting bumps the room's counter with {@code UPDATE ... RETURNING}: the row lock it takes orders concurrent
 * posts into one room, so positions are gapless and {@code __v} is exact, and the message inserts commit with it.
 * {@link GroupCommit} lets concurrent posts share that transaction. The usual post (the only one of its batch into
 * its room, by the room's owner or by a pro or admin) is one statement that bumps the room, counts the author and
 * inserts the message together; any other goes the general way, a statement each.
 *
 * <p>An edit or a deletion locks the room too (two statements: lock and read, then write), so a room's posts and
 * changes take their places in one order, the room's sequence of events ({@link RoomEventId}), which live delivery
 * reads with {@link #events}.
 *
 * <p>It is about 460 lines because it holds every statement on the message table, so that they are read in
 * one place.
 */
@Stateless
public class Messages {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    RoomAccess access;

    /** A message to post: who posts what into which room. */
    public record NewPost(Caller caller, UUID roomId, String text) {
    }

    /** Some posts of a batch were refused (unknown room, no access): nothing of the batch was written. */
    @ApplicationException(rollback = true)
    public static class Refusals extends RuntimeException {
        private final Map<Integer, ApiException> byIndex;

        Refusals(Map<Integer, ApiException> byIndex) {
            super(byIndex.size() + " posts refused", null, false, false);
            this.byIndex = byIndex;
        }

        /** The refusal of each refused post, by its index in the batch. */
        public Map<Integer, ApiException> byIndex() {
            return byIndex;
        }
    }

    /**
     * Posts messages at their rooms' next positions, in list order, in one transaction: all of them or none. Each
     * room's counter is bumped once for all its posts, rooms in id order (so concurrent batches cannot deadlock), and
     * each author's count in the room once for all its posts there.
     */
    public List<MessageView> postAll(List<NewPost> posts) {
        Map<UUID, List<Integer>> byRoom = new TreeMap<>();
        for (int i = 0; i < posts.size(); i++) {
            byRoom.computeIfAbsent(posts.get(i).roomId(), room -> new ArrayList<>()).add(i);
        }
        MessageView[] posted = new MessageView[posts.size()];
        Map<Integer, ApiException> refused = new HashMap<>();
        Instant now = Timestamps.now();
        byRoom.forEach((roomId, indexes) -> {
            if (indexes.size() == 1) {
                MessageView alone = postAlone(posts.get(indexes.get(0)), now);
                if (alone != null) {
                    posted[indexes.get(0)] = alone;
                    return;
                }
            }
            List<String> authors = indexes.stream().map(index -> posts.get(index).caller().subject()).toList();
            List<Row> bumped = bump(roomId, authors, now);
            if (bumped.isEmpty()) {
                indexes.forEach(index -> refused.put(index, new RoomNotFound(roomId)));
                return;
            }
            int position = bumped.get(0).integer("message_count") - indexes.size();
            String owner = bumped.get(0).text("owner_sub");
            Supplier<Optional<String>> audience = once(() -> access.audienceOf(roomId));  // one look-up per batch
            Map<String, List<Integer>> byAuthor = new LinkedHashMap<>();
            for (int index : indexes) {
                try {
                    access.check(posts.get(index).caller(), roomId, owner, audience);
                    byAuthor.computeIfAbsent(posts.get(index).caller().subject(), author -> new ArrayList<>())
                            .add(index);
                } catch (AccessDenied denied) {
                    refused.put(index, denied);
                }
            }
            if (!refused.isEmpty()) {
                return;  // nothing of the batch is written
            }
            Map<Integer, Integer> authorSeqs = new HashMap<>();
            byAuthor.forEach((author, ofAuthor) -> {
                int seq = countAuthor(roomId, author, ofAuthor.size()) - ofAuthor.size();
                for (int index : ofAuthor) {
                    authorSeqs.put(index, ++seq);
                }
            });
            for (int index : indexes) {
                NewPost post = posts.get(index);
                Message message = new Message(Ids.newId(), roomId, ++position, post.caller().subject(),
                        authorSeqs.get(index), post.text(), now);
                em.persist(message);
                posted[index] = MessageView.of(message);
            }
        });
        if (!refused.isEmpty()) {
            throw new Refusals(refused);
        }
        return Arrays.asList(posted);
    }

    /**
     * A page of the room's messages in post order: positions above {@code after} and below {@code before}, the
     * first {@code limit} of them ({@code fromEnd = false}) or the last (true). Room and page come from one snapshot.
     */
    @TransactionAttribute(SUPPORTS)
    public MessagePage history(Caller caller, UUID roomId, int after, int before, int limit, boolean fromEnd) {
        List<Row> rows = messageQuery("""
                        FROM room r
                        LEFT JOIN LATERAL (SELECT * FROM message
                                            WHERE room_id = r.id AND position > :after AND position < :before
                                            ORDER BY position %s LIMIT :limit) m ON true
                       WHERE r.id = :room
                       ORDER BY m.position""".formatted(fromEnd ? "DESC" : "ASC"))
                .setParameter("room", roomId)
                .setParameter("after", after)
                .setParameter("before", before)
                .setParameter("limit", limit)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        access.check(caller, roomId, rows.get(0).text("owner_sub"));
        List<PositionedMessage> messages = rows.stream()
                .filter(row -> !row.isNull("id"))
                .map(row -> new PositionedMessage(row.integer("position"), MessageRows.view(row)))
                .toList();
        return new MessagePage(messages, rows.get(0).integer("message_count"), rows.get(0).integer("purged_through"));
    }

    /**
     * Up to {@code limit} events of the room after {@code after}, in the room's order, for live delivery (access was
     * checked before): posts and changes, each with its message as it is now, and the room's latest purge by
     * retention (the posts and changes it removed are gone). One snapshot, so no event is left out that commits later
     * with a place before the last one read (every event's place is taken with the room locked).
     */
    @TransactionAttribute(SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<RoomEvent> events(UUID roomId, RoomEventId after, int limit) {
        NativeQuery<Row> query = em.createNativeQuery("""
                        SELECT * FROM (
                            (SELECT m.position AS after_position, 0 AS change_no, 'message' AS kind,
                                    NULL::integer AS purged_through, %1$s
                               FROM message m
                              WHERE m.room_id = :room AND m.position > :position
                              ORDER BY m.position LIMIT :limit)
                            UNION ALL
                            (SELECT c.after_position, c.change_no, c.kind, c.purged_through, %1$s
                               FROM message_change c
                               LEFT JOIN message m ON m.room_id = c.room_id AND m.position = c.position
                              WHERE c.room_id = :room AND (c.after_position, c.change_no) > (:position, :change)
                              ORDER BY c.after_position, c.change_no LIMIT :limit)) e
                         ORDER BY after_position, change_no
                         LIMIT :limit""".formatted(MessageRows.COLUMNS))
                .setParameter("room", roomId)
                .setParameter("position", after.position())
                .setParameter("change", after.change())
                .setParameter("limit", limit)
                .unwrap(NativeQuery.class)
                .addScalar("after_position", StandardBasicTypes.INTEGER)
                .addScalar("change_no", StandardBasicTypes.INTEGER)
                .addScalar("kind", StandardBasicTypes.STRING)
                .addScalar("purged_through", StandardBasicTypes.INTEGER);
        return MessageRows.withColumns(query).getResultList().stream().map(row -> {
            RoomEventId id = new RoomEventId(row.integer("after_position"), row.integer("change_no"));
            return row.isNull("purged_through")
                    ? new RoomEvent(id, row.text("kind"), row.integer("position"), MessageRows.view(row))
                    : new RoomEvent(id, RoomEvent.PURGE, row.integer("purged_through"), null);
        }).toList();
    }

    /** One message, looked up through its room: a message of another room is a {@link WrongRoomAndChat}. */
    @TransactionAttribute(SUPPORTS)
    public MessageView find(Caller caller, UUID roomId, UUID messageId) {
        List<Row> rows = messageQuery("FROM room r LEFT JOIN message m ON m.id = :message WHERE r.id = :room")
                .setParameter("room", roomId)
                .setParameter("message", messageId)
                .getResultList();
        return MessageRows.view(checkedMessage(caller, roomId, messageId, rows));
    }

    /** The room's row joined with the message: refused unless both exist, the room is the message's and open. */
    private Row checkedMessage(Caller caller, UUID roomId, UUID messageId, List<Row> rows) {
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        Row row = rows.get(0);
        access.check(caller, roomId, row.text("owner_sub"));
        if (row.isNull("id")) {
            throw new MessageNotFound(messageId);
        }
        if (!roomId.equals(row.uuid("room_id"))) {
            throw new WrongRoomAndChat(roomId, messageId);
        }
        return row;
    }

    /**
     * Replaces the text of a message by its author, unless it was deleted or {@code window} (when not null) has
     * passed since it was posted. The message keeps its id and place; its version goes up by one; the text it had is
     * kept in message_change, which also makes the edit an event of the room. An edit to the text it has already
     * changes nothing, so a repeated edit is harmless.
     */
    public MessageView edit(Caller caller, UUID roomId, UUID messageId, String text, Duration window) {
        Row row = lockForChange(caller, roomId, messageId);
        if (!row.text("author_sub").equals(caller.subject())) {
            throw new AccessDenied("Only its author may edit message " + messageId + ".");
        }
        if (!row.isNull("deleted_at")) {
            throw new MessageDeleted(messageId);
        }
        Instant now = Timestamps.now();
        if (window != null && row.instant("created_at").plus(window).isBefore(now)) {
            throw new EditWindowClosed(messageId, window);
        }
        if (row.text("body").equals(text)) {
            return MessageRows.view(row);
        }
        return change(roomId, messageId, "edit", row.integer("position"), row.integer("version") + 1,
                row.text("body"), caller.subject(), now, """
                        UPDATE message SET body = :text, version = :version, edited_at = :now
                         WHERE id = :message
                        RETURNING %s""", Map.of("text", text));
    }

    /**
     * Deletes a message: by its author, or by a moderator ({@code pro}, {@code admin}) with an optional reason. The
     * message stays in its place as a tombstone; the text it had is kept in message_change, which also makes the
     * deletion an event of the room. Deleting a deleted message changes nothing and answers its tombstone.
     */
    public MessageView delete(Caller caller, UUID roomId, UUID messageId, String reason) {
        Row row = lockForChange(caller, roomId, messageId);
        if (!row.text("author_sub").equals(caller.subject()) && !caller.seesAllRooms()) {
            throw new AccessDenied("Only its author, pro or admin may delete message " + messageId + ".");
        }
        if (!row.isNull("deleted_at")) {
            return MessageRows.view(row);
        }
        Map<String, String> tombstone = new HashMap<>();
        tombstone.put("reason", reason);  // null without one
        return change(roomId, messageId, "delete", row.integer("position"), row.integer("version"),
                row.text("body"), caller.subject(), Timestamps.now(), """
                        UPDATE message SET body = NULL, deleted_at = :now, deleted_by = :by, delete_reason = :reason
                         WHERE id = :message
                        RETURNING %s""", tombstone);
    }

    /**
     * Every text the message had, oldest first, with the current one last (none for a deleted message): for its
     * author, and for {@code pro} and {@code admin}, who supervise.
     */
    @TransactionAttribute(SUPPORTS)
    @SuppressWarnings("unchecked")
    public EditHistory editHistory(Caller caller, UUID roomId, UUID messageId) {
        MessageView message = find(caller, roomId, messageId);
        if (!message.user().equals(caller.subject()) && !caller.seesAllRooms()) {
            throw new AccessDenied("Only its author, pro or admin may read the edit history of message " + messageId
                    + ".");
        }
        List<Row> changes = em.createNativeQuery("""
                        SELECT c.kind, c.version, c.replaced_body, c.changed_at
                          FROM message m
                          JOIN message_change c ON c.room_id = m.room_id AND c.position = m.position
                         WHERE m.id = :message
                         ORDER BY c.change_no""")
                .setParameter("message", messageId)
                .unwrap(NativeQuery.class)
                .addScalar("kind", StandardBasicTypes.STRING)
                .addScalar("version", StandardBasicTypes.INTEGER)
                .addScalar("replaced_body", StandardBasicTypes.STRING)
                .addScalar("changed_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        List<EditHistory.Text> texts = new ArrayList<>();
        String writtenAt = message.createdAt();
        for (Row change : changes) {
            String replacedAt = Timestamps.format(change.instant("changed_at"));
            int version = change.integer("version") - ("edit".equals(change.text("kind")) ? 1 : 0);
            texts.add(new EditHistory.Text(version, change.text("replaced_body"), writtenAt, replacedAt));
            writtenAt = replacedAt;
        }
        if (message.deleted() == null) {
            texts.add(new EditHistory.Text(message.version(), message.chat(), writtenAt, null));
        }
        return new EditHistory(message, texts);
    }

    /**
     * Locks the message's room, which orders this change with every post and change of the room, and the message,
     * and reads them as they are once locked; refuses what {@link #find} refuses. (Locking the room alone would
     * leave the message as it was read before the lock was granted: a deletion committed meanwhile would go unseen.)
     */
    private Row lockForChange(Caller caller, UUID roomId, UUID messageId) {
        List<Row> rows = messageQuery("""
                        FROM room r JOIN message m ON m.id = :message WHERE r.id = :room FOR UPDATE OF r, m""")
                .setParameter("room", roomId)
                .setParameter("message", messageId)
                .getResultList();
        if (rows.isEmpty()) {  // no such room, or no such message: the read says which
            rows = messageQuery("FROM room r LEFT JOIN message m ON m.id = :message WHERE r.id = :room")
                    .setParameter("room", roomId)
                    .setParameter("message", messageId)
                    .getResultList();
        }
        return checkedMessage(caller, roomId, messageId, rows);
    }

    /**
     * Writes a change of a message: bumps the room's change count, records the change with the text it replaces,
     * and changes the message by {@code update} (with {@code :message}, {@code :now}, {@code :by}, {@code :version}
     * and the given {@code texts}), all in one statement. Answers the message as changed.
     */
    @SuppressWarnings("unchecked")
    private MessageView change(UUID roomId, UUID messageId, String kind, int position, int version, String replaced,
                               String by, Instant now, String update, Map<String, String> texts) {
        NativeQuery<Row> query = em.createNativeQuery("""
                        WITH bumped AS (
                            UPDATE room SET change_count = change_count + 1 WHERE id = :room
                            RETURNING message_count, change_count),
                        recorded AS (
                            INSERT INTO message_change (room_id, after_position, change_no, position, kind, version,
                                                        replaced_body, changed_by, changed_at)
                            SELECT :room, message_count, change_count, :position, :kind, :version, :replaced, :by, :now
                              FROM bumped)
                        """ + update.formatted(MessageRows.COLUMNS.replace("m.", "")))
                .setParameter("room", roomId)
                .setParameter("message", messageId)
                .setParameter("position", position)
                .setParameter("kind", kind)
                .setParameter("version", version)
                .setParameter("replaced", replaced)
                .setParameter("by", by)
                .setParameter("now", now)
                .unwrap(NativeQuery.class);
        texts.forEach((name, value) -> query.setParameter(name, value, StandardBasicTypes.STRING));
        return MessageRows.view(MessageRows.withColumns(query).getSingleResult());
    }

    /**
     * Bumps the room's message count by the posts of these authors (in post order) and moves its activity and
     * waiting state: the room waits for a reply while its latest messages are its owner's, since the first of them.
     * The activity only moves forward: a post whose time was taken before another's may take the room's lock after it
     * (posts in a transaction of their own, or on another instance).
     */
    @SuppressWarnings("unchecked")
    private List<Row> bump(UUID roomId, List<String> authors, Instant now) {
        String last = authors.get(authors.size() - 1);
        boolean sole = authors.stream().allMatch(last::equals);
        return em.createNativeQuery("""
                        UPDATE room
                           SET message_count = message_count + :count,
                               last_activity_at = GREATEST(last_activity_at, :now),
                               waiting_since = CASE WHEN owner_sub <> :last THEN NULL
                                                    WHEN owner_sub = :sole THEN COALESCE(waiting_since, :now)
                                                    ELSE :now END
                         WHERE id = :id
                        RETURNING message_count, owner_sub""")
                .setParameter("id", roomId)
                .setParameter("count", authors.size())
                .setParameter("now", now)
                .setParameter("last", last)
                .setParameter("sole", sole ? last : "")  // no subject is empty
                .unwrap(NativeQuery.class)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
    }

    /**
     * Posts one message in one statement, where its author owns the room or may use every room: the room's count
     * and triage state, the author's count and the message, all or nothing. Answers null, having written nothing,
     * where the room is unknown or the author's access needs the look-ups of the general way.
     */
    private MessageView postAlone(NewPost post, Instant now) {
        Caller caller = post.caller();
        UUID id = Ids.newId();
        List<?> inserted = em.createNativeQuery("""
                        WITH bumped AS (
                            UPDATE room
                               SET message_count = message_count + 1,
                                   last_activity_at = GREATEST(last_activity_at, :now),
                                   waiting_since = CASE WHEN owner_sub <> :author THEN NULL
                                                        ELSE COALESCE(waiting_since, :now) END
                             WHERE id = :room %s
                            RETURNING message_count),
                        authored AS (
                            INSERT INTO room_author (room_id, author_sub, message_count)
                            SELECT :room, :author, 1 FROM bumped
                            ON CONFLICT (room_id, author_sub)
                            DO UPDATE SET message_count = room_author.message_count + 1
                            RETURNING message_count)
                        INSERT INTO message (id, room_id, position, author_sub, author_seq, body, created_at)
                        SELECT :id, :room, bumped.message_count, :author, authored.message_count, :body, :now
                          FROM bumped, authored
                        RETURNING position""".formatted(caller.seesAllRooms() ? "" : "AND owner_sub = :author"))
                .setParameter("id", id)
                .setParameter("room", post.roomId())
                .setParameter("author", caller.subject())
                .setParameter("body", post.text())
                .setParameter("now", now)
                .getResultList();
        return inserted.isEmpty() ? null
                : MessageView.posted(id.toString(), caller.subject(), post.text(), Timestamps.format(now));
    }

    /** Adds {@code count} messages to the author's count in the room; answers the new count. */
    private int countAuthor(UUID roomId, String author, int count) {
        return ((Number) em.createNativeQuery("""
                        INSERT INTO room_author (room_id, author_sub, message_count) VALUES (:room, :author, :count)
                        ON CONFLICT (room_id, author_sub)
                        DO UPDATE SET message_count = room_author.message_count + EXCLUDED.message_count
                        RETURNING message_count""")
                .setParameter("room", roomId)
                .setParameter("author", author)
                .setParameter("count", count)
                .getSingleResult()).intValue();
    }

    /** A room (owner, count, purged through) with message columns, one row per message, from the FROM clause given. */
    @SuppressWarnings("unchecked")
    private NativeQuery<Row> messageQuery(String from) {
        NativeQuery<Row> query = em.createNativeQuery(
                        "SELECT r.owner_sub, r.message_count, r.purged_through, " + MessageRows.COLUMNS + " " + from)
                .unwrap(NativeQuery.class)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("purged_through", StandardBasicTypes.INTEGER);
        return MessageRows.withColumns(query);
    }

    private static <T> Supplier<T> once(Supplier<T> supplier) {
        List<T> value = new ArrayList<>(1);
        return () -> {
            if (value.isEmpty()) {
                value.add(supplier.get());
            }
            return value.get(0);
        };
    }
}
