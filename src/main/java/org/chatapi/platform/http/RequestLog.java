package org.chatapi.platform.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.logging.Logger;
import org.chatapi.platform.RequestIds;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives every request its id ({@link RequestIds}) and writes one access log line when it is answered (logger
 * {@code org.chatapi.access}): method, path without the query (which may carry what should not be logged), status,
 * duration, caller and request id. A stream is logged when it ends. A request the container refused before any
 * filter ran (a bad token) is seen here in its error dispatch, and logged then.
 */
public class RequestLog implements Filter {

    private static final Logger ACCESS = Logger.getLogger("org.chatapi.access");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() == DispatcherType.ERROR && RequestIds.assigned(request)) {
            chain.doFilter(request, response);  // logged by the dispatch that raised the error
            return;
        }
        long started = System.nanoTime();
        response.setHeader(RequestIds.HEADER, RequestIds.of(request));
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        log(request, response, started);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                log(request, response, started);
            }
        }
    }

    private static void log(HttpServletRequest request, HttpServletResponse response, long started) {
        Principal principal = request.getUserPrincipal();
        String caller = principal instanceof JsonWebToken token ? token.getSubject()
                : principal == null ? "-" : principal.getName();
        long millis = (System.nanoTime() - started) / 1_000_000;
        ACCESS.info(() -> request.getMethod() + " " + request.getRequestURI() + " " + response.getStatus() + " "
                + millis + "ms caller=" + caller + " request=" + RequestIds.of(request));
    }
}
