package org.chatapi.platform;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The application's one JSON-B instance (they are costly to make and hold resources until closed). */
@ApplicationScoped
public class JsonWriter {

    private final Jsonb jsonb = JsonbBuilder.create();

    public String toJson(Object value) {
        return jsonb.toJson(value);
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close JSON-B", e);
        }
    }
}
