package org.chatapi.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CORS decisions, on a request and a response that only hold headers (no server needed). */
class CorsTest {

    private static final String PAGE = "https://app.example";

    /** What the filter did to one exchange. */
    static final class Exchange {
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        int status = 200;
        boolean passedOn;
    }

    private static Exchange filter(String configured, String method, Map<String, String> requestHeaders) throws Exception {
        return filter(configured, method, requestHeaders, new Exchange());
    }

    private static Exchange filter(String configured, String method, Map<String, String> requestHeaders,
                                   Exchange exchange) throws Exception {
        Cors cors = new Cors();
        cors.configuredOrigins = Optional.ofNullable(configured);
        cors.init(null);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(CorsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getHeader" -> requestHeaders.get((String) args[0]);
                    case "getMethod" -> method;
                    default -> throw new UnsupportedOperationException(called.getName());
                });
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(CorsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, called, args) -> {
                    switch (called.getName()) {
                        case "setHeader" -> exchange.headers.put((String) args[0], new ArrayList<>(List.of((String) args[1])));
                        case "addHeader" -> exchange.headers.computeIfAbsent((String) args[0], name -> new ArrayList<>())
                                .add((String) args[1]);
                        case "getHeaders" -> {
                            return exchange.headers.getOrDefault((String) args[0], List.of());
                        }
                        case "setStatus" -> exchange.status = (Integer) args[0];
                        default -> throw new UnsupportedOperationException(called.getName());
                    }
                    return null;
                });
        cors.doFilter(request, response, (req, res) -> exchange.passedOn = true);
        return exchange;
    }

    @Test
    void answersAPreflightOfAnAllowedOriginItself() throws Exception {
        Exchange preflight = filter(" https://other.example , " + PAGE, "OPTIONS",
                Map.of("Origin", PAGE, "Access-Control-Request-Method", "POST"));
        assertThat(preflight.passedOn).isFalse();
        assertThat(preflight.status).isEqualTo(204);
        assertThat(preflight.headers).containsEntry("Access-Control-Allow-Origin", List.of(PAGE))
                .containsEntry("Access-Control-Allow-Methods", List.of(Cors.ALLOWED_METHODS))
                .containsEntry("Access-Control-Allow-Headers", List.of(Cors.ALLOWED_HEADERS))
                .containsEntry("Access-Control-Max-Age", List.of("600"))
                .containsEntry("Vary", List.of("Origin"));
    }

    @Test
    void letsAnAllowedOriginReadTheAnswerAndItsHeaders() throws Exception {
        Exchange exchange = filter(PAGE, "POST", Map.of("Origin", PAGE));
        assertThat(exchange.passedOn).isTrue();
        assertThat(exchange.headers).containsEntry("Access-Control-Allow-Origin", List.of(PAGE))
                .containsEntry("Access-Control-Expose-Headers", List.of(Cors.EXPOSED_HEADERS))
                .doesNotContainKey("Access-Control-Allow-Methods");
        // An OPTIONS without Access-Control-Request-Method is no preflight: the application answers it.
        assertThat(filter(PAGE, "OPTIONS", Map.of("Origin", PAGE)).passedOn).isTrue();
    }

    @Test
    void servesAnyOtherOriginAsIfThereWereNoFilter() throws Exception {
        for (Map<String, String> headers : List.of(Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), Map.of("Origin", PAGE + ":443"), Map.<String, String>of())) {
            Exchange exchange = filter(PAGE, "OPTIONS", headers);
            assertThat(exchange.passedOn).as("%s", headers).isTrue();
            assertThat(exchange.status).isEqualTo(200);
            assertThat(exchange.headers).as("%s", headers).containsOnlyKeys("Vary");
        }
    }

    @Test
    void allowsNothingUnlessConfiguredAndIgnoresWhatIsNoOrigin() throws Exception {
        Exchange unconfigured = filter(null, "OPTIONS", Map.of("Origin", PAGE, "Access-Control-Request-Method", "POST"));
        assertThat(unconfigured.passedOn).isTrue();
        assertThat(unconfigured.headers).isEmpty();
        for (String notAnOrigin : List.of(PAGE + "/path", "*", "null", "app.example", "ftp://app.example")) {
            Exchange exchange = filter(notAnOrigin, "GET", Map.of("Origin", notAnOrigin));
            assertThat(exchange.passedOn).isTrue();
            assertThat(exchange.headers).as(notAnOrigin).isEmpty();
        }
    }

    @Test
    void namesOriginInVaryOnce() throws Exception {
        Exchange varied = new Exchange();
        varied.headers.put("Vary", new ArrayList<>(List.of("Accept-Encoding, origin")));
        assertThat(filter(PAGE, "GET", Map.of("Origin", PAGE), varied).headers.get("Vary"))
                .containsExactly("Accept-Encoding, origin");
        Exchange other = new Exchange();
        other.headers.put("Vary", new ArrayList<>(List.of("Accept-Encoding")));
        assertThat(filter(PAGE, "GET", Map.of("Origin", PAGE), other).headers.get("Vary"))
                .containsExactly("Accept-Encoding", "Origin");
    }
}
