package org.chatapi.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Mints bearer tokens for the tests, good and bad, with the test key pair the server is configured to trust. */
public final class Tokens {

    /** The issuer the test server trusts (MP_JWT_VERIFY_ISSUER in the pom). */
    public static final String ISSUER = "https://issuer.chat-api.test";

    /** The audience the test server expects (MP_JWT_VERIFY_AUDIENCES in the pom). */
    public static final String AUDIENCE = "chat-api";

    private static final RSAKey TRUSTED = key("/jwt/private.pem");
    private static final RSAKey UNTRUSTED = key("/jwt/other-private.pem");

    private Tokens() {
    }

    /** A fresh unique subject, so that each test works with callers of its own. */
    public static String newSubject(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static String valid(String subject, String... groups) {
        return sign(TRUSTED, claims(ISSUER, subject, Instant.now().plus(Duration.ofHours(1)), groups));
    }

    /** A valid token that expires after {@code lifetime}. */
    public static String validFor(Duration lifetime, String subject, String... groups) {
        return sign(TRUSTED, claims(ISSUER, subject, Instant.now().plus(lifetime), groups));
    }

    /** A correctly signed token that becomes valid only at {@code notBefore}. */
    public static String notBefore(Instant notBefore, String subject, String... groups) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(ISSUER, subject, Instant.now().plus(Duration.ofDays(2)), groups))
                .notBeforeTime(Date.from(notBefore))
                .build();
        return sign(TRUSTED, claims);
    }

    /** A correctly signed token for another audience than the service's, or for none ({@code null}). */
    public static String forAudience(String audience, String subject, String... groups) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(ISSUER, subject, Instant.now().plus(Duration.ofHours(1)), groups))
                .audience(audience)
                .build();
        return sign(TRUSTED, claims);
    }

    /**
     * A correctly signed valid token whose subject is given as raw JSON string content (escapes included), e.g.
     * {@code \\ud800X}: an unpaired surrogate no JSON library would write.
     */
    public static String withRawSubject(String jsonEscapedSubject) {
        long now = Instant.now().getEpochSecond();
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + jsonEscapedSubject
                + "\",\"upn\":\"" + jsonEscapedSubject + "\",\"groups\":[],\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                    new Payload(payload.getBytes(StandardCharsets.US_ASCII)));
            jws.sign(new RSASSASigner(TRUSTED));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String expired(String subject, String... groups) {
        return sign(TRUSTED, claims(ISSUER, subject, Instant.now().minus(Duration.ofHours(1)), groups));
    }

    public static String wrongIssuer(String subject, String... groups) {
        return sign(TRUSTED, claims("https://someone-else.test", subject, Instant.now().plus(Duration.ofHours(1)), groups));
    }

    public static String badSignature(String subject, String... groups) {
        return sign(UNTRUSTED, claims(ISSUER, subject, Instant.now().plus(Duration.ofHours(1)), groups));
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(String subject, String... groups) {
        return new PlainJWT(claims(ISSUER, subject, Instant.now().plus(Duration.ofHours(1)), groups)).serialize();
    }

    private static JWTClaimsSet claims(String issuer, String subject, Instant expiry, String... groups) {
        Instant issued = expiry.minus(Duration.ofHours(2)).isAfter(Instant.now()) ? Instant.now() : expiry.minus(Duration.ofHours(2));
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("upn", subject)
                .claim("groups", List.of(groups))
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PKCS#8 PEM private key (as openssl genpkey writes it). */
    private static RSAKey key(String resource) {
        try (InputStream pem = Tokens.class.getResourceAsStream(resource)) {
            String base64 = new String(pem.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new RSAKey.Builder(publicKey).privateKey(key).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
