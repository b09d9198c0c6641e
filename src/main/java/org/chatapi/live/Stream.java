package org.chatapi.live;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's event stream, opened by {@link Streams}: its writer ({@link EventSenders.Sender}), so that a client
 * that does not read holds up nobody else's delivery, and its end when the authority it was opened with expires.
 * When it is gone it leaves, once: no more delivery, heartbeat or expiry, and its caller's quota has room again.
 */
public final class Stream {

    private final Streams streams;
    private final String caller;
    private final Sse sse;
    private final SseEventSink sink;
    private final EventSenders.Sender sender;
    private final Runnable onLeave;
    private final AtomicBoolean left = new AtomicBoolean();
    /** Closes the stream when the authority it was opened with expires. */
    private volatile ScheduledFuture<?> expiry;

    Stream(Streams streams, String caller, SseEventSink sink, Sse sse, Runnable onDrained, Runnable onLeave) {
        this.streams = streams;
        this.caller = caller;
        this.sse = sse;
        this.sink = sink;
        this.onLeave = onLeave;
        this.sender = streams.senders.sender(sink, this::leave, onDrained);
    }

    /**
     * Sends the stream's first event; only then do heartbeats reach it. A fan-out calls it once it has joined the
     * stream to its deliveries, under the lock its deliveries hold, so that the first event goes before any other.
     */
    public void begin(OutboundSseEvent first) {
        sender.send(first);
        streams.begun(this);
        if (left.get()) {  // gone before it was counted
            streams.ended(this);
        }
    }

    /** A new event for this stream. */
    public OutboundSseEvent.Builder event() {
        return sse.newEventBuilder();
    }

    /** Whether the stream's queue takes another event now; when it does not, it says so once drained. */
    public boolean hasRoom() {
        return sender.hasRoom();
    }

    /** Queues the event; answers false if the stream is gone. */
    public boolean send(OutboundSseEvent event) {
        return sender.send(event);
    }

    /** Queues an event of the stream's kind (not a comment), counting it among the events delivered. */
    public void deliver(OutboundSseEvent event) {
        sender.send(event);
        streams.metrics.delivered(1);
    }

    /** Ends the stream once what is queued has been written. */
    void close() {
        sender.close();
    }

    void closeSink() {
        EventSenders.close(sink);
    }

    void expireIn(ManagedScheduledExecutorService executor, long millis) {
        expiry = executor.schedule(sender::close, millis, TimeUnit.MILLISECONDS);
    }

    private void leave() {
        if (left.compareAndSet(false, true)) {
            streams.ended(this);
            streams.release(caller);
            ScheduledFuture<?> scheduled = expiry;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            onLeave.run();
        }
    }
}
