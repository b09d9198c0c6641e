package org.chatapi.scopedchats.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.UUID;
import org.chatapi.rooms.boundary.RoomAudiences;

/** Opens each event room to the members of its chat's audience. */
@ApplicationScoped
public class EventRoomAudiences implements RoomAudiences {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Override
    public Optional<String> audienceOf(UUID roomId) {
        return em.createQuery("""
                        SELECT c.audience FROM Chat c JOIN EventRoomBinding b ON b.chatId = c.id
                         WHERE b.roomId = :room""", String.class)
                .setParameter("room", roomId)
                .getResultList()
                .stream()
                .findFirst();
    }

    @Override
    public String roomsSql() {
        return "SELECT b.room_id, c.audience FROM chat_event_room b JOIN chat c ON c.id = b.chat_id";
    }
}
