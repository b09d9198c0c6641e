package org.chatapi.rooms.boundary;

import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.UUID;
import org.chatapi.platform.ApiException;

/** The message was posted longer ago than messages may be edited ({@code CHAT_EDIT_WINDOW_SECONDS}). */
public class EditWindowClosed extends ApiException {

    public EditWindowClosed(UUID id, Duration window) {
        super(Status.FORBIDDEN, "edit-window-closed", "Edit window closed",
                "Message " + id + " was posted more than " + window.toSeconds()
                        + " seconds ago; messages may be edited only within that time.");
    }
}
