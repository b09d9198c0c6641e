package org.chatapi.platform;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

/** Query parameters of keyset pages. */
public final class Pages {

    private Pages() {
    }

    /**
     * The request's own URI as an absolute-path reference ({@code /room?limit=2}), for Link headers: no scheme and no
     * host, so that nothing the client put in its Host header or request target is echoed back.
     */
    public static UriBuilder selfReference(UriInfo uri) {
        return UriBuilder.fromPath(uri.getBaseUri().getRawPath()).path(uri.getPath(false))
                .replaceQuery(uri.getRequestUri().getRawQuery());
    }

    /** The {@code limit} parameter: absent means {@code fallback}; otherwise a whole number from 1 to {@code max}. */
    public static int limit(String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest("\"limit\" must be a whole number from 1 to " + max + ".");
    }

    /** A message position cursor ({@code after}, {@code before}, {@code Last-Event-ID}): a whole number, 0 or more. */
    public static int position(String value, String name, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int position = Integer.parseInt(value.trim());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest("\"" + name + "\" must be a message position: a whole number, 0 or more.");
    }
}
