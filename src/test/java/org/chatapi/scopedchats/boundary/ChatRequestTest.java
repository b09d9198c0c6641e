package org.chatapi.scopedchats.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.UUID;
import org.chatapi.platform.InvalidRequest;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    @Test
    void readsACreateRequest() {
        ChatRequest request = ChatRequest.create(json("{\"scope\":\"lesson/1\",\"audience\":\"school-1\","
                + "\"tags\":{\"teacher\":\"Kim\"}}"), 1000);
        assertThat(request.scope()).isEqualTo("lesson/1");
        assertThat(request.audience()).isEqualTo("school-1");
        assertThat(request.tags().getString("teacher")).isEqualTo("Kim");
        assertThat(request.eventRoomId()).isNull();
    }

    @Test
    void readsAConvertRequestWithItsRoom() {
        UUID room = UUID.randomUUID();
        ChatRequest request = ChatRequest.convert(json("{\"scope\":\"s\",\"audience\":\"a\",\"event_room_id\":\""
                + room + "\"}"), 1000);
        assertThat(request.eventRoomId()).isEqualTo(room);
        assertThat(request.tags()).isNull();
    }

    @Test
    void refusesMissingBlankWrongTypedOrOverlongFields() {
        for (String body : new String[] {"{\"audience\":\"a\"}", "{\"scope\":\"s\"}", "{\"scope\":\" \",\"audience\":\"a\"}",
                "{\"scope\":1,\"audience\":\"a\"}", "{\"scope\":\"s\",\"audience\":\"" + "a".repeat(101) + "\"}",
                "{\"scope\":\"" + "s".repeat(501) + "\",\"audience\":\"a\"}", "{\"scope\":\"s\",\"audience\":\"a\",\"tags\":[]}",
                "{\"scope\":\"s\",\"audience\":\"a\",\"tags\":{\"long\":\"" + "x".repeat(1000) + "\"}}"}) {
            assertThatThrownBy(() -> ChatRequest.create(json(body), 1000)).as(body).isInstanceOf(InvalidRequest.class);
        }
    }

    @Test
    void refusesAConvertRequestWithoutAUuidRoom() {
        for (String room : new String[] {"", ",\"event_room_id\":null", ",\"event_room_id\":7", ",\"event_room_id\":\"x\""}) {
            assertThatThrownBy(() -> ChatRequest.convert(json("{\"scope\":\"s\",\"audience\":\"a\"" + room + "}"), 1000))
                    .as(room).isInstanceOf(InvalidRequest.class);
        }
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
