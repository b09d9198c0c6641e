package org.chatapi.platform.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.util.regex.Pattern;
import org.chatapi.platform.RequestBodies;
import org.chatapi.platform.problems.Problems;

/**
 * Refuses a request whose Host is not a host name, an IPv4 address or a bracketed IPv6 address with a port from 1 to
 * 65535 (400): such a request cannot name this service, and nothing about it can be answered sensibly. (An empty
 * Host, or one whose port is not a number, never reaches the application: the server itself answers it.)
 */
public class HostCheck implements Filter {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        int port = request.getServerPort();
        if (!HOST.matcher(request.getServerName()).matches() || port < 1 || port > 65535) {
            Problems.send((HttpServletResponse) res, Status.BAD_REQUEST, "invalid-host", "Bad Request",
                    "The Host header must be a host name or address, with a port from 1 to 65535.",
                    request.getRequestURI(), RequestBodies.declared(request));
            return;
        }
        chain.doFilter(request, res);
    }
}
