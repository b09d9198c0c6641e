package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.chatapi.client.ApiClient;
import org.chatapi.client.ApiException;
import org.chatapi.client.ApiResponse;
import org.chatapi.client.api.InboxApi;
import org.chatapi.client.api.RoomsApi;
import org.chatapi.client.api.ScopedChatsApi;
import org.chatapi.client.model.Chat;
import org.chatapi.client.model.ConvertChat;
import org.chatapi.client.model.Marker;
import org.chatapi.client.model.MarkerUpdate;
import org.chatapi.client.model.EditHistory;
import org.chatapi.client.model.EditHistoryTextsInner;
import org.chatapi.client.model.Message;
import org.chatapi.client.model.MessageList;
import org.chatapi.client.model.NewChat;
import org.chatapi.client.model.NewMessage;
import org.chatapi.client.model.NewRoom;
import org.chatapi.client.model.ReadableRoom;
import org.chatapi.client.model.Room;
import org.chatapi.client.model.RoomProblem;
import org.chatapi.support.Api;
import org.chatapi.support.Browser;
import org.chatapi.support.Contract;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.yaml.snakeyaml.Yaml;

/**
 * The served OpenAPI document: the contract as written, valid OpenAPI 3.0, precise enough for tools, and good for
 * a client generated from it (the Java client of openapi-generator, built from the document at
 * {@code generate-test-sources}). That every exchange of the other tests matches it is {@link Contract}'s part.
 */
class OpenApiIT extends ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void theServedDocumentIsTheContractAsWrittenInYamlAndJson() throws Exception {
        Api.Reply yaml = Api.at(base).get("/openapi");
        Api.Reply json = Api.at(base).header("Accept", "application/json").get("/openapi");
        Api.Reply jsonByParameter = Api.at(base).get("/openapi?format=JSON");

        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(jsonByParameter.contentType()).startsWith("application/json");
        JsonNode written;
        try (InputStream source = OpenApiIT.class.getResourceAsStream("/openapi.yaml")) {
            written = JSON.valueToTree(new Yaml().load(source));
        }
        assertThat((JsonNode) JSON.valueToTree(new Yaml().load(yaml.body()))).isEqualTo(written);
        assertThat(JSON.readTree(json.body())).isEqualTo(written);
        assertThat(JSON.readTree(jsonByParameter.body())).isEqualTo(written);
    }

    @Test
    void theServedDocumentIsValidOpenApi30() throws Exception {
        JsonNode document = served();
        JsonNode metaSchema;
        try (InputStream schema = OpenApiIT.class.getResourceAsStream("/openapi/oas-3.0-schema.json")) {
            metaSchema = JSON.readTree(schema);
        }
        // Its id is where the OpenAPI Initiative publishes it; the copy here is used instead of fetching it.
        ((ObjectNode) metaSchema).remove("id");
        ProcessingReport report = JsonSchemaFactory.byDefault().getJsonSchema(metaSchema).validate(document);
        assertThat(report.isSuccess()).as("validation against the OpenAPI 3.0 schema: %s", report).isTrue();

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString());
        assertThat(parsed.getMessages()).as("what swagger-parser could not read").isEmpty();
        assertThat(document.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(document.has("endpoints")).as("a member OpenAPI does not define").isFalse();
        assertThat(document.path("servers").get(0).path("url").asText())
                .as("no host or port fixed in the document").isEqualTo("/");
    }

    @Test
    void everyOperationIsNamedOnceSaysWhoMayCallItAndListsItsProblems() throws Exception {
        JsonNode document = served();
        Set<String> operationIds = new HashSet<>();
        List<String> faults = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (!METHODS.contains(entry.getKey())) {
                return;
            }
            String name = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            JsonNode operation = entry.getValue();
            if (path.getKey().matches(".*[:*+\\s].*")) {
                faults.add(name + ": the path is not a plain template");
            }
            if (!operationIds.add(operation.path("operationId").asText())) {
                faults.add(name + ": operationId missing or repeated");
            }
            if (!operation.has("security")) {
                faults.add(name + ": no security requirement of its own");
            }
            boolean needsToken = operation.path("security").size() > 0;
            if (needsToken && !operation.path("x-required-groups").isArray()) {
                faults.add(name + ": no x-required-groups");
            }
            JsonNode responses = resolved(document, operation.path("responses"));
            if (needsToken && !responses.has("401")) {
                faults.add(name + ": no 401");
            }
            responses.fields().forEachRemaining(response -> {
                JsonNode answer = resolved(document, response.getValue());
                int status = Integer.parseInt(response.getKey());
                boolean problem = answer.path("content").has("application/problem+json");
                if (status >= 400 && needsToken && !entry.getKey().equals("head") && !problem) {
                    faults.add(name + " " + status + ": not a problem+json body");
                }
                if (status == 401 && !answer.path("headers").has("WWW-Authenticate")) {
                    faults.add(name + " 401: WWW-Authenticate not documented");
                }
                if (status == 503 && entry.getKey().matches("get|post") && needsToken
                        && !answer.path("headers").has("Retry-After")) {
                    faults.add(name + " 503: Retry-After not documented");
                }
                if (status == 201 && !answer.path("headers").has("Location")) {
                    faults.add(name + " 201: Location not documented");
                }
            });
            boolean idempotent = operation.path("parameters").toString().contains("IdempotencyKey");
            boolean body = operation.has("requestBody");
            if (idempotent && !(responses.has("409") && responses.has("422"))) {
                faults.add(name + ": an operation with an Idempotency-Key must list 409 and 422");
            }
            if (idempotent && body && !(responses.has("408") && responses.has("413"))) {
                faults.add(name + ": an operation with an Idempotency-Key and a body must list 408 and 413");
            }
        }));
        assertThat(faults).isEmpty();
        assertThat(operationIds).contains("listRooms", "createRoom", "getRoom", "listMessages", "postMessage",
                "getMessage", "followRoom", "createChat", "convertChat", "getChat", "getChatByScope");
    }

    @Test
    void everyResponseExampleMatchesItsSchema() throws Exception {
        JsonNode document = served();
        OpenApiInteractionValidator validator = Contract.of(URI.create(base.toString()));
        List<String> faults = new ArrayList<>();
        int examples = 0;
        for (Map.Entry<String, JsonNode> path : fields(document.path("paths"))) {
            String concretePath = path.getKey().replaceAll("\\{[^}]+}", "x");
            for (Map.Entry<String, JsonNode> operation : fields(path.getValue())) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                Request.Method method = Request.Method.valueOf(operation.getKey().toUpperCase(Locale.ROOT));
                for (Map.Entry<String, JsonNode> status : fields(resolved(document, operation.getValue().path("responses")))) {
                    JsonNode response = resolved(document, status.getValue());
                    for (Map.Entry<String, JsonNode> media : fields(response.path("content"))) {
                        List<JsonNode> values = new ArrayList<>();
                        if (media.getValue().has("example")) {
                            values.add(media.getValue().get("example"));
                        }
                        media.getValue().path("examples").forEach(example -> values.add(example.path("value")));
                        if (!media.getKey().endsWith("json")) {
                            continue;
                        }
                        for (JsonNode value : values) {
                            examples++;
                            SimpleResponse.Builder example = SimpleResponse.Builder
                                    .status(Integer.parseInt(status.getKey()))
                                    .withContentType(media.getKey())
                                    .withBody(value.toString());
                            for (Map.Entry<String, JsonNode> header : fields(response.path("headers"))) {
                                example.withHeader(header.getKey(), exampleOf(resolved(document, header.getValue())));
                            }
                            ValidationReport report = validator.validateResponse(concretePath, method, example.build());
                            if (report.hasErrors()) {
                                faults.add(method + " " + path.getKey() + " " + status.getKey() + ": "
                                        + SimpleValidationReportFormat.getInstance().apply(report));
                            }
                        }
                    }
                }
            }
        }
        assertThat(faults).isEmpty();
        assertThat(examples).as("examples checked").isGreaterThanOrEqualTo(8);
    }

    /**
     * The README's walkthrough, with the client openapi-generator makes from the served document: rooms, JSON and
     * form posts, one message, a counsellor's read marker and the inbox, history pages by their Link, scoped chats by id and by a scope holding '/', convert,
     * and the documented problem for a message of another room.
     */
    @Test
    void aClientGeneratedFromTheDocumentDoesTheWalkthrough() throws Exception {
        RoomsApi rooms = new RoomsApi(client(aliceToken));

        ApiResponse<NewRoom> created = rooms.createRoomWithHttpInfo(UUID.randomUUID().toString());
        assertThat(created.getStatusCode()).isEqualTo(201);
        Room room = created.getData().getNewRoom();
        assertThat(created.getHeaders().get("location")).containsExactly("/room/" + room.getId());
        assertThat(room.getV()).isZero();

        Message json = rooms.postMessage(room.getId(), new NewMessage().chat("안녕하세요 👋"), null).getChat();
        Message form = rooms.postMessageTrailingSlash(room.getId(), "a form & 100% + more", UUID.randomUUID().toString())
                .getChat();
        for (int i = 0; i < 3; i++) {
            rooms.postMessage(room.getId(), new NewMessage().chat("message " + i), null);
        }
        assertThat(json.getChat()).isEqualTo("안녕하세요 👋");
        assertThat(form.getChat()).isEqualTo("a form & 100% + more");
        assertThat(rooms.getMessage(room.getId(), form.getId()).getChat()).isEqualTo(form);

        ReadableRoom read = rooms.getRoom(room.getId()).getRoom();
        assertThat(read.getV()).isEqualTo(5);
        assertThat(read.getChats()).hasSize(5).startsWith(json.getId(), form.getId());

        String pro = Tokens.valid(Tokens.newSubject("counsellor"), "pro");
        InboxApi counsellor = new InboxApi(client(pro));
        Marker marker = counsellor.markRoomRead(room.getId(), new MarkerUpdate().chat(form.getId())).getMarker();
        assertThat(marker.getPosition()).isEqualTo(2);
        assertThat(marker.getUnread()).isEqualTo(3);
        assertThat(marker.getChat()).isEqualTo(form.getId());
        assertThat(new RoomsApi(client(pro)).getRoom(room.getId()).getRoom())
                .returns(2, ReadableRoom::getReadPosition).returns(3, ReadableRoom::getUnread)
                .returns(read.getWaitingSince(), ReadableRoom::getWaitingSince);
        assertThat(new InboxApi(client(aliceToken)).listInbox(null, null, null).getRooms())
                .extracting(ReadableRoom::getId).contains(room.getId());

        ApiResponse<MessageList> first = rooms.listMessagesWithHttpInfo(room.getId(), 2, null, null);
        assertThat(first.getData().getChats()).extracting(Message::getId).containsExactly(json.getId(), form.getId());
        Map<String, String> next = linkQuery(first.getHeaders().get("link"), "next");
        MessageList second = rooms.listMessages(room.getId(), Integer.valueOf(next.get("limit")),
                Integer.valueOf(next.get("after")), null);
        assertThat(second.getChats()).extracting(Message::getId).containsExactlyElementsOf(read.getChats().subList(2, 4));

        String audience = "school-" + UUID.randomUUID();
        String tenantToken = Tokens.valid(Tokens.newSubject("teacher"), "audience:" + audience);
        ScopedChatsApi chats = new ScopedChatsApi(client(tenantToken));
        String scope = "lesson/1 – Ünïcode";
        Chat chat = chats.createChat(new NewChat().scope(scope).audience(audience).tags(Map.of("teacher", "Kim")), null);
        assertThat(chat.getId()).isEqualTo(scope);
        assertThat(chat.getTags()).containsEntry("teacher", "Kim");
        assertThat(chats.getChatByScope(audience, scope)).isEqualTo(chat);
        assertThat(chats.getChat(chat.getChatId())).isEqualTo(chat);

        Room eventRoom = new RoomsApi(client(tenantToken)).createRoom(null).getNewRoom();
        Chat converted = chats.convertChat(new ConvertChat().scope("lesson/2").audience(audience)
                .eventRoomId(eventRoom.getId()), null);
        assertThat(converted.getRealTime().getEventRoomId()).isEqualTo(eventRoom.getId());
        assertThat(converted.getTags()).isNull();

        Message edited = rooms.editMessage(room.getId(), json.getId(), new NewMessage().chat("안녕하세요 👋 (고침)"),
                UUID.randomUUID().toString()).getChat();
        assertThat(edited).returns(json.getId(), Message::getId).returns(1, Message::getV)
                .returns("안녕하세요 👋 (고침)", Message::getChat);
        assertThat(edited.getEditedAt()).isNotNull();
        Message tombstone = new RoomsApi(client(pro)).deleteMessage(room.getId(), form.getId(), null, "personal data")
                .getChat();
        assertThat(tombstone).returns(true, Message::getDeleted).returns("", Message::getChat)
                .returns("personal data", Message::getDeleteReason);
        EditHistory history = rooms.getMessageEdits(room.getId(), json.getId());
        assertThat(history.getChat()).isEqualTo(edited);
        assertThat(history.getTexts()).extracting(EditHistoryTextsInner::getChat)
                .containsExactly("안녕하세요 👋", "안녕하세요 👋 (고침)");
        assertThat(rooms.listMessages(room.getId(), 2, null, null).getChats()).containsExactly(edited, tombstone);

        Room other = rooms.createRoom(null).getNewRoom();
        assertThatThrownBy(() -> rooms.getMessage(other.getId(), json.getId()))
                .isInstanceOfSatisfying(ApiException.class, failure -> {
                    assertThat(failure.getCode()).isEqualTo(400);
                    RoomProblem problem = readProblem(failure);
                    assertThat(problem.getMessage()).isEqualTo(RoomProblem.MessageEnum.WRONG_ROOM_AND_CHAT);
                    assertThat(problem.getError()).isEqualTo(problem.getDetail());
                    assertThat(problem.getType()).isEqualTo("urn:chat-api:problem:wrong-room-and-chat");
                });
    }

    /** Swagger UI at /docs/ reads the served document; a person authorizes with a token and tries an operation. */
    @Test
    void swaggerUiTriesAnOperationWithTheCallersToken() {
        try (Browser browser = Browser.start()) {
            ChromeDriver page = browser.driver();
            page.get(base + "docs/");
            WebDriverWait wait = browser.waitUpTo(Duration.ofSeconds(20));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("operations-Rooms-createRoom")));
            assertThat(page.findElement(By.cssSelector(".info .title")).getText()).startsWith("Chat API");

            page.findElement(By.cssSelector(".auth-wrapper .authorize")).click();
            WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".modal-ux input[type=text], .modal-ux input[type=password]")));
            token.sendKeys(aliceToken);
            page.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper .modal-btn.authorize")).click();
            page.findElement(By.cssSelector(".modal-ux .modal-ux-header .close-modal")).click();

            WebElement operation = page.findElement(By.id("operations-Rooms-createRoom"));
            operation.findElement(By.cssSelector(".opblock-summary-control")).click();
            // The operation's body is rendered after the click: wait for its buttons by locator, not by element.
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Rooms-createRoom .try-out__btn")))
                    .click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-Rooms-createRoom .execute")))
                    .click();
            WebElement status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(operation,
                    By.cssSelector(".live-responses-table .response .response-col_status"))).get(0);
            assertThat(status.getText()).startsWith("201");
            String body = operation.findElements(By.cssSelector(".live-responses-table pre")).stream()
                    .map(WebElement::getText).collect(Collectors.joining("\n"));
            assertThat(body).contains("new Room Created").contains("alice-");
        }
    }

    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private static RoomProblem readProblem(ApiException failure) {
        try {
            return new ApiClient().getObjectMapper().readValue(failure.getResponseBody(), RoomProblem.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(failure.getResponseBody(), e);
        }
    }

    /** The query parameters of the Link target with this rel. */
    private static Map<String, String> linkQuery(List<String> links, String rel) {
        Pattern pattern = Pattern.compile("<([^>]+)>;\\s*rel=\"" + rel + "\"");
        for (String link : links) {
            Matcher matcher = pattern.matcher(link);
            if (matcher.find()) {
                URI target = URI.create(matcher.group(1));
                Map<String, String> query = new java.util.HashMap<>();
                for (String pair : target.getQuery().split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(parts[0], parts[1]);
                }
                return query;
            }
        }
        throw new AssertionError("no Link rel=" + rel + " in " + links);
    }

    /** A value of a header that its schema allows. */
    private static String exampleOf(JsonNode header) {
        JsonNode schema = header.path("schema");
        if (schema.has("example")) {
            return schema.get("example").asText();
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        return schema.path("type").asText().equals("integer") ? "1" : "/room/x";
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        return fields;
    }

    private JsonNode served() throws Exception {
        return JSON.readTree(Api.at(base).get("/openapi?format=JSON").body());
    }

    /** A {@code $ref} to a component, followed; anything else as it is. */
    private static JsonNode resolved(JsonNode document, JsonNode node) {
        if (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode target = document;
            for (String part : parts) {
                target = target.path(part);
            }
            return target;
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            copy.fields().forEachRemaining(field -> {
                if (field.getValue().has("$ref")) {
                    field.setValue(resolved(document, field.getValue()));
                }
            });
            return copy;
        }
        return node;
    }
}
