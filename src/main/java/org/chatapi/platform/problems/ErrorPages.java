package org.chatapi.platform.problems;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.RequestIds;

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
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            // Asked for directly: there is nothing here for clients.
            code = Status.NOT_FOUND.getStatusCode();
        }
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
            LOG.log(Level.SEVERE, "Unexpected failure on " + path + " (request " + RequestIds.of(request) + ")", failure);
            detail = Problems.internalErrorDetail();
        }
        // These refusals come before anything read the request's body (the token is checked first).
        Problems.send(response, status, type,
                status == Status.UNAUTHORIZED ? "Authentication required" : status.getReasonPhrase(), detail, path,
                RequestBodies.declared(request));
    }
}
