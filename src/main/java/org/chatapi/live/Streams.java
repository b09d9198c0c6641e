package org.chatapi.live;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chatapi.platform.Metrics;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The stream machinery of one kind of event stream, one for each fan-out ({@link RoomFanOut}, the inbox's): at most
 * {@code CHAT_MAX_STREAMS_PER_CALLER} open streams of the kind per caller, a gauge of them, a heartbeat comment to
 * each, the end of each when the authority it was opened with expires, the end of all (reconnect after a second)
 * when the instance stops, and the coalesced catch-ups in which a fan-out delivers. What a stream carries and to whom
 * is the fan-out's: it says where its events come from and who gets which.
 */
@Dependent
public class Streams {

    private static final long RECONNECT_AFTER_STOP_MILLIS = 1000;

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    @Inject
    EventSenders senders;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.sse.heartbeat-seconds", defaultValue = "15")
    int heartbeatSeconds;

    /** Event streams one caller may hold open on this instance, where each holds memory and a connection. */
    @Inject
    @ConfigProperty(name = "chat.max-streams-per-caller", defaultValue = "32")
    int maxStreamsPerCaller;

    @Resource
    ManagedScheduledExecutorService executor;

    private StreamQuota quota;
    private ScheduledFuture<?> heartbeats;

    /** Starts the kind: see {@link #start(String, String, Runnable)}. */
    public void start(String kind, String gauge) {
        start(kind, gauge, () -> { });
    }

    /**
     * Starts the kind: {@code kind} names its streams in a refusal, {@code gauge} is the metric of those open, and
     * {@code afterHeartbeat} runs after every round of heartbeats.
     */
    public void start(String kind, String gauge, Runnable afterHeartbeat) {
        quota = new StreamQuota(kind, maxStreamsPerCaller, heartbeatSeconds);
        metrics.gauge(gauge, open, Set::size);
        heartbeats = executor.scheduleAtFixedRate(() -> {
            heartbeat();
            afterHeartbeat.run();
        }, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /**
     * A new stream of the caller's, or a refusal (429) when the caller holds its most; it ends at
     * {@code authorityExpiry}, and the client reconnects with a fresh token. {@code onDrained} runs each time its
     * queue drained after it was full, {@code onLeave} once, when it is gone. It gets no heartbeat before
     * {@link Stream#begin}.
     */
    public Stream open(String caller, SseEventSink sink, Sse sse, Instant authorityExpiry, Runnable onDrained,
                       Runnable onLeave) {
        quota.take(caller, metrics);
        Stream stream = new Stream(this, caller, sink, sse, onDrained, onLeave);
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), authorityExpiry).toMillis());
        stream.expireIn(executor, untilExpiry);
        return stream;
    }

    /**
     * A delivery run on the executor under {@code lock}: requests while a run is queued make one more run, not one
     * each.
     */
    public CatchUp catchUp(Object lock, Runnable delivery) {
        return new CatchUp(lock, delivery);
    }

    /** The instance is stopping: every stream ends, telling its client to reconnect after a second. */
    public void stopping() {
        open.forEach(stream -> {
            stream.send(stream.event().comment("instance stopping; reconnect")
                    .reconnectDelay(RECONNECT_AFTER_STOP_MILLIS).build());
            stream.close();
        });
    }

    /** The stream sent its first event: from now on it is counted, heartbeats reach it and stopping ends it. */
    void begun(Stream stream) {
        open.add(stream);
    }

    /** The stream is gone. */
    void ended(Stream stream) {
        open.remove(stream);
    }

    /** One of the caller's streams ended. */
    void release(String caller) {
        quota.release(caller);
    }

    @PreDestroy
    void stop() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        open.forEach(Stream::closeSink);
    }

    private void heartbeat() {
        open.stream().filter(Stream::hasRoom)
                .forEach(stream -> stream.send(stream.event().comment("heartbeat").build()));
    }

    /** One fan-out's coalesced delivery: see {@link #catchUp}. */
    public final class CatchUp {
        private final AtomicBoolean pending = new AtomicBoolean();
        private final Object lock;
        private final Runnable delivery;

        private CatchUp(Object lock, Runnable delivery) {
            this.lock = lock;
            this.delivery = delivery;
        }

        /** Runs the delivery soon, unless a run is queued already. */
        public void request() {
            if (pending.compareAndSet(false, true)) {
                executor.execute(this::run);
            }
        }

        /** Requests a run after {@code millis}. */
        public void requestIn(long millis) {
            executor.schedule(this::request, millis, TimeUnit.MILLISECONDS);
        }

        private void run() {
            synchronized (lock) {
                pending.set(false);
                delivery.run();
            }
        }
    }
}
