package org.chatapi.platform.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * A servlet for a fixed set of files from the class path, mapped to {@code /<name>} and {@code /<name>/*}:
 * {@code /<name>} is redirected to {@code /<name>/}, a file it does not know is 404.
 */
public abstract class StaticFiles extends HttpServlet {

    /** A file to serve: where it is in the class path, its media type, and how long it may be cached. */
    public record File(String resource, String type, String cacheControl) {
    }

    /** The file for a path below the mapping ({@code /} for the page itself), or null. */
    protected abstract File file(String path);

    /** The Content-Security-Policy of every file served, or null for none. */
    protected String contentSecurityPolicy() {
        return null;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        File file = file(path);
        InputStream in = file == null ? null : StaticFiles.class.getResourceAsStream(file.resource());
        if (in == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (in) {
            response.setContentType(file.type());
            response.setHeader("Cache-Control", file.cacheControl());
            response.setHeader("X-Content-Type-Options", "nosniff");
            if (contentSecurityPolicy() != null) {
                response.setHeader("Content-Security-Policy", contentSecurityPolicy());
            }
            in.transferTo(response.getOutputStream());
        }
    }
}
