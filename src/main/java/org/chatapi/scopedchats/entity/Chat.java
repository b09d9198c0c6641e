package org.chatapi.scopedchats.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's chat for an (audience, scope) pair. Written with SQL (see ScopedChats); read through JPA. */
@Entity
@Table(name = "chat")
public class Chat {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id;

    @Column(name = "audience", nullable = false, updatable = false)
    private String audience;

    @Column(name = "scope", nullable = false, updatable = false)
    private String scope;

    /** The tags as JSON text, or null. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tags", updatable = false)
    private String tags;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected Chat() {
    }

    public UUID id() {
        return id;
    }

    public String audience() {
        return audience;
    }

    public String scope() {
        return scope;
    }

    public String tags() {
        return tags;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
