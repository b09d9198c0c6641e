package org.chatapi.platform.problems;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.chatapi.platform.ApiException;

@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(ApiException exception) {
        return Problems.of(exception, uri.getPath());
    }
}
