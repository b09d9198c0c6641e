package org.chatapi.inbox;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.inbox.InboxEvents.Event;
import org.chatapi.inbox.InboxEvents.EventId;
import org.chatapi.live.MessageCommitListener;
import org.chatapi.live.Stream;
import org.chatapi.live.Streams;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.security.Caller;
import org.chatapi.rooms.boundary.PurgeView;
import org.chatapi.rooms.boundary.RoomEvent;

/**
 * The inbox streams of this instance: each caller's one stream of what happens in every room it may read; the
 * streams themselves (quota, heartbeat, expiry, stopping) are {@link Streams}'. One read of the event log
 * ({@link InboxEvents}) serves every stream; each event goes to the streams whose caller may read its room, judged
 * when it is delivered, so a room that becomes readable needs no reconnect. Each stream keeps the id of the last event
 * it has passed; a stream that resumes from an older id is served from the log with the others.
 */
@ApplicationScoped
public class InboxFanOut {

    private static final Logger LOG = Logger.getLogger(InboxFanOut.class.getName());
    private static final int BATCH = 500;
    /** How soon to look again when the log holds events not yet readable (an older transaction still running). */
    private static final long NOT_READY_RETRY_MILLIS = 50;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    @EJB
    InboxEvents events;

    @Inject
    JsonWriter json;

    @Inject
    Streams streams;

    /** Deliveries, under this fan-out's lock. */
    private Streams.CatchUp catchUp;

    @PostConstruct
    void start() {
        catchUp = streams.catchUp(this, this::deliver);
        // A safety net under the notifications: what a missed one announced is delivered within a heartbeat.
        streams.start("inbox streams", "chat.inbox.streams.open", catchUp::request);
    }

    /** The instance is stopping: every stream ends, telling its client to reconnect after a second. */
    void stopping(@Observes Lifecycle.Stopping stopping) {
        streams.stopping();
    }

    /**
     * Streams to the sink every event in the rooms the caller may read after the event {@code after}, or, for a new
     * stream, every event committed after {@code start}; until {@code authorityExpiry}. The first event,
     * {@code ready}, carries the id the stream starts from, so that a client reconnecting before any other event
     * still misses nothing.
     */
    public void subscribe(Caller caller, SseEventSink sink, Sse sse, EventId after, InboxEvents.Start start,
                          Instant authorityExpiry) {
        Subscriber subscriber = new Subscriber(caller, sink, sse, after != null ? after : start.cursor(), start,
                authorityExpiry);
        synchronized (this) {  // ready goes before any event a delivery sends
            subscribers.add(subscriber);
            subscriber.stream.begin(subscriber.stream.event().name("ready").id(subscriber.position.toString())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data("{}").build());
        }
        catchUp.request();
    }

    /**
     * Something was written to the log (on any instance). Without streams on this instance there is nothing to do:
     * a stream that opens meanwhile catches up itself, and handing work to the executor has a cost of its own (it
     * captures the caller's context, which on Payara searches the class path).
     */
    void announce(@Observes MessageCommitListener.InboxWritten written) {
        if (!subscribers.isEmpty()) {
            catchUp.request();
        }
    }

    /** Announcements may have been missed (the listener reconnected). */
    void resync(@Observes MessageCommitListener.Reconnected reconnected) {
        catchUp.request();
    }

    /** Runs under this fan-out's lock. */
    private void deliver() {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            List<Event> batch;
            boolean waitForOlder = false;
            do {
                // Streams whose queue is full are passed by; they catch up from their position once it has drained.
                List<Subscriber> targets = subscribers.stream().filter(s -> s.stream.hasRoom()).toList();
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
                        if (subscriber.isNew(event) && !event.gone() && mayRead(subscriber.caller, event)) {
                            if (!subscriber.stream.hasRoom()) {
                                passedBy.add(subscriber);
                                continue;
                            }
                            if (outbound == null) {
                                outbound = outbound(subscriber.stream, event);
                            }
                            subscriber.stream.deliver(outbound);
                        }
                        subscriber.position = event.id();
                    }
                }
            } while (batch.size() == BATCH && !waitForOlder);
            if (waitForOlder) {
                catchUp.requestIn(NOT_READY_RETRY_MILLIS);
            }
        } catch (RuntimeException e) {
            // The database is away: the listener's resync after it reconnects delivers what is missing.
            LOG.log(Level.WARNING, "Inbox delivery failed; retried on reconnect", e);
        }
    }

    private static boolean mayRead(Caller caller, Event event) {
        return caller.mayUseRoomOf(event.ownerSub()) || (event.audience() != null && caller.actsFor(event.audience()));
    }

    private OutboundSseEvent outbound(Stream stream, Event event) {
        String room = event.roomId().toString();
        Object data = switch (event.kind()) {
            case "message", "edit", "delete" -> new InboxEventViews.NewMessage(room, event.position(), event.message());
            case RoomEvent.PURGE -> new PurgeView(room, event.position());
            case "marker" -> new InboxEventViews.MarkerMoved(room, event.readerSub(), event.position());
            default -> new InboxEventViews.RoomOpened(room, event.ownerSub(), event.position());
        };
        return stream.event().name(event.kind()).id(event.id().toString())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(json.toJson(data)).build();
    }

    private final class Subscriber {
        final Caller caller;
        final Stream stream;
        /** The id of the last event passed (sent, or not for this caller); only the delivery changes it. */
        volatile EventId position;
        /** For a new stream: what had committed when it started, whose events are not the stream's. */
        final InboxEvents.Start start;

        Subscriber(Caller caller, SseEventSink sink, Sse sse, EventId position, InboxEvents.Start start,
                   Instant authorityExpiry) {
            this.caller = caller;
            this.position = position;
            this.start = start;
            this.stream = streams.open(caller.subject(), sink, sse, authorityExpiry, catchUp::request,
                    () -> subscribers.remove(this));
        }

        boolean isNew(Event event) {
            return start == null || !start.before(event.id());
        }
    }
}
