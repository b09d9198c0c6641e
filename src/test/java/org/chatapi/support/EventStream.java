package org.chatapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Server-Sent Events client: reads the stream on a thread of its own and queues each event it parses. */
public final class EventStream implements AutoCloseable {

    /** One event: its id, name (null for the default, message) and data fields, or a comment line. */
    public record Event(String id, String name, String data, String comment) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "event-stream-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens the stream as the bearer of the token, or without one ({@code token} null: a ticket in the URI). */
    public static EventStream open(URI uri, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpRequest sent = request.build();
        try {
            HttpResponse<Stream<String>> response = HTTP.send(sent, BodyHandlers.ofLines());
            // A refusal is checked with its body; an open stream by its status and headers, its body never ends
            // (the validator checks no event-stream body, but wants one: a comment line stands for it).
            String body = ": the stream";
            if (response.statusCode() != 200) {
                try (Stream<String> lines = response.body()) {
                    body = String.join("\n", lines.toList());
                }
            }
            Contract.check(uri.resolve("/"), sent.method(), uri, sent.headers(), null, response.statusCode(),
                    response.headers(), body);
            return new EventStream(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next message event (comments skipped), or null when none comes within the timeout. */
    public Event nextMessage(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null || event.comment() == null) {
                return event;
            }
        }
    }

    /**
     * Waits for the comment the server sends once the stream is subscribed, so that every message posted from now
     * on is delivered on it.
     */
    public EventStream awaitSubscribed(Duration timeout) throws InterruptedException {
        Event comment = nextComment(timeout);
        if (comment == null || !comment.comment().startsWith("subscribed")) {
            throw new AssertionError("the stream did not confirm its subscription: " + comment);
        }
        return this;
    }

    /** The next comment (heartbeat), or null when none comes within the timeout. */
    public Event nextComment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null || event.comment() != null) {
                return event;
            }
        }
    }

    /** Every message event that arrives until none has come for {@code quiet}. */
    public List<Event> messagesUntilQuiet(Duration quiet) throws InterruptedException {
        List<Event> received = new ArrayList<>();
        for (Event event = nextMessage(quiet); event != null; event = nextMessage(quiet)) {
            received.add(event);
        }
        return received;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString(), null));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
    }

    /** Whether the server ended the stream within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return !reader.isAlive();
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}
