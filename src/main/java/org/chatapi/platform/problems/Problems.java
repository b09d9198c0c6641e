package org.chatapi.platform.problems;

import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.Response.StatusType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.ApiException;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.RequestIds;

/**
 * Builds every {@code application/problem+json} answer (RFC 9457), for the JAX-RS mappers and the container's error
 * pages alike. The room routes also carry the original service's {@code "error"} member, so that its clients keep
 * working; every 401 carries {@code WWW-Authenticate: Bearer}.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    public static final String BEARER_CHALLENGE = "Bearer";
    static final String TYPE_PREFIX = "urn:chat-api:problem:";
    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    public static Response of(ApiException problem, String requestPath) {
        Response.ResponseBuilder response = response(problem.status(), problem.type(), problem.title(), problem.detail(),
                problem.extensions(), requestPath);
        problem.headers().forEach(response::header);
        return response.build();
    }

    public static Response of(StatusType status, String type, String detail, String requestPath) {
        return response(status, type, status.getReasonPhrase(), detail, Map.of(), requestPath).build();
    }

    /** A failure nobody foresaw: logged with its stack trace, answered with a bare 500 that reveals nothing. */
    public static Response internalError(Throwable failure, String requestPath) {
        LOG.log(Level.SEVERE, "Unexpected failure on " + requestPath + " (request " + RequestIds.current() + ")", failure);
        return of(Status.INTERNAL_SERVER_ERROR, null, internalErrorDetail(), requestPath);
    }

    static String internalErrorDetail() {
        return "The server failed to answer this request.";
    }

    /**
     * Writes a problem straight to a servlet response, for answers given before JAX-RS runs. With
     * {@code closeConnection} the connection ends after it: a request body left unread must never be taken for the
     * next request on the connection.
     */
    public static void send(HttpServletResponse response, StatusType status, String type, String title, String detail,
                            String requestPath, boolean closeConnection) throws IOException {
        response.setStatus(status.getStatusCode());
        if (status.getStatusCode() == Status.UNAUTHORIZED.getStatusCode()
                && response.getHeader(HttpHeaders.WWW_AUTHENTICATE) == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        if (closeConnection) {
            response.setHeader("Connection", "close");
        }
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body(status, type, title, detail, Map.of(), requestPath,
                response.getHeader(RequestIds.HEADER)));
    }

    /**
     * A status the server would otherwise send bare (JAX-RS and the container call {@code sendError} for what they
     * refuse before any mapper runs), as a problem.
     */
    public static void sendStatus(HttpServletResponse response, int code, String requestPath) throws IOException {
        StatusType status = Status.fromStatusCode(code);
        String reason = status == null ? "Error" : status.getReasonPhrase();
        send(response, status == null ? new StatusType() {
            @Override
            public int getStatusCode() {
                return code;
            }

            @Override
            public Status.Family getFamily() {
                return Status.Family.familyOf(code);
            }

            @Override
            public String getReasonPhrase() {
                return reason;
            }
        } : status, null, reason, reason + ".", requestPath, false);
    }

    public static String body(StatusType status, String type, String title, String detail,
                              Map<String, String> extensions, String requestPath, String requestId) {
        JsonObjectBuilder json = RequestBodies.JSON.createObjectBuilder()
                .add("type", type == null ? "about:blank" : TYPE_PREFIX + type)
                .add("title", title)
                .add("status", status.getStatusCode())
                .add("detail", detail);
        if (isRoomRoute(requestPath)) {
            json.add("error", detail);
        }
        extensions.forEach(json::add);
        if (requestId != null) {
            json.add("request_id", requestId);
        }
        return json.build().toString();
    }

    private static Response.ResponseBuilder response(StatusType status, String type, String title, String detail,
                                                     Map<String, String> extensions, String requestPath) {
        Response.ResponseBuilder response = Response.status(status)
                .type(PROBLEM_JSON)
                .entity(body(status, type, title, detail, extensions, requestPath, RequestIds.current()));
        if (status.getStatusCode() == Status.UNAUTHORIZED.getStatusCode()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        return response;
    }

    static boolean isRoomRoute(String requestPath) {
        if (requestPath == null) {
            return false;
        }
        String path = requestPath.startsWith("/") ? requestPath.substring(1) : requestPath;
        return path.equals("room") || path.startsWith("room/");
    }
}
