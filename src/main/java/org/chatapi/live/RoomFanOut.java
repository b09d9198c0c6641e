package org.chatapi.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.Metrics;
import org.chatapi.rooms.boundary.Messages;
import org.chatapi.rooms.boundary.PositionedMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Server-Sent Events subscribers of this instance, per room, and the delivery of new messages to them.
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
    private static final long RECONNECT_AFTER_STOP_MILLIS = 1000;

    private final Map<UUID, RoomFeed> feeds = new ConcurrentHashMap<>();

    @EJB
    Messages messages;

    @Inject
    JsonWriter json;

    @Inject
    EventSenders senders;

    @Inject
    @ConfigProperty(name = "chat.sse.heartbeat-seconds", defaultValue = "15")
    int heartbeatSeconds;

    /** Event streams one caller may hold open on this instance, where each holds memory and a connection. */
    @Inject
    @ConfigProperty(name = "chat.max-streams-per-caller", defaultValue = "32")
    int maxStreamsPerCaller;


    @Resource
    ManagedScheduledExecutorService executor;

    private ScheduledFuture<?> heartbeats;
    private StreamQuota quota;

    @Inject
    Metrics metrics;

    @PostConstruct
    void startHeartbeats() {
        quota = new StreamQuota("event streams", maxStreamsPerCaller, heartbeatSeconds);
        metrics.gauge("chat.streams.open", this, RoomFanOut::openStreams);
        heartbeats = executor.scheduleAtFixedRate(this::heartbeat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /**
     * The instance is stopping: every stream ends, telling its client to reconnect after a second (to another
     * instance, with Last-Event-ID, missing nothing).
     */
    void stopping(@Observes Lifecycle.Stopping stopping) {
        feeds.values().forEach(feed -> {
            synchronized (feed) {
                feed.subscribers.forEach(subscriber -> {
                    subscriber.sender.send(subscriber.sse.newEventBuilder().comment("instance stopping; reconnect")
                            .reconnectDelay(RECONNECT_AFTER_STOP_MILLIS).build());
                    subscriber.sender.close();
                });
            }
        });
    }

    @PreDestroy
    void stop() {
        heartbeats.cancel(false);
        feeds.values().forEach(feed -> feed.subscribers.forEach(subscriber -> EventSenders.close(subscriber.sink)));
    }

    /**
     * Streams the room's messages after {@code position} to the sink, from the database first, then as posted, until
     * {@code authorityExpiry}: then the stream ends, and the client reconnects with a fresh token.
     */
    public void subscribe(String caller, UUID roomId, SseEventSink sink, Sse sse, int position, Instant authorityExpiry) {
        quota.take(caller, metrics);
        Subscriber subscriber = new Subscriber(caller, sink, sse, position);
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), authorityExpiry).toMillis());
        subscriber.expiry = executor.schedule(subscriber.sender::close, untilExpiry, TimeUnit.MILLISECONDS);
        while (true) {
            RoomFeed feed = feeds.computeIfAbsent(roomId, RoomFeed::new);
            synchronized (feed) {
                if (feeds.get(roomId) == feed) {  // not retired by a delivery that found it empty meanwhile
                    subscriber.feed = feed;
                    feed.subscribers.add(subscriber);
                    subscriber.send(sse.newEventBuilder().comment("subscribed to room " + roomId).build());
                    catchUp(feed);
                    return;
                }
            }
        }
    }

    /** Event streams open on this instance. */
    int openStreams() {
        return feeds.values().stream().mapToInt(feed -> feed.subscribers.size()).sum();
    }

    /** A message was committed in the room (on any instance). */
    void announce(UUID roomId) {
        RoomFeed feed = feeds.get(roomId);
        if (feed != null) {
            catchUp(feed);
        }
    }

    /** Announcements may have been missed (the listener reconnected): let every feed read what is new. */
    void resync() {
        feeds.values().forEach(this::catchUp);
    }

    private void catchUp(RoomFeed feed) {
        // Many announcements while a catch-up is queued make one more read, not one each.
        if (feed.pending.compareAndSet(false, true)) {
            executor.execute(() -> deliver(feed));
        }
    }

    private void deliver(RoomFeed feed) {
        synchronized (feed) {
            feed.pending.set(false);
            try {
                List<PositionedMessage> batch;
                do {
                    // Subscribers that join meanwhile are served by the catch-up their subscription queued; those
                    // whose queue is full are passed by, and catch up from their position once it has drained.
                    List<Subscriber> targets = feed.subscribers.stream().filter(s -> s.sender.hasRoom()).toList();
                    int from = targets.stream().mapToInt(s -> s.position).min().orElse(Integer.MAX_VALUE);
                    if (from == Integer.MAX_VALUE) {
                        return;
                    }
                    batch = messages.since(feed.roomId, from, BATCH);
                    for (PositionedMessage message : batch) {
                        String data = json.toJson(message.message());
                        for (Subscriber subscriber : targets) {
                            // Positions are gapless: a message passed by for a full queue stops the ones after it.
                            if (message.position() == subscriber.position + 1 && subscriber.sender.hasRoom()) {
                                subscriber.send(subscriber.sse.newEventBuilder()
                                        .id(Integer.toString(message.position()))
                                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                        .data(data)
                                        .build());
                                subscriber.position = message.position();
                                metrics.delivered(1);
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
    }

    private void heartbeat() {
        feeds.values().forEach(feed -> {
            synchronized (feed) {
                feed.subscribers.stream().filter(s -> s.sender.hasRoom())
                        .forEach(s -> s.send(s.sse.newEventBuilder().comment("heartbeat").build()));
            }
        });
    }

    private static final class RoomFeed {
        final UUID roomId;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        final AtomicBoolean pending = new AtomicBoolean();

        RoomFeed(UUID roomId) {
            this.roomId = roomId;
        }
    }

    private final class Subscriber {
        final String caller;
        final SseEventSink sink;
        final Sse sse;
        /** Writes to the stream, so that a client that does not read holds up nobody else's delivery. */
        final EventSenders.Sender sender;
        final AtomicBoolean left = new AtomicBoolean();
        volatile RoomFeed feed;
        /** The position of the last message sent (or skipped on purpose); only the feed's delivery changes it. */
        volatile int position;
        /** Closes the stream when the authority it was opened with expires. */
        volatile ScheduledFuture<?> expiry;

        Subscriber(String caller, SseEventSink sink, Sse sse, int position) {
            this.caller = caller;
            this.sink = sink;
            this.sse = sse;
            this.position = position;
            this.sender = senders.sender(sink, this::leave, () -> {
                RoomFeed joined = feed;
                if (joined != null) {
                    catchUp(joined);
                }
            });
        }

        void send(OutboundSseEvent event) {
            sender.send(event);
        }

        /** The stream is gone: no delivery to it, and no closing at its token's expiry either. */
        private void leave() {
            RoomFeed joined = feed;
            if (joined != null) {
                joined.subscribers.remove(this);
            }
            if (left.compareAndSet(false, true)) {
                quota.release(caller);
            }
            ScheduledFuture<?> scheduled = expiry;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
