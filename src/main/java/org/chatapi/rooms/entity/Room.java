package org.chatapi.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A chat room. Its message count, latest activity and waiting state are only ever changed in SQL, atomically with
 * the insert of each message; its change count likewise with each edit and deletion of its messages.
 */
@Entity
@Table(name = "room")
public class Room {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "owner_sub", nullable = false, updatable = false)
    private String ownerSub;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "message_count", nullable = false, insertable = false, updatable = false)
    private int messageCount;

    @Column(name = "change_count", nullable = false, insertable = false, updatable = false)
    private int changeCount;

    /** Set once here; every post moves it in SQL. */
    @Column(name = "last_activity_at", nullable = false, updatable = false)
    private Instant lastActivityAt;

    protected Room() {
    }

    public Room(UUID id, String ownerSub, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.ownerSub = Objects.requireNonNull(ownerSub, "ownerSub");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.lastActivityAt = createdAt;
        if (ownerSub.isBlank()) {
            throw new IllegalArgumentException("a room needs an owner");
        }
    }

    public UUID id() {
        return id;
    }

    public String ownerSub() {
        return ownerSub;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public int messageCount() {
        return messageCount;
    }

    /** How many edits and deletions of its messages the room has had. */
    public int changeCount() {
        return changeCount;
    }
}
