package org.chatapi.rooms.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message posted into a room, at a fixed room-local position: the entity posts it. Its edits and its deletion are
 * made in SQL ({@code Messages}), with the room locked, never through the entity; so every column is read-only here.
 */
@Entity
@Table(name = "message")
public class Message {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "room_id", nullable = false, updatable = false)
    private UUID roomId;

    @Column(name = "position", nullable = false, updatable = false)
    private int position;

    @Column(name = "author_sub", nullable = false, updatable = false)
    private String authorSub;

    @Column(name = "author_seq", nullable = false, updatable = false)
    private int authorSeq;

    @Column(name = "body", updatable = false)
    private String body;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected Message() {
    }

    public Message(UUID id, UUID roomId, int position, String authorSub, int authorSeq, String body,
                   Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.roomId = Objects.requireNonNull(roomId, "roomId");
        this.authorSub = Objects.requireNonNull(authorSub, "authorSub");
        this.body = Objects.requireNonNull(body, "body");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        if (position < 1) {
            throw new IllegalArgumentException("positions start at 1, got " + position);
        }
        if (authorSeq < 1 || authorSeq > position) {
            throw new IllegalArgumentException("an author's sequence runs from 1 to the position, got " + authorSeq);
        }
        this.position = position;
        this.authorSeq = authorSeq;
    }

    public UUID id() {
        return id;
    }

    public UUID roomId() {
        return roomId;
    }

    public int position() {
        return position;
    }

    public String authorSub() {
        return authorSub;
    }

    /** This is its author's authorSeq-th message in the room. */
    public int authorSeq() {
        return authorSeq;
    }

    public String body() {
        return body;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
