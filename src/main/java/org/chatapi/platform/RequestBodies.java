package org.chatapi.platform;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** Reads JSON request bodies strictly, so each mistake gets a 400 that names it. */
public final class RequestBodies {

    /** The JSON-P provider, looked up once for the application: each lookup searches the class path. */
    public static final JsonProvider JSON = JsonProvider.provider();

    /** Digits a JSON number may have before, and after, the decimal point where it is stored (tags). */
    static final int MAX_NUMBER_DIGITS = 1000;

    private RequestBodies() {
    }

    /** Whether the request comes with a body (a length above 0, or chunked). */
    public static boolean declared(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The body as a JSON object: empty, malformed, non-UTF-8 or non-object bodies are 400. */
    public static JsonObject object(byte[] bytes) {
        String body = utf8(bytes, "The request body is not valid UTF-8.");
        if (body == null || body.isBlank()) {
            throw new InvalidRequest("The request body must be a JSON object.");
        }
        JsonValue value;
        try (JsonParser parser = JSON.createParser(new StringReader(body))) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw new InvalidRequest("The request body has more after its JSON value.");
            }
        } catch (InvalidRequest e) {
            throw e;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw new InvalidRequest("The request body is not well-formed JSON.");
        } catch (RuntimeException e) {
            // The parser refuses input nested deeper than its limit (1000) with a bare RuntimeException.
            throw new InvalidRequest("The request body is not well-formed JSON, or nested too deeply.");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequest("The request body must be a JSON object.");
        }
        return value.asJsonObject();
    }

    /**
     * A required text member: a JSON string that is not blank, holds no NUL or unpaired surrogate, and has at most
     * {@code maxLength} characters (Unicode code points).
     */
    public static String requiredText(JsonObject body, String name, int maxLength) {
        JsonValue value = body.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidRequest("\"" + name + "\" is required.");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidRequest("\"" + name + "\" must be a string.");
        }
        return checkText(((JsonString) value).getString(), name, maxLength);
    }

    /** An optional text member: absent or null gives null; otherwise as {@link #requiredText}. */
    public static String optionalText(JsonObject body, String name, int maxLength) {
        JsonValue value = body.get(name);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null
                : requiredText(body, name, maxLength);
    }

    /** Checks text from any source (JSON member, form field, path segment) against the same rules. */
    public static String checkText(String text, String name, int maxLength) {
        String problem = problemWith(text, maxLength);
        if (problem != null) {
            throw new InvalidRequest("\"" + name + "\" " + problem);
        }
        return text;
    }

    /**
     * Why the text cannot be stored exactly as it is (blank, longer than {@code maxLength} characters, holding NUL
     * or an unpaired UTF-16 surrogate, which PostgreSQL would refuse or silently replace), or null if it can.
     */
    public static String problemWith(String text, int maxLength) {
        if (text == null) {
            return "is required.";
        }
        if (text.isBlank()) {
            return "must not be blank.";
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            return "is " + length + " characters long; the maximum is " + maxLength + ".";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "must not contain the NUL character.";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate.";
            }
        }
        return null;
    }

    /** An optional JSON object member: absent or null gives null; anything but an object is 400. */
    public static JsonObject optionalObject(JsonObject body, String name, int maxBytes) {
        JsonValue value = body.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequest("\"" + name + "\" must be a JSON object.");
        }
        JsonObject object = value.asJsonObject();
        String json = object.toString();
        if (json.indexOf("\\u0000") >= 0) {
            throw new InvalidRequest("\"" + name + "\" must not contain the NUL character.");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new InvalidRequest("\"" + name + "\" is " + bytes + " bytes of JSON; the maximum is " + maxBytes + ".");
        }
        checkNumbers(object, name);
        return object;
    }

    /**
     * JSON numbers as PostgreSQL's jsonb stores them: exactly, as decimals. {@code 1e999999} is beyond what it can
     * hold, and {@code 1e-20000} would be stored as twenty thousand digits; both are refused.
     */
    private static void checkNumbers(JsonValue value, String name) {
        switch (value.getValueType()) {
            case OBJECT -> value.asJsonObject().values().forEach(member -> checkNumbers(member, name));
            case ARRAY -> value.asJsonArray().forEach(element -> checkNumbers(element, name));
            case NUMBER -> {
                BigDecimal number;
                try {
                    number = ((JsonNumber) value).bigDecimalValue();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw numberOutOfRange(name);
                }
                if (number.scale() > MAX_NUMBER_DIGITS || number.precision() - number.scale() > MAX_NUMBER_DIGITS) {
                    throw numberOutOfRange(name);
                }
            }
            default -> {
            }
        }
    }

    private static InvalidRequest numberOutOfRange(String name) {
        return new InvalidRequest("\"" + name + "\" holds a number with more than " + MAX_NUMBER_DIGITS
                + " digits before or after the decimal point.");
    }

    /**
     * The fields of an {@code application/x-www-form-urlencoded} body (the first value of each name), decoded
     * strictly: a bad percent escape or bytes that are not UTF-8 are 400.
     */
    public static Map<String, String> form(byte[] bytes) {
        String body = utf8(bytes, "The form body is not valid UTF-8.");
        Map<String, String> fields = new HashMap<>();
        if (body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = percentDecode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : percentDecode(pair.substring(equals + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw new InvalidRequest("The form body has a malformed percent escape.");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(bytes.toByteArray(), "The form body is not valid UTF-8.");
    }

    private static String utf8(byte[] bytes, String complaint) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes == null ? new byte[0] : bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequest(complaint);
        }
    }
}
