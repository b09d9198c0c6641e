package org.chatapi.privacy;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.Map;

/**
 * An erasure as {@code /admin/erasures} shows it: running, or done with its receipt (when, and how many rows of each
 * table were erased, changed or deleted). It names the person only by the SHA-256 of their subject.
 */
@JsonbPropertyOrder({"id", "state", "subjectSha256", "requestedBy", "requestedAt", "finishedAt", "counts"})
public record ErasureView(String id, String state, String subjectSha256, String requestedBy, String requestedAt,
                          String finishedAt, Map<String, Integer> counts) {
}
