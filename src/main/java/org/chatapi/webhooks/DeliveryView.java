package org.chatapi.webhooks;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A line of a subscription's delivery log: the event, its state ({@code pending}, {@code delivered}, {@code failed}),
 * how many attempts were made, the last one's status or error, and when the next is due.
 */
@JsonbPropertyOrder({"id", "eventType", "room", "position", "occurredAt", "state", "attempts", "lastAttemptAt",
        "lastStatus", "lastError", "nextAttemptAt", "finishedAt"})
public record DeliveryView(String id, String eventType, String room, int position, String occurredAt, String state,
                           int attempts, String lastAttemptAt, Integer lastStatus, String lastError,
                           String nextAttemptAt, String finishedAt) {
}
