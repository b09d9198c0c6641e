package org.chatapi.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Holds every exchange of the integration tests to the OpenAPI document the server under test serves, with an
 * independent validator (Atlassian's swagger-request-validator): a field renamed in the code or in the document, a
 * status or a media type the document does not list, a missing required header fails the test that met it.
 *
 * <p>The rules: a response must be one the document describes for its operation (status, media type, body schema,
 * required headers). A request the document refuses (a malformed id, a missing token, a body of the wrong shape)
 * must be refused with a 4xx problem; so must a request to a path or method the document does not have (404, 405).
 * A few requests never reach the application (a NUL in the path: the server's HTTP layer answers a bare 400); those
 * answers carry no {@code X-Request-Id} and must be 4xx.
 */
public final class Contract {

    // HTTP/1.1 as in Api: a document fetched over a cleartext HTTP/2 upgrade from an instance still booting was once
    // answered in HTTP/1.1 after the upgrade, and the client failed on it.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<URI, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static final SimpleValidationReportFormat FORMAT = SimpleValidationReportFormat.getInstance();

    private Contract() {
    }

    /** The served document of the server at {@code base}, loaded and checked by the validator once per server. */
    public static OpenApiInteractionValidator of(URI base) {
        return VALIDATORS.computeIfAbsent(base.resolve("/"), Contract::load);
    }

    /** Checks one exchange; {@code requestBody} is what was sent (null: none). */
    public static void check(URI base, String method, URI target, HttpHeaders requestHeaders, String requestBody,
                             int status, HttpHeaders responseHeaders, String responseBody) {
        OpenApiInteractionValidator validator = of(base);
        String path = target.getRawPath();
        Request.Method verb = Request.Method.valueOf(method);
        SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
        requestHeaders.map().forEach((name, values) -> request.withHeader(name, values));
        queryParameters(target.getRawQuery()).forEach(request::withQueryParam);
        if (requestBody != null && !requestBody.isEmpty()) {
            request.withBody(requestBody);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        responseHeaders.map().forEach((name, values) -> response.withHeader(name, values));
        if (responseBody != null && !responseBody.isEmpty()) {
            response.withBody(responseBody);
        }

        String exchange = method + " " + target + " " + requestHeaders.firstValue("Content-Type").orElse("")
                + " " + abbreviated(requestBody) + " -> " + status + " " + abbreviated(responseBody);
        if (responseHeaders.firstValue("X-Request-Id").isEmpty()) {
            // Answered by the server's HTTP layer before the application saw the request (every answer of the
            // application carries its X-Request-Id): not the application's to describe, but it must be a refusal.
            if (status < 400 || status >= 500) {
                throw new AssertionError("The server answered before the application, with " + status + ": " + exchange);
            }
            return;
        }
        if (method.equals("OPTIONS") && requestHeaders.firstValue("Access-Control-Request-Method").isPresent()) {
            // A CORS preflight: the browser's question before a cross-origin request, not an operation.
            return;
        }
        boolean form = requestHeaders.firstValue("Content-Type").orElse("")
                .startsWith("application/x-www-form-urlencoded");
        List<String> requestErrors = validator.validateRequest(request.build()).getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                // The validator trims form values (String.trim: every character up to U+0020), so it takes a
                // control character the server stores as it is for an empty value.
                .filter(message -> !(form && message.getKey().equals("validation.request.body.schema.minLength")))
                .map(message -> message.getKey() + ": " + message.getMessage())
                .toList();
        if (requestErrors.stream().anyMatch(error -> error.startsWith("validation.request.path.missing:"))) {
            expectProblem(status, 404, exchange, responseHeaders);
            return;
        }
        if (requestErrors.stream().anyMatch(error -> error.startsWith("validation.request.operation.notAllowed:"))) {
            expectProblem(status, 405, exchange, responseHeaders);
            return;
        }
        ValidationReport responseReport = validator.validateResponse(path, verb, response.build());
        if (responseReport.hasErrors()) {
            throw new AssertionError("The response is not what the served OpenAPI document describes: " + exchange
                    + "\n" + FORMAT.apply(responseReport));
        }
        if (!requestErrors.isEmpty() && (status < 400 || status >= 500)) {
            throw new AssertionError("A request the served OpenAPI document refuses was answered " + status + ": "
                    + exchange + "\n" + String.join("\n", requestErrors));
        }
    }

    private static void expectProblem(int status, int expected, String exchange, HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("");
        if (status != expected || !type.startsWith("application/problem+json")) {
            throw new AssertionError("A route the served OpenAPI document does not have must be a " + expected
                    + " problem: " + exchange);
        }
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        return Arrays.stream(rawQuery.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.groupingBy(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        Collectors.mapping(pair -> pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8)
                                : "", Collectors.toList())));
    }

    private static String abbreviated(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }

    private static OpenApiInteractionValidator load(URI base) {
        String document;
        try {
            HttpResponse<String> served = HTTP.send(HttpRequest.newBuilder(base.resolve("/openapi"))
                            .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (served.statusCode() != 200) {
                throw new AssertionError("GET /openapi answered " + served.statusCode());
            }
            document = served.body();
        } catch (IOException e) {
            throw new AssertionError("GET /openapi failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
    }
}
