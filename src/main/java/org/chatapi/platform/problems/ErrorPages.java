package org.chatapi.platform.problems;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's error pages (mapped in web.xml), for errors raised before the JAX-RS mappers can answer: chiefly
 * the 401 of the MP-JWT mechanism for a malformed, badly signed, expired or foreign token, which would otherwise be
 * an HTML page without WWW-Authenticate. Every such answer is a problem, and never shows a stack trace.
 */
@WebServlet(ErrorPages.PATH)
public class ErrorPages extends HttpServlet {

    static final String PATH = "/_errors";
    private static final Logger LOG = Logger.getLogger(ErrorPages.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null && path.startsWith(request.getContextPath())) {
            path = path.substring(request.getContextPath().length());
        }
        Status status = code instanceof Integer c && Status.fromStatusCode(c) != null
                ? Status.fromStatusCode(c) : Status.INTERNAL_SERVER_ERROR;
        String type = null;
        String detail = status.getReasonPhrase() + ".";
        if (status == Status.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, Problems.BEARER_CHALLENGE + " error=\"invalid_token\"");
            type = "invalid-token";
            detail = "The bearer token is malformed, badly signed, expired or from an untrusted issuer.";
        } else if (status.getFamily() == Status.Family.SERVER_ERROR) {
            LOG.log(Level.SEVERE, "Unexpected failure on " + path, failure);
            detail = Problems.internalErrorDetail();
        }
        response.setStatus(status.getStatusCode());
        response.setContentType(Problems.PROBLEM_JSON.toString());
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(Problems.body(status, type,
                status == Status.UNAUTHORIZED ? "Authentication required" : status.getReasonPhrase(),
                detail, Map.of(), path));
    }
}
