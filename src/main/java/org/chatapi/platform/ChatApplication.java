package org.chatapi.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST API, served at the root of the context. Callers authenticate with a MicroProfile JWT bearer token;
 * the application must be a CDI bean for the token to be injectable. Its contract is the static OpenAPI document
 * {@code src/main/resources/openapi.yaml}, served at {@code /openapi}.
 */
@ApplicationPath("/")
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
public class ChatApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        // The contract is the OpenAPI document at /openapi; no WADL answers OPTIONS. A Location stays the relative
        // reference the resource gave: resolving it would echo the Host header the client chose.
        return Map.of("jersey.config.server.wadl.disableWadl", true,
                "jersey.config.server.headers.location.relative.resolution.disabled", true);
    }
}
