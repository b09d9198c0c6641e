package org.chatapi.platform.http;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cross-origin access for web pages (CORS), for the exact origins configured in {@code CHAT_CORS_ALLOWED_ORIGINS}
 * (none unless configured). Runs before anything else answers, so that a preflight is answered before
 * authentication, and every answer to an allowed origin, refusals and 503s included, carries the headers a page needs
 * to read it. A request from any other origin is served exactly as if this filter were not there.
 */
public class Cors implements Filter {

    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, X-Request-Id";
    static final String EXPOSED_HEADERS = "Location, Link, Idempotent-Replayed, Retry-After, WWW-Authenticate, "
            + "X-Request-Id";
    static final long PREFLIGHT_MAX_AGE_SECONDS = 600;
    private static final Pattern ORIGIN =
            Pattern.compile("https?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
    private static final Logger LOG = Logger.getLogger(Cors.class.getName());

    @Inject
    @ConfigProperty(name = "chat.cors.allowed-origins")
    Optional<String> configuredOrigins;

    private Set<String> allowed;

    @Override
    public void init(FilterConfig config) {
        allowed = Arrays.stream(configuredOrigins.orElse("").split(","))
                .map(String::strip)
                .filter(origin -> !origin.isEmpty())
                .filter(origin -> {
                    boolean valid = ORIGIN.matcher(origin).matches();
                    if (!valid) {
                        LOG.warning("CHAT_CORS_ALLOWED_ORIGINS: \"" + origin + "\" is not an origin "
                                + "(scheme://host[:port], no path); it is ignored");
                    }
                    return valid;
                })
                .collect(Collectors.toUnmodifiableSet());
        if (!allowed.isEmpty()) {
            LOG.info("Cross-origin requests allowed from " + allowed);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        if (allowed.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        vary(response);
        if (origin == null || !allowed.contains(origin)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", Long.toString(PREFLIGHT_MAX_AGE_SECONDS));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        chain.doFilter(request, response);
    }

    /** Answers differ by Origin: caches must keep them apart. */
    private static void vary(HttpServletResponse response) {
        boolean present = response.getHeaders("Vary").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(value -> value.strip().equalsIgnoreCase("Origin"));
        if (!present) {
            response.addHeader("Vary", "Origin");
        }
    }
}
