package org.chatapi.platform.openapi;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatapi.platform.Limits;
import org.chatapi.platform.RequestBodies;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Serves the contract, {@code openapi.yaml} (in the class path), at {@code /openapi}: YAML by default, JSON for
 * {@code Accept: application/json} or {@code ?format=JSON}. The document is written by hand and served as written,
 * but for the limits this server is configured with; the application server's own OpenAPI generator would drop its
 * {@code x-} extensions and add members OpenAPI does not define. An exact servlet mapping, so it is answered here
 * whatever else the server maps under {@code /openapi/}.
 */
@WebServlet(urlPatterns = "/openapi", loadOnStartup = 1)
public class OpenApiDocument extends HttpServlet {

    static final String SOURCE = "/openapi.yaml";
    static final String YAML_TYPE = "application/yaml";
    static final String JSON_TYPE = "application/json";
    /** The schemas of a message's text, as JSON and as a form. */
    static final List<String> MESSAGE_BODIES = List.of("NewMessage", "NewMessageFields");

    @Inject
    transient Limits limits;

    private transient byte[] yaml;
    private transient byte[] json;

    @Override
    public void init() throws ServletException {
        Map<String, Object> document = configured(read(), limits);
        yaml = new Yaml(dumperOptions()).dump(document).getBytes(StandardCharsets.UTF_8);
        json = toJson(document).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean asJson = wantsJson(request.getParameter("format"), request.getHeader("Accept"));
        response.setContentType(asJson ? JSON_TYPE : YAML_TYPE);
        response.setHeader("Vary", "Accept");
        byte[] body = asJson ? json : yaml;
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static boolean wantsJson(String format, String accept) {
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(JSON_TYPE);
    }

    static Map<String, Object> read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(SOURCE)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document with the limits this server applies in place of the defaults it states. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> configured(Map<String, Object> document, Limits limits) {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        for (String body : MESSAGE_BODIES) {
            Map<String, Object> message = (Map<String, Object>) schemas.get(body);
            Map<String, Object> text = (Map<String, Object>) ((Map<String, Object>) message.get("properties")).get("chat");
            text.put("maxLength", limits.maxMessageLength());
        }
        return document;
    }

    private static DumperOptions dumperOptions() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        options.setSplitLines(false);
        return options;
    }

    @SuppressWarnings("unchecked")
    static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = RequestBodies.JSON.createObjectBuilder();
            ((Map<String, Object>) map).forEach((name, member) -> object.add(name, toJson(member)));
            return object.build();
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = RequestBodies.JSON.createArrayBuilder();
            list.forEach(item -> array.add(toJson(item)));
            return array.build();
        }
        if (value instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long) {
            return RequestBodies.JSON.createValue(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return RequestBodies.JSON.createValue(big);
        }
        if (value instanceof Double number) {
            return RequestBodies.JSON.createValue(BigDecimal.valueOf(number));
        }
        if (value instanceof String text) {
            return RequestBodies.JSON.createValue(text);
        }
        throw new IllegalArgumentException("A value OpenAPI has no JSON for: " + value.getClass().getName());
    }
}
