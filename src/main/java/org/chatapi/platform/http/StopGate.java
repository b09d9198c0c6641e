package org.chatapi.platform.http;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.problems.Problems;

/**
 * Counts the requests being served, and once the instance is stopping refuses new ones with 503 and
 * {@code Retry-After} (closing the connection), so that clients retry on another instance ({@link GracefulStop}).
 */
public class StopGate implements Filter {

    static final int RETRY_AFTER_SECONDS = 1;

    @Inject
    Lifecycle lifecycle;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!lifecycle.enter()) {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            Problems.send(response, Status.SERVICE_UNAVAILABLE, "stopping", "Service Unavailable",
                    "This instance is stopping; retry, and another will answer.",
                    request.getRequestURI().substring(request.getContextPath().length()), true);
            return;
        }
        try {
            chain.doFilter(req, res);
        } finally {
            lifecycle.exit();
        }
    }
}
