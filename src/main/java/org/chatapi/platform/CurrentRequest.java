package org.chatapi.platform;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * The HTTP request the current thread serves. The container's request-scoped {@code HttpServletRequest} bean is
 * not there when a request continues in an asynchronous dispatch (as it does once its body was read ahead, see
 * {@code platform.http.BodyPrefetch}), so the request is kept here, for either kind of dispatch, for as long as the
 * application handles it.
 */
public class CurrentRequest implements Filter {

    private static final ThreadLocal<HttpServletRequest> CURRENT = new ThreadLocal<>();

    /** The request this thread serves, or null. */
    public static HttpServletRequest find() {
        return CURRENT.get();
    }

    /** The request this thread serves. */
    public static HttpServletRequest get() {
        HttpServletRequest request = CURRENT.get();
        if (request == null) {
            throw new IllegalStateException("no HTTP request is being served on this thread");
        }
        return request;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest outer = CURRENT.get();
        CURRENT.set((HttpServletRequest) request);
        try {
            chain.doFilter(request, response);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
