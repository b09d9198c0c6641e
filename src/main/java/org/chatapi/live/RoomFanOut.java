package org.chatapi.live;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Lifecycle;
import org.chatapi.rooms.boundary.Messages;
import org.chatapi.rooms.boundary.PositionedMessage;

/**
 * The Server-Sent Events subscribers of this instance, per room, and the delivery of new messages to them; the
 * streams themselves (quota, heartbeat, expiry, stopping) are {@link Streams}'.
 *
 * <p>The database is the only source of messages: an announcement ({@link MessageCommitListener}) only says that a
 * room has something new, and the room's feed then reads every message after the position each subscriber has seen.
 * So a subscriber gets each message once, in order, whatever instance it was posted on, and after a missed
 * announcement (a reconnect) the next catch-up fills the gap. Events are written by {@link EventSenders}: a client
 * that reads slowly, or not at all, holds up nobody else, and catches up from the database once it reads again.
 */
@ApplicationScoped
public class RoomFanOut {

    private static final Logger LOG = Logger.getLogger(RoomFanOut.class.getName());
    private static final int BATCH = 500;

    private final Map<UUID, RoomFeed> feeds = new ConcurrentHashMap<>();

    @EJB
    Messages messages;

    @Inject
    JsonWriter json;

    @Inject
    Streams streams;

    @PostConstruct
    void start() {
        streams.start("event streams", "chat.streams.open");
    }

    /** The instance is stopping: every stream ends (to reconnect to another instance, with Last-Event-ID). */
    void stopping(@Observes Lifecycle.Stopping stopping) {
        streams.stopping();
    }

    /**
     * Streams the room's messages after {@code position} to the sink, from the database first, then as posted, until
     * {@code authorityExpiry}: then the stream ends, and the client reconnects with a fresh token.
     */
    public void subscribe(String caller, UUID roomId, SseEventSink sink, Sse sse, int position, Instant authorityExpiry) {
        Subscriber subscriber = new Subscriber(caller, sink, sse, position, authorityExpiry);
        while (true) {
            RoomFeed feed = feeds.computeIfAbsent(roomId, RoomFeed::new);
            synchronized (feed) {
                if (feeds.get(roomId) == feed) {  // not retired by a delivery that found it empty meanwhile
                    subscriber.feed = feed;
                    feed.subscribers.add(subscriber);
                    subscriber.stream.begin(subscriber.stream.event().comment("subscribed to room " + roomId).build());
                    feed.catchUp.request();
                    return;
                }
            }
        }
    }

    /** A message was committed in the room (on any instance). */
    void announce(UUID roomId) {
        RoomFeed feed = feeds.get(roomId);
        if (feed != null) {
            feed.catchUp.request();
        }
    }

    /** Announcements may have been missed (the listener reconnected): let every feed read what is new. */
    void resync(@Observes MessageCommitListener.Reconnected reconnected) {
        feeds.values().forEach(feed -> feed.catchUp.request());
    }

    /** Runs under the feed's lock. */
    private void deliver(RoomFeed feed) {
        try {
            List<PositionedMessage> batch;
            do {
                // Subscribers that join meanwhile are served by the catch-up their subscription queued; those
                // whose queue is full are passed by, and catch up from their position once it has drained.
                List<Subscriber> targets = feed.subscribers.stream().filter(s -> s.stream.hasRoom()).toList();
                int from = targets.stream().mapToInt(s -> s.position).min().orElse(Integer.MAX_VALUE);
                if (from == Integer.MAX_VALUE) {
                    return;
                }
                batch = messages.since(feed.roomId, from, BATCH);
                for (PositionedMessage message : batch) {
                    String data = json.toJson(message.message());
                    for (Subscriber subscriber : targets) {
                        // Positions are gapless: a message passed by for a full queue stops the ones after it.
                        if (message.position() == subscriber.position + 1 && subscriber.stream.hasRoom()) {
                            subscriber.stream.deliver(subscriber.stream.event()
                                    .id(Integer.toString(message.position()))
                                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                    .data(data)
                                    .build());
                            subscriber.position = message.position();
                        }
                    }
                }
            } while (batch.size() == BATCH);
        } catch (RuntimeException e) {
            // The database is away: the listener's resync after it reconnects delivers what is missing.
            LOG.log(Level.WARNING, "Live delivery of room " + feed.roomId + " failed; retried on reconnect", e);
        } finally {
            if (feed.subscribers.isEmpty()) {
                feeds.remove(feed.roomId, feed);
            }
        }
    }

    private final class RoomFeed {
        final UUID roomId;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        final Streams.CatchUp catchUp;

        RoomFeed(UUID roomId) {
            this.roomId = roomId;
            this.catchUp = streams.catchUp(this, () -> deliver(this));
        }
    }

    private final class Subscriber {
        final Stream stream;
        volatile RoomFeed feed;
        /** The position of the last message sent (or skipped on purpose); only the feed's delivery changes it. */
        volatile int position;

        Subscriber(String caller, SseEventSink sink, Sse sse, int position, Instant authorityExpiry) {
            this.position = position;
            this.stream = streams.open(caller, sink, sse, authorityExpiry, this::drained, this::leave);
        }

        private void drained() {
            RoomFeed joined = feed;
            if (joined != null) {
                joined.catchUp.request();
            }
        }

        /** The stream is gone: no delivery to it. */
        private void leave() {
            RoomFeed joined = feed;
            if (joined != null) {
                joined.subscribers.remove(this);
            }
        }
    }
}
