package org.chatapi.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small real HTTP client for the API under test. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static final String REQUEST_ID = "X-Request-Id";

    private final URI base;
    private final String token;
    private final Map<String, String> headers;

    private Api(URI base, String token, Map<String, String> headers) {
        this.base = base;
        this.token = token;
        this.headers = headers;
    }

    /** A path segment, percent-encoded (a space as %20, a slash as %2F). */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The message ids of a room ({"chats": [id...]}), in post order. */
    public static List<String> chatIds(JsonObject room) {
        return room.getJsonArray("chats").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    public static Api at(URL base) {
        try {
            return new Api(base.toURI(), null, Map.of());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The bearer token this client sends, if any. */
    public String token() {
        return token;
    }

    public Api as(String bearerToken) {
        return new Api(base, bearerToken, headers);
    }

    public Api header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Api(base, token, more);
    }

    public Reply get(String path) {
        return send(request(path).GET(), null);
    }

    public Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()), null);
    }

    public Reply postJson(String path, String json) {
        return post(path, "application/json", json);
    }

    public Reply postJson(String path, JsonStructure json) {
        return postJson(path, json.toString());
    }

    public Reply putJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json, StandardCharsets.UTF_8)), json);
    }

    public Reply patchJson(String path, String json) {
        return method("PATCH", path, "application/json", json);
    }

    public Reply delete(String path) {
        return method("DELETE", path);
    }

    public CompletableFuture<Reply> postJsonAsync(String path, String json) {
        HttpRequest request = request(path).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        return HTTP.sendAsync(request, BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> checked(request, json, response));
    }

    public Reply postForm(String path, String name, String value) {
        String form = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return post(path, "application/x-www-form-urlencoded", form);
    }

    public Reply post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8)), body);
    }

    public Reply post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)),
                new String(body, StandardCharsets.UTF_8));
    }

    public Reply method(String method, String path) {
        return send(request(path).method(method, BodyPublishers.noBody()), null);
    }

    public Reply method(String method, String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .method(method, BodyPublishers.ofString(body, StandardCharsets.UTF_8)), body);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        // An id of the test's own, so that a request that gets no answer can be found in the server's access log.
        request.setHeader(REQUEST_ID, "it-" + UUID.randomUUID());
        headers.forEach(request::setHeader);
        return request;
    }

    /** Sends a request and checks the exchange against the served OpenAPI document ({@link Contract}). */
    private Reply send(HttpRequest.Builder builder, String body) {
        HttpRequest request = builder.build();
        long started = System.nanoTime();
        try {
            return checked(request, body, HTTP.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            String id = request.headers().firstValue(REQUEST_ID).orElse("-");
            // Some tests expect no answer (a server stopped on purpose); a request that timed out was not.
            throw new UncheckedIOException(request.method() + " " + request.uri() + " (" + REQUEST_ID + " " + id
                    + ") got no answer after " + (System.nanoTime() - started) / 1_000_000 + " ms: " + e
                    + (e instanceof HttpTimeoutException ? "; " + Stalls.record(id) : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply checked(HttpRequest request, String body, HttpResponse<String> response) {
        Contract.check(base, request.method(), request.uri(), request.headers(), body, response.statusCode(),
                response.headers(), response.body());
        return new Reply(response);
    }

    /** A response: status, headers and body, with the body read as JSON on demand. */
    public record Reply(int status, HttpResponse<String> raw) {

        Reply(HttpResponse<String> raw) {
            this(raw.statusCode(), raw);
        }

        public String body() {
            return raw.body();
        }

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(raw.body()))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON object (" + status + "): " + raw.body(), e);
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        /** The target of the Link header with this rel, or null. */
        public String link(String rel) {
            Pattern pattern = Pattern.compile("<([^>]+)>;\\s*rel=\"" + rel + "\"");
            return raw.headers().allValues("Link").stream()
                    .map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null);
        }

        /** The ids of the messages of a history page ({"chats": [Message...]}), after checking it is a 200. */
        public List<String> messageIds() {
            if (status != 200) {
                throw new AssertionError("expected a page of messages, got " + this);
            }
            return json().getJsonArray("chats").getValuesAs(JsonObject.class).stream()
                    .map(message -> message.getString("_id")).toList();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }
}
