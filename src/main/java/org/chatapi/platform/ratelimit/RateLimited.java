package org.chatapi.platform.ratelimit;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A resource method counted against its caller's limit for a kind of request ({@link RateLimitFilter}). */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimited {

    Kind value();

    /** The kinds of limited requests, each with its own limit per minute. */
    enum Kind {
        /** Messages posted ({@code CHAT_RATE_POSTS_PER_MINUTE}). */
        POSTS("posts"),
        /** Rooms, chats and stream tickets created ({@code CHAT_RATE_CREATES_PER_MINUTE}). */
        CREATES("creates"),
        /** Read marker updates ({@code CHAT_RATE_MARKERS_PER_MINUTE}). */
        MARKERS("markers");

        private final String policy;

        Kind(String policy) {
            this.policy = policy;
        }

        /** The name of the kind in the database and in the rate-limit headers. */
        public String policy() {
            return policy;
        }
    }
}
