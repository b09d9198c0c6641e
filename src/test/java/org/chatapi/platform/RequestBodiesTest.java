package org.chatapi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodiesTest {

    private static JsonObject object(String json) {
        return RequestBodies.object(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnObject() {
        assertThat(RequestBodies.requiredText(object(" {\"chat\": \"héllo 😀\"} \n"), "chat", 100)).isEqualTo("héllo 😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "1", "\"x\"", "null", "{", "{\"a\":1} {}", "{\"a\":1} x", "{\"a\":1,}", "{a:1}"})
    void refusesAnythingButOneWellFormedObject(String body) {
        assertThatThrownBy(() -> object(body)).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void refusesBodiesNestedTooDeeply() {
        assertThatThrownBy(() -> object("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"))
                .isInstanceOf(InvalidRequest.class);
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertThatThrownBy(() -> RequestBodies.object(body)).isInstanceOf(InvalidRequest.class).hasMessageContaining("UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"chat\":null}", "{\"chat\":1}", "{\"chat\":false}", "{\"chat\":{}}", "{\"chat\":[]}",
            "{\"chat\":\"\"}", "{\"chat\":\" \\t\\n\"}", "{\"chat\":\"a\\u0000b\"}", "{\"chat\":\"\\udc00\"}",
            "{\"chat\":\"\\ud800x\"}", "{\"chat\":\"12345678901\"}"})
    void refusesTextThatBreaksARule(String body) {
        assertThatThrownBy(() -> RequestBodies.requiredText(object(body), "chat", 10))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("\"chat\"");
    }

    @Test
    void countsLengthInCharactersNotUtf16Units() {
        String fourEmoji = "😀😀😀😀";
        assertThat(RequestBodies.checkText(fourEmoji, "chat", 4)).isEqualTo(fourEmoji);
        assertThatThrownBy(() -> RequestBodies.checkText(fourEmoji, "chat", 3)).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void acceptsOnlyObjectsAsOptionalObjects() {
        assertThat(RequestBodies.optionalObject(object("{}"), "tags", 100)).isNull();
        assertThat(RequestBodies.optionalObject(object("{\"tags\":null}"), "tags", 100)).isNull();
        assertThat(RequestBodies.optionalObject(object("{\"tags\":{\"a\":[1]}}"), "tags", 100)).containsKey("a");
        for (String body : new String[] {"{\"tags\":[]}", "{\"tags\":\"x\"}", "{\"tags\":1}", "{\"tags\":{\"a\":\"" + "x".repeat(100) + "\"}}"}) {
            assertThatThrownBy(() -> RequestBodies.optionalObject(object(body), "tags", 100)).isInstanceOf(InvalidRequest.class);
        }
    }

    @Test
    void decodesFormsStrictly() {
        assertThat(RequestBodies.form("chat=a+b%20c%F0%9F%98%80&chat=second&x".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("chat", "a b c😀").containsEntry("x", "");
        assertThat(RequestBodies.form(new byte[0])).isEmpty();
        for (String form : new String[] {"chat=%", "chat=%4", "chat=%zz", "chat=%FF"}) {
            assertThatThrownBy(() -> RequestBodies.form(form.getBytes(StandardCharsets.UTF_8))).isInstanceOf(InvalidRequest.class);
        }
    }
}
