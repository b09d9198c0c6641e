package org.chatapi.platform.openapi;

import java.util.Map;
import org.chatapi.platform.idempotency.IdempotencyInterceptor;
import org.chatapi.platform.problems.Problems;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error model once for every operation: each may answer with an RFC 9457 problem for the client
 * mistakes and refusals it can meet, so the OpenAPI document shows the errors next to each route.
 */
public class OpenApiErrorModel implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Map<String, String> COMMON = Map.of(
            "400", "Malformed id, body or parameter",
            "401", "No valid bearer token (WWW-Authenticate: Bearer)",
            "403", "The token does not grant this",
            "404", "Unknown id or path",
            "503", "The database is unreachable; retry after Retry-After seconds");
    private static final Map<String, String> WITH_BODY = Map.of(
            "413", "Request body over the configured limit",
            "415", "Unsupported content type");

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        add(responses, COMMON);
        if (operation.getRequestBody() != null) {
            add(responses, WITH_BODY);
        }
        return operation;
    }

    @Override
    public PathItem filterPathItem(PathItem pathItem) {
        Operation post = pathItem.getPOST();
        if (post != null) {
            post.addParameter(OASFactory.createParameter()
                    .name(IdempotencyInterceptor.HEADER)
                    .in(Parameter.In.HEADER)
                    .description("Makes the POST safe to retry: the first completed response is stored for this caller "
                            + "and key (at least 24 hours) and replayed for a retry; the key with a different request "
                            + "is 422, a retry while the first still runs is 409.")
                    .schema(OASFactory.createSchema().type(Schema.SchemaType.STRING).maxLength(255)));
            add(post.getResponses(), Map.of(
                    "409", "Conflict (for an Idempotency-Key: its first request is still running)",
                    "422", "Unprocessable (for an Idempotency-Key: it was used for a different request)"));
        }
        return pathItem;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        components.addSchema("Problem", OASFactory.createSchema()
                .type(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details. Room routes add \"error\" (= detail) and, for a message of "
                        + "another room, \"message\": \"wrong room and chat\".")
                .addProperty("type", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("error", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("message", OASFactory.createSchema().type(Schema.SchemaType.STRING)));
    }

    private static void add(APIResponses responses, Map<String, String> problems) {
        problems.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse()
                        .description(description)
                        .content(problemContent()));
            }
        });
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problems.PROBLEM_JSON.toString(),
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }
}
