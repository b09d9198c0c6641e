package org.chatapi.platform.openapi;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.chatapi.platform.http.StaticFiles;

/**
 * Swagger UI at {@code /docs/}, on the served document ({@code /openapi}): a person can authorize with a bearer token
 * and try every operation from a browser. The page and its start script are the application's ({@code docs/}); the
 * rest comes from the Swagger UI web jar. Only the files named here are served.
 */
@WebServlet(urlPatterns = {"/docs", "/docs/*"})
public class ApiConsole extends StaticFiles {

    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final Map<String, File> OWN = Map.of(
            "/", new File("/docs/index.html", "text/html; charset=UTF-8", "no-cache"),
            "/console.js", new File("/docs/console.js", "text/javascript; charset=UTF-8", "no-cache"));
    private static final Map<String, String> SWAGGER_UI = Map.of(
            "/swagger-ui.css", "text/css; charset=UTF-8",
            "/swagger-ui-bundle.js", "text/javascript; charset=UTF-8",
            "/swagger-ui-standalone-preset.js", "text/javascript; charset=UTF-8",
            "/favicon-32x32.png", "image/png");

    private transient String webjar;

    @Override
    public void init() throws ServletException {
        Properties pom = new Properties();
        try (InputStream in = ApiConsole.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new ServletException("Swagger UI is missing from the application (" + WEBJAR_POM + ")");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webjar = "/META-INF/resources/webjars/swagger-ui/" + pom.getProperty("version");
    }

    @Override
    protected File file(String path) {
        String type = SWAGGER_UI.get(path);
        return type == null ? OWN.get(path) : new File(webjar + path, type, "public, max-age=86400");
    }
}
