package org.chatapi.privacy;

import jakarta.persistence.EntityManager;

/** Whether the service holds anything of a person: what an admin's request about someone needs to be about. */
final class People {

    private People() {
    }

    /** Refuses (404) a subject of whom no room, message, read marker, chat or webhook subscription is held. */
    static void requireKnown(EntityManager em, String subject) {
        Object known = em.createNativeQuery("""
                        SELECT EXISTS (SELECT 1 FROM room WHERE owner_sub = :s)
                            OR EXISTS (SELECT 1 FROM room_author WHERE author_sub = :s)
                            OR EXISTS (SELECT 1 FROM read_marker WHERE reader_sub = :s)
                            OR EXISTS (SELECT 1 FROM chat WHERE created_by = :s)
                            OR EXISTS (SELECT 1 FROM webhook_subscription WHERE created_by = :s)""")
                .setParameter("s", subject)
                .getSingleResult();
        if (!Boolean.TRUE.equals(known)) {
            throw new PersonNotFound();
        }
    }
}
