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
        return tokens;
    }

    private static void remember(VerifiedTokens tokens, String token, Token verified) {
        tokens.remember(VerifiedTokens.key(token), verified, Set.of("pro"));
    }

    @Test
    void aTokenIsRememberedUntilItExpires() {
        VerifiedTokens tokens = tokens(10, 300, null);
        Token alice = new Token("alice", NOW.getEpochSecond() - 10, NOW.getEpochSecond() + 60);
        remember(tokens, "token-a", alice);

        assertThat(tokens.known("token-a").caller()).isEqualTo(alice);
        assertThat(tokens.known("token-a").groups()).containsExactly("pro");
        assertThat(tokens.known("token-b")).as("another token, however alike").isNull();
        tokens.clock = Clock.fixed(NOW.plusSeconds(59), ZoneOffset.UTC);
        assertThat(tokens.known("token-a")).isNotNull();
        tokens.clock = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);
        assertThat(tokens.known("token-a")).as("at its exp").isNull();
    }

    @Test
    void noLongerThanTheCacheTimeNorPastTheTokensMaximumAge() {
        VerifiedTokens shortly = tokens(10, 5, null);
        remember(shortly, "t", new Token("a", NOW.getEpochSecond(), NOW.getEpochSecond() + 3600));
        shortly.clock = Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC);
        assertThat(shortly.known("t")).isNull();

        VerifiedTokens aged = tokens(10, 300, 30L);
        remember(aged, "t", new Token("a", NOW.getEpochSecond() - 20, NOW.getEpochSecond() + 3600));
        aged.clock = Clock.fixed(NOW.plusSeconds(9), ZoneOffset.UTC);
        assertThat(aged.known("t")).isNotNull();
        aged.clock = Clock.fixed(NOW.plusSeconds(10), ZoneOffset.UTC);
        assertThat(aged.known("t")).as("30 s after its iat").isNull();
    }

    @Test
    void anExpiredTokenOrAZeroSizeIsNeverRemembered() {
        VerifiedTokens tokens = tokens(10, 300, null);
        remember(tokens, "late", new Token("a", NOW.getEpochSecond() - 100, NOW.getEpochSecond() - 1));
        assertThat(tokens.known("late")).isNull();

        VerifiedTokens none = tokens(0, 300, null);
        remember(none, "t", new Token("a", NOW.getEpochSecond(), NOW.getEpochSecond() + 60));
        assertThat(none.known("t")).isNull();
    }

    @Test
    void theKeyIsTheTokensHashNotTheToken() {
        assertThat(VerifiedTokens.key("header.payload.signature")).doesNotContain("payload")
                .isEqualTo(VerifiedTokens.key("header.payload.signature"))
                .isNotEqualTo(VerifiedTokens.key("header.payload.signaturf"));
    }
}
