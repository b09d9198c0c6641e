package org.chatapi.privacy;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** No erasure or export has this id (or, for an export, none the caller may see). */
public class DataRequestNotFound extends ApiException {

    public DataRequestNotFound(String kind, UUID id) {
        super(Status.NOT_FOUND, kind + "-not-found", "Not found",
                "There is no " + kind + " " + id + " for this caller.");
    }
}
