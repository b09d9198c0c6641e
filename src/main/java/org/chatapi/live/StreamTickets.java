package org.chatapi.live;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.platform.security.Unauthenticated;
import org.chatapi.rooms.boundary.Rooms;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Tickets for one room's event stream (table stream_ticket), for a browser's EventSource, which cannot send an
 * Authorization header: issued to a caller with a bearer token who may read the room, they open that room's stream
 * only, as that caller, until they expire. Stored in the database, so that any instance honours them.
 */
@Stateless
public class StreamTickets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TICKET_BYTES = 32;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @EJB
    Rooms rooms;

    @Inject
    @ConfigProperty(name = "chat.stream-ticket-seconds", defaultValue = "300")
    long ticketSeconds;

    /** A ticket as its holder gets it. */
    public record Ticket(String value, Instant expiresAt) {
    }

    /** Who a ticket stands for, and until when. */
    public record Holder(Caller caller, Instant expiresAt) {
    }

    /**
     * A ticket for the room's stream, if the caller may read the room, or for the caller's inbox stream
     * ({@code roomId} null); never valid beyond its authority.
     */
    public Ticket issue(Caller caller, UUID roomId, Instant authorityExpiry) {
        if (roomId != null) {
            rooms.latestEvent(caller, roomId);  // refuses a room the caller may not read
        }
        Instant now = Timestamps.now();
        Instant expires = now.plus(Duration.ofSeconds(ticketSeconds));
        if (authorityExpiry.isBefore(expires)) {
            expires = authorityExpiry;
        }
        byte[] random = new byte[TICKET_BYTES];
        RANDOM.nextBytes(random);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        em.createNativeQuery("DELETE FROM stream_ticket WHERE expires_at < :now").setParameter("now", now)
                .executeUpdate();
        JsonArrayBuilder groups = RequestBodies.JSON.createArrayBuilder();
        caller.groups().stream().sorted().forEach(groups::add);
        Query insert = em.createNativeQuery("""
                INSERT INTO stream_ticket (ticket_hash, room_id, caller_sub, caller_groups, expires_at)
                VALUES (:hash, %s, :caller, :groups, :expires)""".formatted(roomId == null ? "NULL" : ":room"));
        if (roomId != null) {
            insert.setParameter("room", roomId);
        }
        insert.setParameter("hash", hash(ticket))
                .setParameter("caller", caller.subject())
                .setParameter("groups", groups.build().toString())
                .setParameter("expires", expires)
                .executeUpdate();
        return new Ticket(ticket, expires);
    }

    /**
     * The holder of a ticket for this room's stream (or the inbox stream: {@code roomId} null); a ticket unknown,
     * expired or for another stream is refused (401).
     */
    public Holder redeem(String ticket, UUID roomId) {
        @SuppressWarnings("unchecked")
        Query select = em.createNativeQuery("""
                SELECT caller_sub, caller_groups, expires_at FROM stream_ticket
                 WHERE ticket_hash = :hash AND %s AND expires_at > :now"""
                .formatted(roomId == null ? "room_id IS NULL" : "room_id = :room"));
        if (roomId != null) {
            select.setParameter("room", roomId);
        }
        List<Row> rows = select.setParameter("hash", hash(ticket))
                .setParameter("now", Timestamps.now())
                .unwrap(NativeQuery.class)
                .addScalar("caller_sub", StandardBasicTypes.STRING)
                .addScalar("caller_groups", StandardBasicTypes.STRING)
                .addScalar("expires_at", StandardBasicTypes.INSTANT)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        if (rows.isEmpty()) {
            throw new Unauthenticated("The stream ticket is unknown, has expired, or is for another stream: "
                    + "get a new one (POST " + (roomId == null ? "/inbox" : "/room/" + roomId) + "/events/tickets).");
        }
        Row row = rows.get(0);
        Set<String> groups = RequestBodies.JSON.createReader(new StringReader(row.text("caller_groups"))).readArray()
                .getValuesAs(JsonString.class).stream().map(JsonString::getString).collect(Collectors.toSet());
        return new Holder(new Caller(row.text("caller_sub"), groups), row.instant("expires_at"));
    }

    private static byte[] hash(String ticket) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
