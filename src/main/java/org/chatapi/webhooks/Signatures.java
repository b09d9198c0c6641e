package org.chatapi.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: a secret is {@code whsec_} and 24 random bytes in base64; a signature is
 * {@code v1,} and the base64 HMAC-SHA256, under the secret's bytes, of {@code <webhook-id>.<webhook-timestamp>.<body>}.
 * Written here because it is four lines of the platform's own {@code Mac}.
 */
final class Signatures {

    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header: the current secret's signature, then the previous one's, if any. */
    static String header(String secret, String previousSecret, String id, long timestamp, byte[] body) {
        String current = sign(secret, id, timestamp, body);
        return previousSecret == null ? current : current + " " + sign(previousSecret, id, timestamp, body);
    }

    static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
