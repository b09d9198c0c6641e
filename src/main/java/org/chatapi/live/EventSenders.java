package org.chatapi.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes events to streams without making anyone wait for a slow reader. Writing to a stream blocks while its
 * client does not read; so each stream has its own queue, written by a thread of its own only while it holds
 * events, and whoever delivers only adds to queues. A stream whose queue grows past {@link #MAX_QUEUED} is closed:
 * its client reconnects with {@code Last-Event-ID} and reads what it missed from the database.
 */
@ApplicationScoped
public class EventSenders {

    /** Events a stream may have waiting before it is closed as too slow. */
    static final int MAX_QUEUED = 2000;
    private static final long IDLE_THREAD_SECONDS = 30;

    @Resource
    ManagedThreadFactory threads;

    private ExecutorService writers;

    @PostConstruct
    void start() {
        writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads);
    }

    @PreDestroy
    void stop() {
        writers.shutdownNow();
    }

    /** A stream's queue of events; {@code onGone} runs once when the stream fails or is closed as too slow. */
    public Sender sender(SseEventSink sink, Runnable onGone) {
        return new Sender(sink, onGone);
    }

    /** One stream's queue and its writer. */
    public final class Sender {
        private final SseEventSink sink;
        private final Runnable onGone;
        private final Queue<OutboundSseEvent> queue = new ArrayDeque<>();
        private boolean writing;
        private boolean closing;
        private boolean gone;

        private Sender(SseEventSink sink, Runnable onGone) {
            this.sink = sink;
            this.onGone = onGone;
        }

        /** Queues the event; answers false if the stream is gone (closed, failed, or too slow now). */
        public boolean send(OutboundSseEvent event) {
            boolean startWriter = false;
            boolean nowGone = false;
            synchronized (this) {
                if (gone || closing) {
                    return false;
                }
                if (sink.isClosed() || queue.size() >= MAX_QUEUED) {
                    gone = true;
                    nowGone = true;
                    queue.clear();
                } else {
                    queue.add(event);
                    startWriter = !writing;
                    writing = true;
                }
            }
            if (nowGone) {
                end();
                return false;
            }
            if (startWriter) {
                writers.execute(this::write);
            }
            return true;
        }

        /** Ends the stream once what is queued has been written. */
        public void close() {
            boolean startWriter;
            synchronized (this) {
                if (gone || closing) {
                    return;
                }
                closing = true;
                startWriter = !writing;
                writing = true;
            }
            if (startWriter) {
                writers.execute(this::write);
            }
        }

        private void write() {
            while (true) {
                OutboundSseEvent event;
                synchronized (this) {
                    event = queue.poll();
                    if (event == null) {
                        writing = false;
                        if (!closing) {
                            return;
                        }
                        gone = true;
                    }
                }
                if (event == null) {
                    end();
                    return;
                }
                try {
                    sink.send(event).toCompletableFuture().join();
                } catch (RuntimeException e) {
                    boolean first;
                    synchronized (this) {
                        first = !gone;  // or the stream was closed as too slow, which failed this write
                        gone = true;
                        queue.clear();
                        writing = false;
                    }
                    if (first) {
                        end();
                    }
                    return;
                }
            }
        }

        /** Called once, outside the queue's lock: {@code onGone} may take the deliverer's locks. */
        private void end() {
            try {
                sink.close();
            } finally {
                onGone.run();
            }
        }
    }
}
