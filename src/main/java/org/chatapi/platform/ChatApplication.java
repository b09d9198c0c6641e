package org.chatapi.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST API, served at the root of the context. Callers authenticate with a MicroProfile JWT bearer token;
 * the application must be a CDI bean for the token to be injectable.
 */
@ApplicationPath("/")
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(
        info = @Info(title = "Chat API", version = "1.0",
                description = "Rooms and the chat messages posted into them, and scoped chats bound to event rooms. "
                        + "Every error is application/problem+json (RFC 9457)."),
        security = @SecurityRequirement(name = "bearer"),
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = "bearer",
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")))
public class ChatApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        // The contract is the OpenAPI document at /openapi; no WADL answers OPTIONS. A Location stays the relative
        // reference the resource gave: resolving it would echo the Host header the client chose.
        return Map.of("jersey.config.server.wadl.disableWadl", true,
                "jersey.config.server.headers.location.relative.resolution.disabled", true);
    }
}
