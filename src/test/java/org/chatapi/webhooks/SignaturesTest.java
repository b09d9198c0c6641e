package org.chatapi.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    /** The specification's example, signed as the Standard Webhooks library signs it. */
    @Test
    void signsAsTheStandardWebhooksLibrary() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String body = "{\"test\": 2432232314}";
        assertThat(Signatures.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body));
    }

    @Test
    void aRotatedSubscriptionSignsWithBothSecrets() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String current = Signatures.newSecret();
        String previous = Signatures.newSecret();
        assertThat(current).startsWith("whsec_").isNotEqualTo(previous);
        assertThat(Signatures.header(current, previous, "id", 1, body)).isEqualTo(
                Signatures.sign(current, "id", 1, body) + " " + Signatures.sign(previous, "id", 1, body));
        assertThat(Signatures.header(current, null, "id", 1, body)).isEqualTo(Signatures.sign(current, "id", 1, body));
    }
}
