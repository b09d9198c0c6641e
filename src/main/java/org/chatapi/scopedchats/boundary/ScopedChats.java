package org.chatapi.scopedchats.boundary;

import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Ids;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.Rooms;
import org.chatapi.rooms.entity.Room;
import org.chatapi.scopedchats.boundary.ChatProblems.ChatAlreadyExists;
import org.chatapi.scopedchats.boundary.ChatProblems.ChatNotFound;
import org.chatapi.scopedchats.boundary.ChatProblems.EventRoomAlreadyBound;
import org.chatapi.scopedchats.boundary.ChatProblems.EventRoomMissing;
import org.chatapi.scopedchats.entity.Chat;
import org.chatapi.scopedchats.entity.EventRoomBinding;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Scoped chats; each public method that writes is one transaction (reads run without one of their own). A chat,
 * its binding and (on create) its event room are written together or not at all. Uniqueness is left to the
 * database: {@code INSERT ... ON CONFLICT DO NOTHING} makes the losers of a race see the winner's row and answer
 * 409, and their rollback takes their room with it.
 */
@Stateless
public class ScopedChats {

    private static final String CHAT_WITH_ROOM =
            "SELECT c, b.roomId FROM Chat c JOIN EventRoomBinding b ON b.chatId = c.id ";

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @EJB
    Rooms rooms;

    /** A chat with a new event room owned by the caller. */
    public ChatView create(Caller caller, ChatRequest request) {
        requireAudience(caller, request.audience());
        Room room = rooms.open(caller.subject());
        em.flush();
        return bind(caller, request, room.id(), EventRoomBinding.CREATED);
    }

    /** A chat bound to an existing room, which the caller must be allowed to use and no other chat may have. */
    public ChatView convert(Caller caller, ChatRequest request) {
        requireAudience(caller, request.audience());
        UUID roomId = request.eventRoomId();
        String owner = rooms.ownerOf(roomId).orElseThrow(() -> new EventRoomMissing(roomId));
        if (!caller.mayUseRoomOf(owner)) {
            throw new AccessDenied("Only the owner of room " + roomId + " may bind it to a chat.");
        }
        return bind(caller, request, roomId, EventRoomBinding.CONVERTED);
    }

    @TransactionAttribute(SUPPORTS)
    public ChatView find(Caller caller, UUID chatId) {
        List<Object[]> rows = em.createQuery(CHAT_WITH_ROOM + "WHERE c.id = :id", Object[].class)
                .setParameter("id", chatId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new ChatNotFound("There is no chat " + chatId + ".");
        }
        Chat chat = (Chat) rows.get(0)[0];
        requireAudience(caller, chat.audience());
        return view(chat, (UUID) rows.get(0)[1]);
    }

    @TransactionAttribute(SUPPORTS)
    public ChatView find(Caller caller, String audience, String scope) {
        requireAudience(caller, audience);
        List<Object[]> rows = em.createQuery(CHAT_WITH_ROOM + "WHERE c.audience = :audience AND c.scope = :scope",
                        Object[].class)
                .setParameter("audience", audience)
                .setParameter("scope", scope)
                .getResultList();
        if (rows.isEmpty()) {
            throw new ChatNotFound("Audience \"" + audience + "\" has no chat for scope \"" + scope + "\".");
        }
        return view((Chat) rows.get(0)[0], (UUID) rows.get(0)[1]);
    }

    private ChatView bind(Caller caller, ChatRequest request, UUID roomId, String origin) {
        UUID chatId = Ids.newId();
        Instant now = Timestamps.now();
        String tags = request.tags() == null ? null : request.tags().toString();
        int created = em.createNativeQuery("""
                        INSERT INTO chat (id, audience, scope, tags, created_by, created_at)
                        VALUES (:id, :audience, :scope, CAST(:tags AS jsonb), :createdBy, :createdAt)
                        ON CONFLICT (audience, scope) DO NOTHING""")
                .setParameter("id", chatId)
                .setParameter("audience", request.audience())
                .setParameter("scope", request.scope())
                .setParameter("createdBy", caller.subject())
                .setParameter("createdAt", now)
                .unwrap(NativeQuery.class)
                .setParameter("tags", tags, StandardBasicTypes.STRING)
                .executeUpdate();
        if (created == 0) {
            throw new ChatAlreadyExists(request.audience(), request.scope());
        }
        int bound = em.createNativeQuery("""
                        INSERT INTO chat_event_room (chat_id, room_id, origin, bound_at)
                        VALUES (:chat, :room, :origin, :boundAt)
                        ON CONFLICT (room_id) DO NOTHING""")
                .setParameter("chat", chatId)
                .setParameter("room", roomId)
                .setParameter("origin", origin)
                .setParameter("boundAt", now)
                .executeUpdate();
        if (bound == 0) {
            throw new EventRoomAlreadyBound(roomId);
        }
        return new ChatView(request.scope(), chatId.toString(), request.audience(), request.scope(), request.tags(),
                new ChatView.RealTime(roomId.toString()), Timestamps.format(now));
    }

    private static void requireAudience(Caller caller, String audience) {
        if (!caller.actsFor(audience)) {
            throw new AccessDenied("The caller does not act for the audience of this chat.");
        }
    }

    private static ChatView view(Chat chat, UUID roomId) {
        JsonObject tags = chat.tags() == null ? null : RequestBodies.JSON.createReader(new StringReader(chat.tags())).readObject();
        return new ChatView(chat.scope(), chat.id().toString(), chat.audience(), chat.scope(), tags,
                new ChatView.RealTime(roomId.toString()), Timestamps.format(chat.createdAt()));
    }
}
