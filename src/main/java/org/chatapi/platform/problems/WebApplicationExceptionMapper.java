package org.chatapi.platform.problems;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import java.util.TreeSet;

/** Unknown paths, unsupported methods and media types, unreadable bodies: the HTTP-level 4xx answers. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
            return Problems.internalError(exception, "/" + uri.getPath());
        }
        Response.ResponseBuilder problem = Response.fromResponse(Problems.of(status, null, detail(exception), uri.getPath()));
        if (exception instanceof NotAllowedException) {
            problem.allow(allowed(original.getAllowedMethods()));
        }
        return problem.build();
    }

    /** What JAX-RS says a resource serves, with the HEAD it answers for every GET (which it leaves out). */
    private static Set<String> allowed(Set<String> methods) {
        Set<String> allowed = new TreeSet<>(methods);
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        return allowed;
    }

    private String detail(WebApplicationException exception) {
        if (exception instanceof NotFoundException) {
            return "No resource at " + "/" + uri.getPath() + ".";
        }
        if (exception instanceof NotAllowedException) {
            return "This resource does not support that method.";
        }
        if (exception instanceof NotSupportedException) {
            return "This resource does not accept that content type.";
        }
        return switch (exception.getResponse().getStatus()) {
            case 400 -> "The request could not be read.";
            case 406 -> "This resource cannot answer in a media type the request accepts.";
            default -> exception.getResponse().getStatusInfo().getReasonPhrase();
        };
    }
}
