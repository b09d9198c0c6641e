package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.chatapi.support.Api;
import org.chatapi.support.ServerTest;
import org.junit.jupiter.api.Test;

/**
 * Every path the server answers, asked with every method a client or a scanner might send, with credentials: a method
 * the path serves is answered by it, any other gets a 405 problem whose {@code Allow} names what the path serves;
 * {@code OPTIONS} says the same; nothing is a 5xx, an HTML page or an echo of the request's credentials.
 */
class MethodsIT extends ServerTest {

    private static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO");
    /** Pages for people, not in the document: they serve GET (and HEAD, OPTIONS) only. */
    private static final List<String> PAGES = List.of("/docs", "/docs/", "/app", "/app/");
    private static final String COOKIE = "session=cookie-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void everyPathAnswersEveryMethodAndNeverEchoesCredentials() throws Exception {
        Map<String, Set<String>> served = servedByPath();
        List<String> faults = new ArrayList<>();
        int exchanges = 0;
        for (Map.Entry<String, Set<String>> path : served.entrySet()) {
            Set<String> allowed = path.getValue();
            for (String method : METHODS) {
                Reply reply = send(method, path.getKey());
                exchanges++;
                String exchange = method + " " + path.getKey() + " -> " + reply.statusCode();
                String type = reply.headers().firstValue("Content-Type").orElse("");
                Set<String> allow = allowHeader(reply);
                if (reply.statusCode() >= 500) {
                    faults.add(exchange + ": a server error");
                }
                if (type.startsWith("text/html") && reply.statusCode() >= 400) {
                    faults.add(exchange + ": an HTML error page");
                }
                String whole = reply.headers().map() + reply.body();
                if (whole.contains(aliceToken) || whole.contains(COOKIE)) {
                    faults.add(exchange + ": echoes the request's credentials");
                }
                if (type.startsWith("message/http")) {
                    faults.add(exchange + ": echoes the request");
                }
                if (method.equals("OPTIONS")) {
                    if (reply.statusCode() / 100 != 2 || !allow.containsAll(allowed) || allow.contains("TRACE")) {
                        faults.add(exchange + ": Allow " + allow + ", expected " + allowed);
                    }
                } else if (allowed.contains(method)) {
                    if (reply.statusCode() == 405 || reply.statusCode() == 501) {
                        faults.add(exchange + ": refuses a method it serves");
                    }
                } else if (reply.statusCode() != 405 || !type.startsWith("application/problem+json")) {
                    faults.add(exchange + " " + type + ": not a 405 problem");
                } else if (!allow.containsAll(allowed) || allow.contains(method)) {
                    faults.add(exchange + ": Allow " + allow + ", expected " + allowed);
                }
            }
        }
        assertThat(faults).as("of %d exchanges", exchanges).isEmpty();
        assertThat(served.keySet()).contains("/health", "/metrics", "/openapi", "/docs/", "/app/", "/room");
    }

    /**
     * Each path of the served document, and the pages, with the methods served there: those the document lists for
     * the route that takes the path, HEAD where GET. A route is a template with or without its trailing slash (JAX-RS
     * answers both alike); where several take a path, the one with the most fixed characters does, as in OpenAPI
     * ({@code /api/v1/chats/convert} before {@code /api/v1/chats/{chat_id}}).
     */
    private Map<String, Set<String>> servedByPath() throws Exception {
        JsonNode document = new ObjectMapper().readTree(Api.at(base).get("/openapi?format=JSON").body());
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            Set<String> methods = routes.computeIfAbsent(path.getKey().replaceAll("(.)/$", "$1"), key -> new TreeSet<>());
            path.getValue().fieldNames().forEachRemaining(name -> {
                String method = name.toUpperCase(Locale.ROOT);
                if (METHODS.contains(method)) {
                    methods.add(method);
                }
            });
            paths.add(concrete(path.getKey()));
        });
        Map<String, Set<String>> served = new LinkedHashMap<>();
        for (String path : paths) {
            String route = routes.keySet().stream()
                    .filter(template -> Pattern.matches(Arrays.stream(template.split("\\{[^}]+}", -1))
                            .map(Pattern::quote).collect(Collectors.joining("[^/]+")) + "/?", path))
                    .max(Comparator.comparingInt(template -> template.replaceAll("\\{[^}]+}", "").length()))
                    .orElseThrow();
            Set<String> methods = new TreeSet<>(routes.get(route));
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            served.put(path, methods);
        }
        PAGES.forEach(page -> served.put(page, new TreeSet<>(Set.of("GET", "HEAD"))));
        return served;
    }

    /** The path with each parameter filled in: an id that names nothing still finds the route. */
    private static String concrete(String template) {
        return template.replace("{audience}", "some-audience").replace("{scope}", "some-scope")
                .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    /** The answer's status and headers, and its body unless it is an event stream (which stays open). */
    private Reply send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + aliceToken)
                .header("Cookie", COOKIE)
                .method(method, BodyPublishers.noBody())
                .build();
        HttpResponse<InputStream> response = HTTP.send(request, BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            return new Reply(response.statusCode(), response.headers(),
                    stream ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private record Reply(int statusCode, HttpHeaders headers, String body) {
    }

    private static Set<String> allowHeader(Reply reply) {
        return reply.headers().allValues("Allow").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(method -> !method.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
