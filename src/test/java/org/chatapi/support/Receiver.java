package org.chatapi.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver for the tests: a real HTTP server on the loopback interface that records every request it gets
 * (headers lower-cased, body) and answers each as the test says, 200 unless told otherwise.
 */
public final class Receiver implements AutoCloseable {

    /** The network the test servers may send webhooks to ({@code CHAT_WEBHOOK_ALLOWED_NETWORKS}). */
    public static final String NETWORK = "127.0.0.0/8";

    /** A request received, and the status it was answered with. */
    public record Request(String id, Map<String, List<String>> headers, String body, int status, Instant at) {

        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** How to answer: a status, and a Retry-After header if not null. */
    public record Answer(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Request> received = new ArrayList<>();
    private volatile Function<Request, Answer> answer = request -> new Answer(200, null);

    private Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) ->
                        headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
                String id = headers.getOrDefault("webhook-id", List.of("")).get(0);
                Answer given = answer.apply(new Request(id, headers, body, 0, Instant.now()));
                synchronized (received) {
                    received.add(new Request(id, headers, body, given.status(), Instant.now()));
                }
                if (given.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", given.retryAfter());
                }
                exchange.sendResponseHeaders(given.status(), -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public static Receiver start() {
        try {
            return new Receiver();
        } catch (IOException e) {
            throw new IllegalStateException("the receiver could not start", e);
        }
    }

    /** Where it receives. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** Answers every request from now on with this status. */
    public void answerWith(int status) {
        answer = request -> new Answer(status, null);
    }

    public void answer(Function<Request, Answer> how) {
        answer = how;
    }

    /** Every request received so far, in the order received. */
    public List<Request> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The requests answered 2xx, in the order received. */
    public List<Request> accepted() {
        return received().stream().filter(Request::accepted).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
