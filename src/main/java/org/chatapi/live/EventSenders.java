package org.chatapi.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.concurrent.ManagedThreadFactoryDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes events to streams without making anyone wait for a slow reader. Writing to a stream blocks while its
 * client does not read; so each stream has its own queue, written by a thread of its own while it holds events, and
 * whoever delivers only adds to queues. A queue holds at most {@link #MAX_QUEUED} events and about
 * {@link #MAX_QUEUED_CHARS} characters of data: while it is full ({@link Sender#hasRoom()} false) the deliverer
 * passes the stream by and leaves its position where it is, and once the queue has drained it is told
 * ({@code onDrained}) and reads the rest from the database. So a stream costs at most about a megabyte of memory,
 * however slow its reader, and a reader that stops reading costs nothing more. The writers are virtual threads: one
 * blocked on a reader that does not read holds no platform thread.
 */
@ManagedThreadFactoryDefinition(name = EventSenders.WRITERS, virtual = true)
@ApplicationScoped
public class EventSenders {

    static final String WRITERS = "java:app/concurrent/StreamWriters";

    /** Events a stream may have waiting. */
    static final int MAX_QUEUED = 1000;
    /** Characters of event data a stream may have waiting (an event over it is still taken into an empty queue). */
    static final long MAX_QUEUED_CHARS = 512 * 1024;

    @Resource(lookup = WRITERS)
    ManagedThreadFactory threads;

    private ExecutorService writers;

    @PostConstruct
    void start() {
        writers = Executors.newThreadPerTaskExecutor(threads);
    }

    @PreDestroy
    void stop() {
        writers.shutdownNow();
    }

    /**
     * A stream's queue of events: {@code onGone} runs once when the stream fails or is closed, {@code onDrained}
     * each time its queue has emptied after being full.
     */
    public Sender sender(SseEventSink sink, Runnable onGone, Runnable onDrained) {
        return new Sender(sink, onGone, onDrained);
    }

    /** One stream's queue and its writer. */
    public final class Sender {
        private final SseEventSink sink;
        private final Runnable onGone;
        private final Runnable onDrained;
        private final Queue<OutboundSseEvent> queue = new ArrayDeque<>();
        private long queuedChars;
        private boolean wasFull;
        private boolean writing;
        private boolean closing;
        private boolean gone;

        private Sender(SseEventSink sink, Runnable onGone, Runnable onDrained) {
            this.sink = sink;
            this.onGone = onGone;
            this.onDrained = onDrained;
        }

        /** Whether the queue takes another event now; when it does not, it says so once drained. */
        public synchronized boolean hasRoom() {
            boolean room = queue.isEmpty() || (queue.size() < MAX_QUEUED && queuedChars < MAX_QUEUED_CHARS);
            wasFull |= !room;
            return room;
        }

        /** Queues the event; answers false if the stream is gone. */
        public boolean send(OutboundSseEvent event) {
            boolean startWriter;
            boolean nowGone = false;
            synchronized (this) {
                if (gone || closing) {
                    return false;
                }
                if (sink.isClosed()) {
                    gone = true;
                    nowGone = true;
                    startWriter = false;
                } else {
                    queue.add(event);
                    queuedChars += size(event);
                    startWriter = !writing;
                    writing = true;
                }
            }
            if (nowGone) {
                writers.execute(this::end);  // closing may wait for a write that is stuck: not on the caller's thread
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
                boolean drained = false;
                boolean ending = false;
                synchronized (this) {
                    event = queue.poll();
                    if (event != null) {
                        queuedChars -= size(event);
                    } else {
                        writing = false;
                        if (closing) {
                            gone = true;
                            ending = true;
                        } else {
                            drained = wasFull;
                            wasFull = false;
                        }
                    }
                }
                if (event == null) {
                    if (ending) {
                        end();
                    } else if (drained) {
                        onDrained.run();
                    }
                    return;
                }
                try {
                    sink.send(event).toCompletableFuture().join();
                } catch (RuntimeException e) {
                    boolean first;
                    synchronized (this) {
                        first = !gone;
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

        private static long size(OutboundSseEvent event) {
            return event.getData() instanceof String data ? data.length() : 0;
        }

        /** Called once, outside the queue's lock: {@code onGone} may take the deliverer's locks. */
        private void end() {
            try {
                EventSenders.close(sink);
            } finally {
                onGone.run();
            }
        }
    }

    /** Closes a stream; one whose client is gone cannot be closed any better, so a failure to close is ignored. */
    static void close(SseEventSink sink) {
        try {
            sink.close();
        } catch (IOException e) {
            // the connection is gone already
        }
    }
}
