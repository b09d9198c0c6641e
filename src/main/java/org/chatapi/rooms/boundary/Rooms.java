package org.chatapi.rooms.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.ApiException;
import org.chatapi.platform.Caller;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Timestamps;
import org.chatapi.rooms.entity.Message;
import org.chatapi.rooms.entity.Room;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Rooms and their messages; each public method that writes is one transaction. Reads join the caller's transaction
 * if there is one and otherwise run without one (no transaction to begin and end): each reads what it answers with
 * in one statement (an audience member's access check adds one).
 *
 * <p>Posting bumps the room's counter with {@code UPDATE ... RETURNING}: the row lock it takes orders concurrent
 * posts into one room, so positions are gapless and {@code __v} is exact, and the message inserts commit with it.
 * {@link GroupCommit} lets concurrent posts share that transaction.
 * A room is read with its message ids in one statement, so {@code chats} and {@code __v} come from one snapshot.
 */
@Stateless
public class Rooms {

    private static final UUID BEFORE_FIRST = new UUID(0, 0);
    private static final String ROOM_COLUMNS = """
            SELECT r.id, r.owner_sub, r.created_at, r.message_count,
                   (SELECT string_agg(m.id::text, ',' ORDER BY m.position) FROM message m WHERE m.room_id = r.id) AS chats
              FROM room r
            """;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Instance<RoomAudiences> audiences;

    /** A new empty room owned by the caller. */
    public RoomView create(Caller caller) {
        Room room = open(caller.subject());
        return new RoomView(List.of(), room.id().toString(), room.ownerSub(), Timestamps.format(room.createdAt()), 0);
    }

    /** A new empty room owned by {@code owner}, in the caller's transaction (scoped chats create event rooms so). */
    public Room open(String owner) {
        Room room = new Room(Ids.newId(), owner, Timestamps.now());
        em.persist(room);
        return room;
    }

    /** The owner of a room, if it exists. */
    @TransactionAttribute(SUPPORTS)
    public Optional<String> ownerOf(UUID roomId) {
        return em.createQuery("SELECT r.ownerSub FROM Room r WHERE r.id = :id", String.class)
                .setParameter("id", roomId)
                .getResultList()
                .stream()
                .findFirst();
    }

    /** Up to {@code limit} rooms after the room {@code after} (or from the first), in id (= creation) order. */
    @TransactionAttribute(SUPPORTS)
    public List<RoomView> list(Caller caller, UUID after, int limit) {
        if (!caller.seesAllRooms()) {
            throw new AccessDenied("Listing all rooms needs the pro or admin group.");
        }
        List<Object[]> rows = roomQuery(ROOM_COLUMNS + " WHERE r.id > :after ORDER BY r.id LIMIT :limit")
                .setParameter("after", after == null ? BEFORE_FIRST : after)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(Rooms::roomView).toList();
    }

    @TransactionAttribute(SUPPORTS)
    public RoomView find(Caller caller, UUID roomId) {
        List<Object[]> rows = roomQuery(ROOM_COLUMNS + " WHERE r.id = :id").setParameter("id", roomId).getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        RoomView room = roomView(rows.get(0));
        checkAccess(caller, roomId, room.user());
        return room;
    }

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
     * room's counter is bumped once for all its posts, rooms in id order (so concurrent batches cannot deadlock).
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
            List<Object[]> bumped = em.createNativeQuery("""
                            UPDATE room SET message_count = message_count + :count WHERE id = :id
                            RETURNING message_count, owner_sub""")
                    .setParameter("id", roomId)
                    .setParameter("count", indexes.size())
                    .unwrap(NativeQuery.class)
                    .addScalar("message_count", StandardBasicTypes.INTEGER)
                    .addScalar("owner_sub", StandardBasicTypes.STRING)
                    .getResultList();
            if (bumped.isEmpty()) {
                indexes.forEach(index -> refused.put(index, new RoomNotFound(roomId)));
                return;
            }
            int position = (Integer) bumped.get(0)[0] - indexes.size();
            String owner = (String) bumped.get(0)[1];
            Supplier<Optional<String>> audience = once(() -> audienceOf(roomId));  // one look-up for the whole batch
            for (int index : indexes) {
                NewPost post = posts.get(index);
                try {
                    checkAccess(post.caller(), roomId, owner, audience);
                } catch (AccessDenied denied) {
                    refused.put(index, denied);
                    continue;
                }
                Message message = new Message(Ids.newId(), roomId, ++position, post.caller().subject(), post.text(), now);
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
        List<Object[]> rows = roomWithMessages("""
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
        checkAccess(caller, roomId, (String) rows.get(0)[0]);
        List<PositionedMessage> messages = rows.stream()
                .filter(row -> row[2] != null)
                .map(row -> new PositionedMessage((Integer) row[4], messageView(row)))
                .toList();
        return new MessagePage(messages, (Integer) rows.get(0)[1]);
    }

    /** The room's message count, after checking that the caller may read the room (live delivery starts here). */
    @TransactionAttribute(SUPPORTS)
    public int subscribe(Caller caller, UUID roomId) {
        Room room = em.find(Room.class, roomId);
        if (room == null) {
            throw new RoomNotFound(roomId);
        }
        checkAccess(caller, roomId, room.ownerSub());
        return room.messageCount();
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
    public MessageView message(Caller caller, UUID roomId, UUID messageId) {
        List<Object[]> rows = roomWithMessages("FROM room r LEFT JOIN message m ON m.id = :message WHERE r.id = :room")
                .setParameter("room", roomId)
                .setParameter("message", messageId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new RoomNotFound(roomId);
        }
        Object[] row = rows.get(0);
        checkAccess(caller, roomId, (String) row[0]);
        if (row[2] == null) {
            throw new MessageNotFound(messageId);
        }
        if (!roomId.equals(row[3])) {
            throw new WrongRoomAndChat(roomId, messageId);
        }
        return messageView(row);
    }

    private void checkAccess(Caller caller, UUID roomId, String owner) {
        checkAccess(caller, roomId, owner, () -> audienceOf(roomId));
    }

    /** The owner, pro and admin use a room; so do the members of the audience another feature opened it to. */
    private static void checkAccess(Caller caller, UUID roomId, String owner, Supplier<Optional<String>> audience) {
        if (!caller.mayUseRoomOf(owner) && !(caller.hasAudiences() && audience.get().filter(caller::actsFor).isPresent())) {
            throw new AccessDenied("Room " + roomId + " is not open to this caller.");
        }
    }

    private Optional<String> audienceOf(UUID roomId) {
        for (RoomAudiences opener : audiences) {
            Optional<String> audience = opener.audienceOf(roomId);
            if (audience.isPresent()) {
                return audience;
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private NativeQuery<Object[]> roomQuery(String sql) {
        return em.createNativeQuery(sql)
                .unwrap(NativeQuery.class)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("chats", StandardBasicTypes.STRING);
    }

    /** A room (owner, count) with message columns, one row per message, from the FROM clause given. */
    @SuppressWarnings("unchecked")
    private NativeQuery<Object[]> roomWithMessages(String from) {
        return em.createNativeQuery("""
                        SELECT r.owner_sub, r.message_count, m.id, m.room_id, m.position, m.author_sub, m.body, m.created_at
                        """ + from)
                .unwrap(NativeQuery.class)
                .addScalar("owner_sub", StandardBasicTypes.STRING)
                .addScalar("message_count", StandardBasicTypes.INTEGER)
                .addScalar("id", StandardBasicTypes.UUID)
                .addScalar("room_id", StandardBasicTypes.UUID)
                .addScalar("position", StandardBasicTypes.INTEGER)
                .addScalar("author_sub", StandardBasicTypes.STRING)
                .addScalar("body", StandardBasicTypes.STRING)
                .addScalar("created_at", StandardBasicTypes.INSTANT);
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

    private static MessageView messageView(Object[] row) {
        return new MessageView(row[2].toString(), (String) row[5], (String) row[6], Timestamps.format((Instant) row[7]), 0);
    }

    private static RoomView roomView(Object[] row) {
        String chats = (String) row[4];
        return new RoomView(chats == null ? List.of() : Arrays.asList(chats.split(",")), row[0].toString(),
                (String) row[1], Timestamps.format((Instant) row[2]), (Integer) row[3]);
    }
}
