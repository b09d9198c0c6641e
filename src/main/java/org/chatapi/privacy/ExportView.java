package org.chatapi.privacy;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * An export as {@code /exports} shows it: running or done, how much of the file is written, until when it can be
 * downloaded, and, in the answer to the request only, the download URL with its key.
 */
@JsonbPropertyOrder({"id", "state", "requestedAt", "lines", "bytes", "finishedAt", "expiresAt", "url"})
public record ExportView(String id, String state, String requestedAt, int lines, long bytes, String finishedAt,
                         String expiresAt, String url) {

    ExportView withUrl(String downloadUrl) {
        return new ExportView(id, state, requestedAt, lines, bytes, finishedAt, expiresAt, downloadUrl);
    }
}
