package org.chatapi.webclient;

import jakarta.servlet.annotation.WebServlet;
import java.util.Map;
import org.chatapi.platform.http.StaticFiles;

/**
 * The web chat client at {@code /app/}: plain HTML, CSS and JavaScript on the service's own API (files in
 * {@code app/} of the class path), no build step.
 */
@WebServlet(urlPatterns = {"/app", "/app/*"})
public class WebClient extends StaticFiles {

    private static final Map<String, File> FILES = Map.of(
            "/", new File("/app/index.html", "text/html; charset=UTF-8", "no-cache"),
            "/app.css", new File("/app/app.css", "text/css; charset=UTF-8", "no-cache"),
            "/app.js", new File("/app/app.js", "text/javascript; charset=UTF-8", "no-cache"));

    /** Its own scripts, styles and API only: no inline script, no other origin, not framed. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected File file(String path) {
        return FILES.get(path);
    }

    @Override
    protected String contentSecurityPolicy() {
        return POLICY;
    }
}
