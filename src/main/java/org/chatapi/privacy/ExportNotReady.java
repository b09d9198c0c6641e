package org.chatapi.privacy;

import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** The export's file is still being written: its state says when it is done. */
public class ExportNotReady extends ApiException {

    public ExportNotReady(UUID id) {
        super(Status.CONFLICT, "export-not-ready", "Export not ready",
                "Export " + id + " is still being written; GET /exports/" + id + " says when it is done.");
    }
}
