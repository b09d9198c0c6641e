package org.chatapi.webhooks;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where webhooks may go, against server-side request forgery: only http and https URLs without credentials, whose
 * host resolves to public addresses only; no loopback, link-local, private, carrier-grade NAT, unique-local,
 * multicast or unspecified address (an IPv4-mapped IPv6 address counts as its IPv4 one), unless it lies in a network
 * the operator allows ({@code CHAT_WEBHOOK_ALLOWED_NETWORKS}, CIDRs). Checked when a subscription is set and again before each send (a
 * name may resolve elsewhere since); redirects are never followed.
 */
@ApplicationScoped
public class Destinations {

    /** Networks never reached unless allowed: each a CIDR. */
    private static final List<String> FORBIDDEN = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3",
            "::/127", "64:ff9b::/96", "fc00::/7", "fe80::/10", "ff00::/8");

    private final List<Network> forbidden = FORBIDDEN.stream().map(Network::parse).toList();
    private List<Network> allowed;

    @Inject
    @ConfigProperty(name = "chat.webhook-allowed-networks")
    Optional<String> allowedNetworks;

    @PostConstruct
    void parse() {
        allowed = Arrays.stream(allowedNetworks.orElse("").split(",")).map(String::trim)
                .filter(cidr -> !cidr.isEmpty()).map(Network::parse).toList();
    }

    /** Why the URL may not receive webhooks, or empty if it may. Resolves its host. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("\"url\" must be an absolute http or https URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.isOpaque()) {
            return Optional.of("\"url\" must be an absolute http or https URL with a host.");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("\"url\" must not carry credentials.");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("\"url\" must not have a fragment.");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("The host of \"url\" does not resolve.");
        }
        for (InetAddress address : addresses) {
            boolean isForbidden = forbidden.stream().anyMatch(network -> network.contains(address))
                    || address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                    || address.isSiteLocalAddress() || address.isMulticastAddress();
            if (isForbidden && allowed.stream().noneMatch(network -> network.contains(address))) {
                return Optional.of("The host of \"url\" resolves to a private, local or reserved address ("
                        + address.getHostAddress() + "); webhooks go to public addresses only.");
            }
        }
        return Optional.empty();
    }

    /** An IP network: an address and a prefix length. */
    private record Network(byte[] base, int prefix) {

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                byte[] base = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? base.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (prefix < 0 || prefix > base.length * 8) {
                    throw new IllegalArgumentException("not a network: " + cidr);
                }
                return new Network(base, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network (CIDR): " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != base.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bytes.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not();
            return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, base).and(mask));
        }
    }
}
