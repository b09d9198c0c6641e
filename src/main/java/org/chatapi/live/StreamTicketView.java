package org.chatapi.live;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A stream ticket as its holder gets it: the ticket, its expiry, and the stream's URL with it. */
@JsonbPropertyOrder({"ticket", "expiresAt", "url"})
public record StreamTicketView(String ticket, @JsonbProperty("expires_at") String expiresAt, String url) {
}
