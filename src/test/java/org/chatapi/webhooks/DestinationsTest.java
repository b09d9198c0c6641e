package org.chatapi.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    @Test
    void refusesWhatIsNotAPublicHttpUrl() {
        Destinations destinations = destinations(null);
        for (String url : new String[] {"http://127.0.0.1/", "http://localhost:8080/x", "http://10.1.2.3/",
                "http://172.16.0.1/", "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data",
                "http://100.64.1.1/", "http://0.0.0.0/", "http://[::1]/", "http://[::]/", "http://[fe80::1]/",
                "http://[fd12:3456::1]/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://198.18.0.1/",
                "ftp://93.184.215.14/", "file:///etc/passwd", "https://user:secret@93.184.215.14/",
                "https://93.184.215.14/#fragment", "not a url", "http:///nohost", "mailto:a@b.example"}) {
            assertThat(destinations.refusal(url)).as(url).isPresent();
        }
        assertThat(destinations.refusal("https://93.184.215.14/hooks")).isEmpty();
        assertThat(destinations.refusal("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/hooks")).isEmpty();
    }

    @Test
    void anAllowedNetworkMayBeReachedAndOnlyIt() {
        Destinations destinations = destinations(" 127.0.0.0/8, 10.20.0.0/16 ");
        assertThat(destinations.refusal("http://127.0.0.1:9000/hooks")).isEmpty();
        assertThat(destinations.refusal("http://10.20.30.40/hooks")).isEmpty();
        assertThat(destinations.refusal("http://10.21.0.1/hooks")).isPresent();
        assertThat(destinations.refusal("http://[::1]/hooks")).isPresent();
    }

    @Test
    void theRefusalNamesTheAddressAndNotTheCredentials() {
        assertThat(destinations(null).refusal("http://192.168.1.1/x")).hasValueSatisfying(
                refusal -> assertThat(refusal).contains("192.168.1.1"));
        assertThat(destinations(null).refusal("https://user:secret@93.184.215.14/")).hasValueSatisfying(
                refusal -> assertThat(refusal).doesNotContain("secret"));
    }

    private static Destinations destinations(String allowed) {
        Destinations destinations = new Destinations();
        destinations.allowedNetworks = Optional.ofNullable(allowed);
        destinations.parse();
        return destinations;
    }
}
