package org.chatapi.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanismHandler;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers the bearer tokens the MP-JWT mechanism verified, so that the next request with the same token is
 * authenticated without parsing it and checking its signature again (a fifth of the CPU of reading one message).
 * It is the Jakarta Security handler of the application's authentication mechanism: a token it has not seen, or
 * whose entry has run out, goes to Payara's MP-JWT mechanism as before, and only a token that mechanism accepted is
 * remembered.
 *
 * <p>Entries are keyed by the SHA-256 of the token (no credential is kept), live until the token's {@code exp} (or,
 * where {@code mp.jwt.verify.token.age} limits a token's age, until it is that old), no longer than
 * {@code CHAT_TOKEN_CACHE_SECONDS} (default 300), and there are at most
 * {@code CHAT_TOKEN_CACHE_SIZE} of them (default 10,000; 0 turns remembering off). {@code nbf} and the other checks
 * of {@link BearerAuthentication} run on every request, remembered or not.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class VerifiedTokens implements HttpAuthenticationMechanismHandler {

    private static final String BEARER = "Bearer ";

    @Inject
    Instance<HttpAuthenticationMechanism> mechanisms;

    @Inject
    @ConfigProperty(name = "chat.token.cache-size", defaultValue = "10000")
    long size;

    @Inject
    @ConfigProperty(name = "chat.token.cache-seconds", defaultValue = "300")
    long seconds;

    /** The oldest a token may be (seconds since its {@code iat}), where MP-JWT is told to refuse older ones. */
    @Inject
    @ConfigProperty(name = "mp.jwt.verify.token.age")
    Optional<Long> maxAge;

    /** The tokens' clock; a unit test sets its own. */
    Clock clock = Clock.systemUTC();

    private Cache<String, Verified> verified;

    /** A token the mechanism accepted: the caller it names, and until when it may be remembered. */
    record Verified(JsonWebToken caller, Set<String> groups, Instant until) {
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) throws AuthenticationException {
        String token = bearerToken(request);
        String key = token == null ? null : key(token);
        Verified known = key == null ? null : remembered(key);
        if (known != null) {
            return context.notifyContainerAboutLogin(known.caller(), known.groups());
        }
        AuthenticationStatus status = mechanism().validateRequest(request, response, context);
        if (key != null && status == AuthenticationStatus.SUCCESS
                && context.getCallerPrincipal() instanceof JsonWebToken caller) {
            remember(key, caller, context.getGroups());
        }
        return status;
    }

    @Override
    public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context) throws AuthenticationException {
        return mechanism().secureResponse(request, response, context);
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        mechanism().cleanSubject(request, response, context);
    }

    /** Remembers what the mechanism accepted, until the token expires or the cache's time for it is up. */
    void remember(String key, JsonWebToken caller, Set<String> groups) {
        Instant until = Instant.ofEpochSecond(caller.getExpirationTime());
        if (maxAge.isPresent()) {
            until = earlier(until, Instant.ofEpochSecond(caller.getIssuedAtTime()).plusSeconds(maxAge.get()));
        }
        until = earlier(until, clock.instant().plusSeconds(seconds));
        if (size > 0 && clock.instant().isBefore(until)) {
            verified.put(key, new Verified(caller, groups == null ? Set.of() : Set.copyOf(groups), until));
        }
    }

    private static Instant earlier(Instant one, Instant other) {
        return one.isBefore(other) ? one : other;
    }

    /** What is remembered under the key, if it may still be used. */
    Verified remembered(String key) {
        Verified known = verified.getIfPresent(key);
        return known != null && clock.instant().isBefore(known.until()) ? known : null;
    }

    @PostConstruct
    void start() {
        verified = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfter(Expiry.creating((String key, Verified entry) -> Duration.between(clock.instant(), entry.until())))
                .build();
    }

    private HttpAuthenticationMechanism mechanism() {
        return mechanisms.get();
    }

    private static String bearerToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
    }

    static String key(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
