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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.live.InboxEvents.Event;
import org.chatapi.live.InboxEvents.EventId;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.Timestamps;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.MessageView;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The inbox streams of this instance: each caller's one stream of what happens in every room it may read. One read
 * of the event log ({@link InboxEvents}) serves every stream; each event goes to the streams whose caller may read
 * its room, judged when it is delivered, so a room that becomes readable needs no reconnect. Each stream keeps the id
 * of the last event it has passed; a stream that resumes from an older id is served from the log with the others.
 */
@ApplicationScoped
public class InboxFanOut {

    private static final Logger LOG = Logger.getLogger(InboxFanOut.class.getName());
    private static final int BATCH = 500;
    /** How soon to look again when the log holds events not yet readable (an older transaction still running). */
    private static final long NOT_READY_RETRY_MILLIS = 50;
    private static final long RECONNECT_AFTER_STOP_MILLIS = 1000;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pending = new AtomicBoolean();

    @EJB
    InboxEvents events;

    @Inject
    EventSenders senders;

    @Inject
    JsonWriter json;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.sse.heartbeat-seconds", defaultValue = "15")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "chat.max-streams-per-caller", defaultValue = "32")
    int maxStreamsPerCaller;

    @Resource
    ManagedScheduledExecutorService executor;

    private ScheduledFuture<?> heartbeats;
    private StreamQuota quota;

    @PostConstruct
    void startHeartbeats() {
        quota = new StreamQuota("inbox streams", maxStreamsPerCaller, heartbeatSeconds);
        metrics.gauge("chat.inbox.streams.open", this, fanOut -> fanOut.subscribers.size());
        heartbeats = executor.scheduleAtFixedRate(this::heartbeat, heartbeatSeconds, heartbeatSeconds,
                TimeUnit.SECONDS);
    }

    /** The instance is stopping: every stream ends, telling its client to reconnect after a second. */
    void stopping(@Observes Lifecycle.Stopping stopping) {
        subscribers.forEach(subscriber -> {
            subscriber.sender.send(subscriber.sse.newEventBuilder().comment("instance stopping; reconnect")
                    .reconnectDelay(RECONNECT_AFTER_STOP_MILLIS).build());
            subscriber.sender.close();
        });
    }

    @PreDestroy
    void stop() {
        heartbeats.cancel(false);
        subscribers.forEach(subscriber -> EventSenders.close(subscriber.sink));
    }

    /**
     * Streams to the sink every event in the rooms the caller may read after the event {@code after}, or, for a new
     * stream, every event committed after {@code start}; until {@code authorityExpiry}. The first event,
     * {@code ready}, carries the id the stream starts from, so that a client reconnecting before any other event
     * still misses nothing.
     */
    public void subscribe(Caller caller, SseEventSink sink, Sse sse, EventId after, InboxEvents.Start start,
                          Instant authorityExpiry) {
        quota.take(caller.subject(), metrics);
        Subscriber subscriber = new Subscriber(caller, sink, sse, after != null ? after : start.cursor(), start);
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), authorityExpiry).toMillis());
        subscriber.expiry = executor.schedule(subscriber.sender::close, untilExpiry, TimeUnit.MILLISECONDS);
        synchronized (this) {  // ready goes before any event a delivery sends
            subscribers.add(subscriber);
            subscriber.sender.send(sse.newEventBuilder().name("ready").id(subscriber.position.toString())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data("{}").build());
        }
        catchUp();
    }

    /**
     * Something was written to the log (on any instance). Without streams on this instance there is nothing to do:
     * a stream that opens meanwhile catches up itself, and handing work to the executor has a cost of its own (it
     * captures the caller's context, which on Payara searches the class path).
     */
    void announce() {
        if (!subscribers.isEmpty()) {
            catchUp();
        }
    }

    private void catchUp() {
        if (pending.compareAndSet(false, true)) {
            executor.execute(this::deliver);
        }
    }

    private synchronized void deliver() {
        pending.set(false);
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            List<Event> batch;
            boolean waitForOlder = false;
            do {
                // Streams whose queue is full are passed by; they catch up from their position once it has drained.
                List<Subscriber> targets = subscribers.stream().filter(s -> s.sender.hasRoom()).toList();
                if (targets.isEmpty()) {
                    return;
                }
                Set<Subscriber> passedBy = new HashSet<>();
                EventId from = targets.stream().map(s -> s.position).min(EventId::compareTo).orElseThrow();
                batch = events.after(from, BATCH);
                for (Event event : batch) {
                    if (!event.ready()) {
                        waitForOlder = true;
                        break;
                    }
                    OutboundSseEvent outbound = null;
                    for (Subscriber subscriber : targets) {
                        if (event.id().compareTo(subscriber.position) <= 0 || passedBy.contains(subscriber)) {
                            continue;
                        }
                        if (subscriber.isNew(event) && mayRead(subscriber.caller, event)) {
                            if (!subscriber.sender.hasRoom()) {
                                passedBy.add(subscriber);
                                continue;
                            }
                            if (outbound == null) {
                                outbound = outbound(subscriber.sse, event);
                            }
                            subscriber.sender.send(outbound);
                            metrics.delivered(1);
                        }
                        subscriber.position = event.id();
                    }
                }
            } while (batch.size() == BATCH && !waitForOlder);
            if (waitForOlder) {
                executor.schedule(this::catchUp, NOT_READY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            // The database is away: the listener's resync after it reconnects delivers what is missing.
            LOG.log(Level.WARNING, "Inbox delivery failed; retried on reconnect", e);
        }
    }

    private static boolean mayRead(Caller caller, Event event) {
        return caller.mayUseRoomOf(event.ownerSub()) || (event.audience() != null && caller.actsFor(event.audience()));
    }

    private OutboundSseEvent outbound(Sse sse, Event event) {
        String room = event.roomId().toString();
        Object data = switch (event.kind()) {
            case "message" -> new InboxEventViews.NewMessage(room, event.position(), new MessageView(
                    event.messageId().toString(), event.authorSub(), event.body(),
                    Timestamps.format(event.createdAt()), 0));
            case "marker" -> new InboxEventViews.MarkerMoved(room, event.readerSub(), event.position());
            default -> new InboxEventViews.RoomOpened(room, event.ownerSub(), event.position());
        };
        return sse.newEventBuilder().name(event.kind()).id(event.id().toString())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(json.toJson(data)).build();
    }

    private void heartbeat() {
        subscribers.stream().filter(s -> s.sender.hasRoom())
                .forEach(s -> s.sender.send(s.sse.newEventBuilder().comment("heartbeat").build()));
        // A safety net under the notifications: what a missed one announced is delivered within a heartbeat.
        catchUp();
    }

    /** Announcements may have been missed (the listener reconnected). */
    void resync() {
        catchUp();
    }

    private final class Subscriber {
        final Caller caller;
        final SseEventSink sink;
        final Sse sse;
        final EventSenders.Sender sender;
        /** The id of the last event passed (sent, or not for this caller); only the delivery changes it. */
        volatile EventId position;
        volatile ScheduledFuture<?> expiry;

        /** For a new stream: what had committed when it started, whose events are not the stream's. */
        final InboxEvents.Start start;

        Subscriber(Caller caller, SseEventSink sink, Sse sse, EventId position, InboxEvents.Start start) {
            this.caller = caller;
            this.sink = sink;
            this.sse = sse;
            this.position = position;
            this.start = start;
            this.sender = senders.sender(sink, this::leave, InboxFanOut.this::catchUp);
        }

        boolean isNew(Event event) {
            return start == null || !start.before(event.id());
        }

        private void leave() {
            if (subscribers.remove(this)) {
                quota.release(caller.subject());
            }
            ScheduledFuture<?> scheduled = expiry;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
