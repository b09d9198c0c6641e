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
import java.util.HashSet;
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
import org.chatapi.rooms.boundary.PurgeView;
import org.chatapi.rooms.boundary.RoomEvent;
import org.chatapi.rooms.boundary.RoomEventId;

/**
 * The Server-Sent Events subscribers of this instance, per room, and the delivery of the room's events to them:
 * posts, edits, deletions and purges by retention, in the room's own sequence ({@link RoomEventId}). The streams themselves (quota,
 * heartbeat, expiry, stopping) are {@link Streams}'.
 *
 * <p>The database is the only source of events: an announcement ({@link MessageCommitListener}) only says that a
 * room has something new, and the room's feed then reads every event after the one each subscriber has seen. So a
 * subscriber gets each event once, in order, whatever instance it happened on, and after a missed announcement (a
 * reconnect) the next catch-up fills the gap. Events are written by {@link EventSenders}: a client
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
     * Streams the room's events after {@code after} to the sink, from the database first, then as they happen, until
     * {@code authorityExpiry}: then the stream ends, and the client reconnects with a fresh token.
     */
    public void subscribe(String caller, UUID roomId, SseEventSink sink, Sse sse, RoomEventId after,
                          Instant authorityExpiry) {
        Subscriber subscriber = new Subscriber(caller, sink, sse, after, authorityExpiry);
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

    /** A post, edit or deletion was committed in the room (on any instance). */
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
            List<RoomEvent> batch;
            do {
                // Subscribers that join meanwhile are served by the catch-up their subscription queued; those
                // whose queue is full are passed by, and catch up from their place once it has drained.
                List<Subscriber> targets = feed.subscribers.stream().filter(s -> s.stream.hasRoom()).toList();
                RoomEventId from = targets.stream().map(s -> s.position).min(RoomEventId::compareTo).orElse(null);
                if (from == null) {
                    return;
                }
                // The batch is every event after "from", without a gap: a subscriber at or after it is owed each
                // one after its own place, until its queue is full (what follows is then read again once drained).
                batch = messages.events(feed.roomId, from, BATCH);
                Set<Subscriber> full = new HashSet<>();
                for (RoomEvent event : batch) {
                    String data = json.toJson(event.message() != null ? event.message()
                            : new PurgeView(feed.roomId.toString(), event.position()));
                    for (Subscriber subscriber : targets) {
                        if (event.id().compareTo(subscriber.position) <= 0 || full.contains(subscriber)) {
                            continue;
                        }
                        if (!subscriber.stream.hasRoom()) {
                            full.add(subscriber);
                            continue;
                        }
                        var outbound = subscriber.stream.event().id(event.id().toString())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(data);
                        if (!event.isPost()) {
                            outbound.name(event.kind());
                        }
                        subscriber.stream.deliver(outbound.build());
                        subscriber.position = event.id();
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
        /** The id of the last event sent (or skipped on purpose); only the feed's delivery changes it. */
        volatile RoomEventId position;

        Subscriber(String caller, SseEventSink sink, Sse sse, RoomEventId position, Instant authorityExpiry) {
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
