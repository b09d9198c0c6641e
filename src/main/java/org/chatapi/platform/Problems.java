package org.chatapi.platform;

import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.StatusType;
import java.util.Map;

/**
 * Builds {@code application/problem+json} responses (RFC 9457). The room routes also carry the original service's
 * {@code "error"} member, so that its clients keep working.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    static final String TYPE_PREFIX = "urn:chat-api:problem:";

    private Problems() {
    }

    public static Response of(ApiException problem, String requestPath) {
        Response.ResponseBuilder response = response(problem.status(), problem.type(), problem.title(),
                problem.detail(), problem.extensions(), requestPath);
        if (problem instanceof Unauthenticated) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    public static Response of(StatusType status, String type, String detail, String requestPath) {
        return response(status, type, status.getReasonPhrase(), detail, Map.of(), requestPath).build();
    }

    public static String body(StatusType status, String type, String title, String detail,
                              Map<String, String> extensions, String requestPath) {
        JsonObjectBuilder json = JsonBodies.JSON.createObjectBuilder()
                .add("type", type == null ? "about:blank" : TYPE_PREFIX + type)
                .add("title", title)
                .add("status", status.getStatusCode())
                .add("detail", detail);
        if (isRoomRoute(requestPath)) {
            json.add("error", detail);
        }
        extensions.forEach(json::add);
        return json.build().toString();
    }

    private static Response.ResponseBuilder response(StatusType status, String type, String title, String detail,
                                                     Map<String, String> extensions, String requestPath) {
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(body(status, type, title, detail, extensions, requestPath));
    }

    static boolean isRoomRoute(String requestPath) {
        if (requestPath == null) {
            return false;
        }
        String path = requestPath.startsWith("/") ? requestPath.substring(1) : requestPath;
        return path.equals("room") || path.startsWith("room/");
    }
}
