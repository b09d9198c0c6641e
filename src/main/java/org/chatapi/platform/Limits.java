package org.chatapi.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Size and time limits, configurable through MicroProfile Config (and so through environment variables). */
@ApplicationScoped
public class Limits {

    @Inject
    @ConfigProperty(name = "chat.max-body-bytes", defaultValue = "1048576")
    long maxBodyBytes;

    @Inject
    @ConfigProperty(name = "chat.request-timeout-seconds", defaultValue = "30")
    long requestTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "chat.max-message-length", defaultValue = "16384")
    int maxMessageLength;

    @Inject
    @ConfigProperty(name = "chat.max-tags-bytes", defaultValue = "16384")
    int maxTagsBytes;

    @Inject
    @ConfigProperty(name = "chat.edit-window-seconds", defaultValue = "0")
    long editWindowSeconds;

    @Inject
    @ConfigProperty(name = "chat.room-chats-max", defaultValue = "1000")
    int roomChatsMax;

    @Inject
    @ConfigProperty(name = "chat.room-list-chats-max", defaultValue = "100")
    int roomListChatsMax;

    /** How many of its latest message ids a room read shows in {@code chats} ({@code CHAT_ROOM_CHATS_MAX}). */
    public int roomChatsMax() {
        return roomChatsMax;
    }

    /** How many of its latest message ids each room of a listing shows ({@code CHAT_ROOM_LIST_CHATS_MAX}). */
    public int roomListChatsMax() {
        return roomListChatsMax;
    }

    /** How long a request may take to arrive completely, in milliseconds ({@code CHAT_REQUEST_TIMEOUT_SECONDS}). */
    public long requestTimeoutMillis() {
        return requestTimeoutSeconds * 1000L;
    }

    /** Largest request body accepted, in bytes ({@code CHAT_MAX_BODY_BYTES}). */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Longest message text accepted, in characters ({@code CHAT_MAX_MESSAGE_LENGTH}). */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /**
     * How long after posting its author may edit a message ({@code CHAT_EDIT_WINDOW_SECONDS}); null (the default,
     * 0) for no limit.
     */
    public Duration editWindow() {
        return editWindowSeconds > 0 ? Duration.ofSeconds(editWindowSeconds) : null;
    }

    /** Largest {@code tags} object accepted, in bytes of its JSON ({@code CHAT_MAX_TAGS_BYTES}). */
    public int maxTagsBytes() {
        return maxTagsBytes;
    }
}
