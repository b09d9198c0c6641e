package org.chatapi.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;

/** The rows a test makes for itself, through the API. */
public final class Seeds {

    private Seeds() {
    }

    /** A new room owned by the caller; its id. */
    public static String room(Api owner) {
        Api.Reply reply = owner.post("/room");
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return reply.json().getJsonObject("newRoom").getString("_id");
    }

    /** A message posted into the room; its id. */
    public static String message(Api author, String room, String text) {
        Api.Reply reply = author.postJson("/room/" + room + "/chat", Json.createObjectBuilder().add("chat", text).build());
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return reply.json().getJsonObject("chat").getString("_id");
    }
}
