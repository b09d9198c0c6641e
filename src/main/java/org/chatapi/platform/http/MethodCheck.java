package org.chatapi.platform.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import org.chatapi.platform.ChatApplication;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.problems.ErrorPages;
import org.chatapi.platform.problems.Problems;

/**
 * Gives the servlets that are not the API (the health checks and metrics the server adds, the OpenAPI document, the
 * API console and the web client) one set of methods, as the API's routes have theirs: {@code GET}, {@code HEAD} and
 * {@code OPTIONS}. Any other method, {@code TRACE} included, is refused with a 405 problem and {@code Allow}: left to
 * the servlets, {@code TRACE} would echo the request back, {@code POST} reach the health check, and an unknown method
 * get the server's HTML 501 page. {@code OPTIONS} is answered here with {@code Allow} (a CORS preflight never gets
 * here), and {@code HEAD} is passed on as a {@code GET}, since the metrics servlet refuses it (the server sends the
 * answer's headers, {@code Content-Length} included, and no body).
 * The API's own routes answer 405 with {@code Allow} themselves (JAX-RS).
 */
public class MethodCheck implements Filter {

    static final String ALLOW = "GET, HEAD, OPTIONS";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String method = request.getMethod();
        if (servedByTheApi(request) || method.equals("GET")) {
            chain.doFilter(request, response);
        } else if (method.equals("HEAD")) {
            chain.doFilter(new AsGet(request), response);
        } else if (method.equals("OPTIONS")) {
            response.setHeader("Allow", ALLOW);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            response.setHeader("Allow", ALLOW);
            Problems.send(response, Status.METHOD_NOT_ALLOWED, null, Status.METHOD_NOT_ALLOWED.getReasonPhrase(),
                    "This path answers " + ALLOW + ".", request.getRequestURI(), RequestBodies.declared(request));
        }
    }

    /** The JAX-RS application's servlet, and the error pages (which answer 404 to anyone who asks for them). */
    private static boolean servedByTheApi(HttpServletRequest request) {
        String servlet = request.getHttpServletMapping().getServletName();
        return ChatApplication.class.getName().equals(servlet)
                || ErrorPages.class.getName().equals(servlet);
    }

    private static final class AsGet extends HttpServletRequestWrapper {
        AsGet(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }
}
