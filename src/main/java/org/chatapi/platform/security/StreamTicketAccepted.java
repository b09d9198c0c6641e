package org.chatapi.platform.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that authenticates a request without a bearer token by the {@code ticket} query
 * parameter itself (a room's or the inbox's event stream, for a browser's EventSource; an export's file, for a
 * browser's download link): {@link BearerAuthentication} lets such a request through to it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamTicketAccepted {

    /** The query parameter that carries the ticket. */
    String PARAMETER = "ticket";
}
