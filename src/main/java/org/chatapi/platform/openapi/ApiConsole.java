package org.chatapi.platform.openapi;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Swagger UI at {@code /docs/}, on the served document ({@code /openapi}): a person can authorize with a bearer token
 * and try every operation from a browser. The page and its start script are the application's ({@code docs/}); the
 * rest comes from the Swagger UI web jar. Only the files named here are served.
 */
@WebServlet(urlPatterns = {"/docs", "/docs/*"})
public class ApiConsole extends HttpServlet {

    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final Map<String, String> OWN = Map.of(
            "/", "text/html; charset=UTF-8",
            "/console.js", "text/javascript; charset=UTF-8");
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
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String file = request.getPathInfo();
        if (file == null) {
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getContextPath() + "/docs/");
            return;
        }
        String resource;
        String type;
        if (OWN.containsKey(file)) {
            resource = "/docs" + (file.equals("/") ? "/index.html" : file);
            type = OWN.get(file);
            response.setHeader("Cache-Control", "no-cache");
        } else if (SWAGGER_UI.containsKey(file)) {
            resource = webjar + file;
            type = SWAGGER_UI.get(file);
            response.setHeader("Cache-Control", "public, max-age=86400");
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = ApiConsole.class.getResourceAsStream(resource)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(type);
            response.setHeader("X-Content-Type-Options", "nosniff");
            in.transferTo(response.getOutputStream());
        }
    }
}
