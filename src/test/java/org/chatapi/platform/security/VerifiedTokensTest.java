package org.chatapi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    /** A verified token as MP-JWT gives it: the claims the cache reads. */
    private record Token(String subject, long issuedAt, long expires) implements JsonWebToken {
        @Override
        public String getName() {
            return subject;
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("sub", "iat", "exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claim) {
            return (T) Map.<String, Object>of("sub", subject, "iat", issuedAt, "exp", expires).get(claim);
        }
    }

    private static VerifiedTokens tokens(long size, long seconds, Long maxAge) {
        VerifiedTokens tokens = new VerifiedTokens();
        tokens.size = size;
        tokens.seconds = seconds;
        tokens.maxAge = Optional.ofNullable(maxAge);
        tokens.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        tokens.start();
        return tokens;
    }

    private static VerifiedTokens.Verified known(VerifiedTokens tokens, String token, long secondsLater) {
        tokens.clock = Clock.fixed(NOW.plusSeconds(secondsLater), ZoneOffset.UTC);
        return tokens.remembered(VerifiedTokens.key(token));
    }

    private static void remember(VerifiedTokens tokens, String token, Token verified) {
        tokens.remember(VerifiedTokens.key(token), verified, Set.of("pro"));
    }

    @Test
    void aTokenIsRememberedUntilItExpires() {
        VerifiedTokens tokens = tokens(10, 300, null);
        Token alice = new Token("alice", NOW.getEpochSecond() - 10, NOW.getEpochSecond() + 60);
        remember(tokens, "token-a", alice);

        assertThat(known(tokens, "token-a", 0).caller()).isEqualTo(alice);
        assertThat(known(tokens, "token-a", 0).groups()).containsExactly("pro");
        assertThat(known(tokens, "token-b", 0)).as("another token, however alike").isNull();
        assertThat(known(tokens, "token-a", 59)).isNotNull();
        assertThat(known(tokens, "token-a", 60)).as("at its exp").isNull();
    }

    @Test
    void noLongerThanTheCacheTimeNorPastTheTokensMaximumAge() {
        VerifiedTokens shortly = tokens(10, 5, null);
        remember(shortly, "t", new Token("a", NOW.getEpochSecond(), NOW.getEpochSecond() + 3600));
        assertThat(known(shortly, "t", 5)).isNull();

        VerifiedTokens aged = tokens(10, 300, 30L);
        remember(aged, "t", new Token("a", NOW.getEpochSecond() - 20, NOW.getEpochSecond() + 3600));
        assertThat(known(aged, "t", 9)).isNotNull();
        assertThat(known(aged, "t", 10)).as("30 s after its iat").isNull();
    }

    @Test
    void anExpiredTokenOrAZeroSizeIsNeverRemembered() {
        VerifiedTokens tokens = tokens(10, 300, null);
        remember(tokens, "late", new Token("a", NOW.getEpochSecond() - 100, NOW.getEpochSecond() - 1));
        assertThat(known(tokens, "late", 0)).isNull();

        VerifiedTokens none = tokens(0, 300, null);
        remember(none, "t", new Token("a", NOW.getEpochSecond(), NOW.getEpochSecond() + 60));
        assertThat(known(none, "t", 0)).isNull();
    }

    @Test
    void theKeyIsTheTokensHashNotTheToken() {
        assertThat(VerifiedTokens.key("header.payload.signature")).doesNotContain("payload")
                .isEqualTo(VerifiedTokens.key("header.payload.signature"))
                .isNotEqualTo(VerifiedTokens.key("header.payload.signaturf"));
    }
}
