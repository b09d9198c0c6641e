package org.chatapi.rooms.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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
 * <p>It is about 300 lines because it holds every statement on the message table, so that they are read in
 * one place.
 */
@Stateless
public class Messages {

    private static final String MESSAGE_COLUMNS =
            "SELECT r.owner_sub, r.message_count, m.id, m.room_id, m.position, m.author_sub, m.body, m.created_at ";

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
                .map(row -> new PositionedMessage(row.integer("position"), messageView(row)))
                .toList();
        return new MessagePage(messages, rows.get(0).integer("message_count"));
    }

    /** Up to {@code limit} messages after position {@code after}, for live delivery (access was checked before). */
    @TransactionAttribute(SUPPORTS)
    public List<PositionedMessage> since(UUID roomId, int after, int limit) {
        return em.createQuery("""
                        SELECT m FROM Message m WHERE m.roomId = :room AND m.position > :after ORDER BY m.position""",
                        Message.class)
                .setParameter("room", roomId)
                .setParameter("after", after)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(message -> new PositionedMessage(message.position(), MessageView.of(message)))
                .toList();
    }

    /** One message, looked up through its room: a message of another room is a {@link WrongRoomAndChat}. */
    @TransactionAttribute(SUPPORTS)
    public MessageView find(Caller caller, UUID roomId, UUID messageId) {
        List<Row> rows = messageQuery("FROM room r LEFT JOIN message m ON m.id = :message WHERE r.id = :room")
                .setParameter("room", roomId)
                .setParameter("message", messageId)
                .getResultList();
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
        return messageView(row);
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
                : new MessageView(id.toString(), caller.subject(), post.text(), Timestamps.format(now), 0);
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

    /** A room (owner, count) with message columns, one row per message, from the FROM clause given. */
    @SuppressWarnings("unchecked")
    private NativeQuery<Row> messageQuery(String from) {
        return em.createNativeQuery(MESSAGE_COLUMNS + from)
                .unwrap(NativeQuery.class)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("room_id", StandardBasicTypes.UUID)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("author_sub", StandardBasicTypes.STRING)
                .addScalar("body", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME);
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

    private static MessageView messageView(Row row) {
        return new MessageView(row.uuid("id").toString(), row.text("author_sub"), row.text("body"),
                Timestamps.format(row.instant("created_at")), 0);
    }
}
