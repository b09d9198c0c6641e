package org.chatapi.privacy;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A room's retention as {@code /room/{id}/retention} shows it: the room's own period ({@code days}, null when the
 * server's default applies), the server's default ({@code defaultDays}, null: none), the period that applies
 * ({@code effectiveDays}, null: messages are kept until erased), and the last position retention removed
 * ({@code purgedThrough}, 0: none; the room's history starts after it).
 */
@JsonbPropertyOrder({"room", "days", "defaultDays", "effectiveDays", "purgedThrough"})
public record RetentionView(String room, @JsonbNillable Integer days, @JsonbNillable Integer defaultDays,
                            @JsonbNillable Integer effectiveDays, int purgedThrough) {
}
