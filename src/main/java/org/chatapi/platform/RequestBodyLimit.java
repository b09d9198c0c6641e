package org.chatapi.platform;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses bodies over {@link Limits#maxBodyBytes()} with 413, before anything reads them. */
@Provider
@PreMatching
public class RequestBodyLimit implements ContainerRequestFilter {

    @Inject
    Limits limits;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        long limit = limits.maxBodyBytes();
        int declared = request.getLength();
        if (declared > limit) {
            throw new PayloadTooLarge(limit);
        } else if (declared < 0 && request.hasEntity()) {
            // A chunked body has no declared length: read it up to the limit, then hand the bytes on.
            InputStream body = request.getEntityStream();
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new PayloadTooLarge(limit);
            } else {
                request.setEntityStream(new ByteArrayInputStream(bytes));
            }
        }
    }
}
