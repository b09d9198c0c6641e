package org.chatapi.privacy;

import jakarta.ws.rs.core.Response.Status;
import org.chatapi.platform.ApiException;

/** The service holds nothing of the person named (no room, message, read marker or chat). */
public class PersonNotFound extends ApiException {

    public PersonNotFound() {
        super(Status.NOT_FOUND, "person-not-found", "Person not found",
                "The service holds no room, message, read marker or chat of this person.");
    }
}
