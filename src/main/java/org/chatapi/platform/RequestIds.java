package org.chatapi.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * The id of each request: the caller's {@code X-Request-Id} when it is a sane token (1 to 128 letters, digits and
 * {@code . _ ~ : / + = -}), else a new one. It is returned in the response's {@code X-Request-Id}, in every problem
 * body ({@code request_id}) and in the log lines of the request, so that a client's report can be found in the log.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = RequestIds.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._~:/+=-]{1,128}");

    private RequestIds() {
    }

    /** The request's id, given to it now if it has none yet. */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id == null) {
            String offered = request.getHeader(HEADER);
            id = offered != null && SANE.matcher(offered).matches() ? offered : Ids.newId().toString();
            request.setAttribute(ATTRIBUTE, id);
        }
        return (String) id;
    }

    /** Whether the request was given its id already (by an earlier dispatch of it). */
    public static boolean assigned(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) != null;
    }

    /** The id of the request this thread serves, or null outside of one. */
    public static String current() {
        HttpServletRequest request = CurrentRequest.find();
        return request == null ? null : of(request);
    }
}
