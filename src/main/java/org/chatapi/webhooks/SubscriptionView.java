package org.chatapi.webhooks;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * A webhook subscription as {@code /webhooks} shows it. {@code secret} is shown once, when it is created or rotated
 * (null otherwise); {@code previousSecretUntil} says until when the secret before a rotation still signs.
 */
@JsonbPropertyOrder({"id", "url", "eventTypes", "room", "audience", "enabled", "disabledReason", "createdBy",
        "createdAt", "secret", "previousSecretUntil"})
public record SubscriptionView(String id, String url, List<String> eventTypes, @JsonbNillable String room,
                               @JsonbNillable String audience, boolean enabled, String disabledReason,
                               String createdBy, String createdAt, String secret, String previousSecretUntil) {

    SubscriptionView withSecret(String shown) {
        return new SubscriptionView(id, url, eventTypes, room, audience, enabled, disabledReason, createdBy, createdAt,
                shown, previousSecretUntil);
    }
}
