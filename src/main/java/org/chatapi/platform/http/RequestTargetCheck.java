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
 * Refuses (400) a request whose target cannot be answered sensibly: a Host that is not a host name, an IPv4 address
 * or a bracketed IPv6 address with a port from 1 to 65535 (such a request cannot name this service; an empty Host,
 * or one whose port is not a number, never reaches the application: the server itself answers it), and a path with a
 * {@code .} or {@code ..} segment, escaped or not. The server maps a request to its handler by the decoded,
 * normalized path, while the routes read the path as sent: {@code /room/x%2F..%2F..%2Fhealth/chat} would otherwise be
 * answered by the health check. No route has such a segment.
 */
public class RequestTargetCheck implements Filter {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)(\\.|%2[eE]){1,2}(/|$)");

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
        if (DOT_SEGMENT.matcher(request.getRequestURI().replace("%2f", "/").replace("%2F", "/")).find()) {
            Problems.send((HttpServletResponse) res, Status.BAD_REQUEST, "invalid-request", "Invalid request",
                    "The path must not hold a '.' or '..' segment.", request.getRequestURI(),
                    RequestBodies.declared(request));
            return;
        }
        chain.doFilter(request, res);
    }
}
