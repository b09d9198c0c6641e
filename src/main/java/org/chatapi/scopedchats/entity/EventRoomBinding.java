package org.chatapi.scopedchats.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The binding of a chat to its event room (one room per chat, one chat per room). */
@Entity
@Table(name = "chat_event_room")
public class EventRoomBinding {

    public static final String CREATED = "created";
    public static final String CONVERTED = "converted";

    @Id
    @Column(name = "chat_id", nullable = false, updatable = false)
    private UUID chatId;

    @Column(name = "room_id", nullable = false, updatable = false)
    private UUID roomId;

    @Column(name = "origin", nullable = false, updatable = false)
    private String origin;

    @Column(name = "bound_at", nullable = false, updatable = false)
    private Instant boundAt;

    protected EventRoomBinding() {
    }
}
