package org.chatapi.privacy;

import static jakarta.ejb.TransactionAttributeType.REQUIRES_NEW;
import static jakarta.ejb.TransactionAttributeType.SUPPORTS;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.chatapi.platform.AccessDenied;
import org.chatapi.platform.Ids;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.Row;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The erasure of a person (GDPR Art. 17): every text they wrote, their earlier texts, their read markers and inbox
 * events, their idempotency records (whose stored responses hold their texts) and any other stored response that
 * names them, their stream tickets, rate counters and exports; where a row must stay for others (a message in its
 * place, a room others wrote in, a chat, a tombstone they left as a moderator, the audit), their subject is replaced
 * by the erasure's pseudonym. The work is a list of steps, each a bounded statement in a transaction of its own that
 * adds what it did to the erasure's counts, repeated until none finds anything: so it resumes after a crash, and an
 * erasure run twice finds nothing more the second time.
 */
@Stateless
public class Erasures {

    /** Rows one step touches at the most. */
    static final int BATCH = 500;

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Event<DataJobs.Asked> asked;

    /** An unfinished erasure an instance works on: whose, and what replaces them. */
    public record Job(UUID id, String subject, String pseudonym) {
    }

    /** A step of the work: the table it counts for, and its statement (with {@code :s}, {@code :p}, {@code :batch}). */
    private record Step(String table, String sql) {
    }

    /**
     * The steps, in order: a step runs again while it finds rows, then the next. The first pseudonymises the
     * person's messages one room at a time, the room locked first (as posts, edits and deletions lock it), turning
     * them into tombstones (a deletion event each, so open streams show it) and dropping the texts they replaced;
     * the second names the room's author count after the pseudonym once none of the room's messages is the person's.
     */
    private static final List<Step> STEPS = List.of(
            new Step("message", """
                    WITH chosen AS (SELECT room_id FROM room_author WHERE author_sub = :s ORDER BY room_id LIMIT 1),
                    locked AS (SELECT r.id FROM room r, chosen WHERE r.id = chosen.room_id FOR UPDATE OF r),
                    target AS (
                        SELECT m.room_id, m.position, m.version, m.deleted_at IS NULL AS live
                          FROM message m, locked
                         WHERE m.room_id = locked.id AND m.author_sub = :s
                         ORDER BY m.position LIMIT :batch),
                    live AS (SELECT room_id, position, version, row_number() OVER (ORDER BY position) AS n
                               FROM target WHERE live),
                    bumped AS (
                        UPDATE room r SET change_count = change_count + (SELECT count(*) FROM live)
                          FROM chosen WHERE r.id = chosen.room_id AND EXISTS (SELECT 1 FROM live)
                        RETURNING r.id, r.message_count, r.change_count),
                    recorded AS (
                        INSERT INTO message_change (room_id, after_position, change_no, position, kind, version,
                                                    replaced_body, changed_by, changed_at)
                        SELECT b.id, b.message_count, b.change_count - (SELECT count(*) FROM live) + l.n,
                               l.position, 'delete', l.version, NULL, :p, now()
                          FROM live l, bumped b),
                    texts AS (
                        UPDATE message_change c SET replaced_body = NULL
                          FROM target t
                         WHERE c.room_id = t.room_id AND c.position = t.position AND c.replaced_body IS NOT NULL)
                    UPDATE message m
                       SET body = NULL, author_sub = :p, deleted_at = COALESCE(m.deleted_at, now()),
                           deleted_by = CASE WHEN m.deleted_by IS NULL OR m.deleted_by = :s THEN :p
                                             ELSE m.deleted_by END,
                           delete_reason = NULL
                      FROM target t
                     WHERE m.room_id = t.room_id AND m.position = t.position"""),
            new Step("room_author", """
                    UPDATE room_author SET author_sub = :p
                     WHERE (room_id, author_sub) IN (
                           SELECT a.room_id, a.author_sub FROM room_author a
                            WHERE a.author_sub = :s
                              AND NOT EXISTS (SELECT 1 FROM message m
                                               WHERE m.room_id = a.room_id AND m.author_sub = :s)
                            LIMIT :batch)"""),
            new Step("message_change", """
                    WITH changes AS (
                        SELECT ctid AS at, room_id, position, kind FROM message_change WHERE changed_by = :s
                         LIMIT :batch),
                    tombstones AS (
                        UPDATE message m SET deleted_by = :p
                          FROM changes c
                         WHERE c.kind = 'delete' AND m.room_id = c.room_id AND m.position = c.position
                           AND m.deleted_by = :s)
                    UPDATE message_change SET changed_by = :p WHERE ctid = ANY (ARRAY(SELECT at FROM changes))"""),
            new Step("room", """
                    UPDATE room SET owner_sub = :p
                     WHERE id IN (SELECT id FROM room WHERE owner_sub = :s LIMIT :batch)"""),
            new Step("read_marker", """
                    DELETE FROM read_marker
                     WHERE ctid = ANY (ARRAY(SELECT ctid FROM read_marker WHERE reader_sub = :s LIMIT :batch))"""),
            new Step("inbox_event", """
                    DELETE FROM inbox_event
                     WHERE ctid = ANY (ARRAY(SELECT ctid FROM inbox_event WHERE reader_sub = :s LIMIT :batch))"""),
            new Step("chat", """
                    UPDATE chat SET created_by = :p
                     WHERE id IN (SELECT id FROM chat WHERE created_by = :s LIMIT :batch)"""),
            new Step("idempotency_key", """
                    DELETE FROM idempotency_key
                     WHERE ctid = ANY (ARRAY(
                           SELECT ctid FROM idempotency_key
                            WHERE caller_sub = :s OR strpos(response_body, :quoted) > 0 LIMIT :batch))"""),
            new Step("stream_ticket", """
                    DELETE FROM stream_ticket
                     WHERE ctid = ANY (ARRAY(SELECT ctid FROM stream_ticket WHERE caller_sub = :s LIMIT :batch))"""),
            new Step("rate_counter", """
                    DELETE FROM rate_counter
                     WHERE ctid = ANY (ARRAY(SELECT ctid FROM rate_counter WHERE caller_sub = :s LIMIT :batch))"""),
            new Step("data_export", """
                    DELETE FROM data_export
                     WHERE id IN (SELECT id FROM data_export WHERE subject = :s OR requested_by = :s LIMIT 1)"""),
            new Step("webhook_delivery", """
                    UPDATE webhook_delivery SET reader_sub = :p
                     WHERE id IN (SELECT id FROM webhook_delivery WHERE reader_sub = :s LIMIT :batch)"""),
            new Step("webhook_subscription", """
                    UPDATE webhook_subscription SET created_by = :p
                     WHERE id IN (SELECT id FROM webhook_subscription WHERE created_by = :s LIMIT :batch)"""),
            new Step("data_request", """
                    UPDATE data_request SET requested_by = :p
                     WHERE id IN (SELECT id FROM data_request WHERE requested_by = :s LIMIT :batch)"""));

    /** Asks for the erasure of the person with this subject (admin only); it runs in the background. */
    public ErasureView request(Caller caller, String subject) {
        if (!caller.isAdmin()) {
            throw new AccessDenied("Only admin may erase a person's data.");
        }
        People.requireKnown(em, subject);
        UUID id = Ids.newId();
        String hash = DataRequests.sha256(subject);
        em.createNativeQuery("""
                        INSERT INTO erasure (id, subject, subject_sha256, pseudonym, requested_by, requested_at)
                        VALUES (:id, :subject, :hash, :pseudonym, :by, :now)""")
                .setParameter("id", id)
                .setParameter("subject", subject)
                .setParameter("hash", hash)
                .setParameter("pseudonym", "erased:" + id)
                .setParameter("by", caller.subject())
                .setParameter("now", Timestamps.now())
                .executeUpdate();
        DataRequests.record(em, "erasure", hash, id, caller.subject(), "erase every trace of the person");
        asked.fire(new DataJobs.Asked());
        return receipt(caller, id);
    }

    /** The erasure's state, and once finished its receipt (admin only). */
    @TransactionAttribute(SUPPORTS)
    @SuppressWarnings("unchecked")
    public ErasureView receipt(Caller caller, UUID id) {
        if (!caller.isAdmin()) {
            throw new AccessDenied("Only admin may read erasures.");
        }
        List<Row> rows = em.createNativeQuery("""
                        SELECT subject_sha256, requested_by, requested_at, finished_at, counts::text AS counts
                          FROM erasure WHERE id = :id""")
                .setParameter("id", id)
                .unwrap(NativeQuery.class)
                .addScalar("subject_sha256", StandardBasicTypes.STRING)
                .addScalar("requested_by", StandardBasicTypes.STRING)
                .addScalar("requested_at", StandardBasicTypes.INSTANT)
                .addScalar("finished_at", StandardBasicTypes.INSTANT)
                .addScalar("counts", StandardBasicTypes.STRING)
                .setTupleTransformer(Row.BY_NAME)
                .getResultList();
        if (rows.isEmpty()) {
            throw new DataRequestNotFound("erasure", id);
        }
        Row row = rows.get(0);
        Map<String, Integer> counts = new TreeMap<>();
        RequestBodies.JSON.createReader(new StringReader(row.text("counts"))).readObject()
                .forEach((table, count) -> counts.put(table, Integer.parseInt(count.toString())));
        return new ErasureView(id.toString(), row.isNull("finished_at") ? "running" : "done",
                row.text("subject_sha256"), row.text("requested_by"), Timestamps.format(row.instant("requested_at")),
                row.isNull("finished_at") ? null : Timestamps.format(row.instant("finished_at")), counts);
    }

    /** Takes an unfinished erasure no instance holds (or whose holder's lease lapsed). */
    @TransactionAttribute(REQUIRES_NEW)
    public Optional<Job> claim() {
        return Leases.claim(em, "erasure").map(row -> new Job(row.uuid("id"), row.text("subject"),
                "erased:" + row.uuid("id")));
    }

    /**
     * One step of the erasure, in a transaction of its own, with its count; when no step finds anything the erasure
     * is finished: its subject is forgotten. Answers whether there may be more to do.
     */
    @TransactionAttribute(REQUIRES_NEW)
    public boolean step(Job job) {
        if (!Leases.renew(em, "erasure", job.id())) {
            return false;
        }
        for (Step step : STEPS) {
            var statement = em.createNativeQuery(step.sql())
                    .setParameter("s", job.subject());
            if (step.sql().contains(":p")) {
                statement.setParameter("p", job.pseudonym());
            }
            if (step.sql().contains(":batch")) {
                statement.setParameter("batch", BATCH);
            }
            if (step.sql().contains(":quoted")) {
                statement.setParameter("quoted", RequestBodies.JSON.createValue(job.subject()).toString());
            }
            int done = statement.executeUpdate();
            if (done > 0) {
                em.createNativeQuery("""
                                UPDATE erasure
                                   SET counts = counts || jsonb_build_object(CAST(:table AS text),
                                                   COALESCE((counts ->> CAST(:table AS text))::int, 0) + :done)
                                 WHERE id = :id""")
                        .setParameter("table", step.table())
                        .setParameter("done", done)
                        .setParameter("id", job.id())
                        .executeUpdate();
                return true;
            }
        }
        em.createNativeQuery("""
                        UPDATE erasure SET subject = NULL, finished_at = now(), leased_until = NULL WHERE id = :id""")
                .setParameter("id", job.id())
                .executeUpdate();
        return false;
    }
}
