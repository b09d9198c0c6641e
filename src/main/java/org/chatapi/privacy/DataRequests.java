package org.chatapi.privacy;

import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.chatapi.platform.Ids;
import org.chatapi.platform.Timestamps;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The audit of requests about people's data and rooms' retention (table data_request), written in the transaction of
 * each request.
 */
final class DataRequests {

    private DataRequests() {
    }

    /**
     * Records that {@code requestedBy} asked for {@code kind} ({@code request}) about the person with this hash (none
     * for a retention change, whose request is the room).
     */
    static void record(EntityManager em, String kind, String subjectSha256, UUID request, String requestedBy,
                       String detail) {
        em.createNativeQuery("""
                        INSERT INTO data_request
                               (id, kind, subject_sha256, request_id, requested_by, requested_at, detail)
                        VALUES (:id, :kind, :hash, :request, :by, :now, :detail)""")
                .unwrap(NativeQuery.class)
                .setParameter("hash", subjectSha256, StandardBasicTypes.STRING)
                .setParameter("id", Ids.newId())
                .setParameter("kind", kind)
                .setParameter("request", request)
                .setParameter("by", requestedBy)
                .setParameter("now", Timestamps.now())
                .setParameter("detail", detail)
                .executeUpdate();
    }

    /** SHA-256 of the text (UTF-8), in hexadecimal. */
    static String sha256(String text) {
        return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
