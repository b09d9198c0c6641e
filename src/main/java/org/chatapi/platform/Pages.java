package org.chatapi.platform;

/** Query parameters of keyset pages. */
public final class Pages {

    private Pages() {
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
}
