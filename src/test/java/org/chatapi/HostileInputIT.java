package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Database;
import org.chatapi.support.ProblemAssert;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property-based hostile input over every route and field, generated with jqwik: whatever a client sends, the
 * answer is never a 5xx, every refusal is a problem+json, and a refused request leaves every table as it was.
 * The number of samples per property: -Dchat.hostile.samples (default 60).
 */
class HostileInputIT extends ServerTest {

    private static final int SAMPLES = Integer.getInteger("chat.hostile.samples", 60);

    String audience;
    Api tenant;
    String room;
    String message;
    String chatId;

    @BeforeEach
    void seed() {
        audience = "hostile-" + UUID.randomUUID();
        tenant = Api.at(base).as(Tokens.valid(Tokens.newSubject("tenant"), "audience:" + audience));
        room = tenant.post("/room").json().getJsonObject("newRoom").getString("_id");
        message = tenant.postJson("/room/" + room + "/chat", "{\"chat\":\"seed\"}").json().getJsonObject("chat").getString("_id");
        chatId = tenant.postJson("/api/v1/chats", Json.createObjectBuilder().add("scope", "seed").add("audience", audience)
                .build()).json().getString("chat_id");
    }

    @Test
    void messageBodiesNeverBreakTheService() {
        JsonObject valid = Json.createObjectBuilder().add("chat", "hello").build();
        hostileJson(valid).sampleStream().limit(SAMPLES * 3L)
                .forEach(body -> check("POST chat " + describe(body), () -> tenant.post("/room/" + room + "/chat",
                        "application/json", body)));
        hostileForms().sampleStream().limit(SAMPLES)
                .forEach(body -> check("POST form " + describe(body), () -> tenant.post("/room/" + room + "/chat",
                        "application/x-www-form-urlencoded", body)));
    }

    @Test
    void chatBodiesNeverBreakTheService() {
        JsonObject create = Json.createObjectBuilder().add("scope", "s").add("audience", audience)
                .add("tags", Json.createObjectBuilder().add("k", "v")).build();
        hostileJson(create).sampleStream().limit(SAMPLES * 2L)
                .forEach(body -> check("POST chats " + describe(body), () -> tenant.post("/api/v1/chats",
                        "application/json", body)));
        JsonObject convert = Json.createObjectBuilder(create).add("event_room_id", room).build();
        hostileJson(convert).sampleStream().limit(SAMPLES * 2L)
                .forEach(body -> check("POST convert " + describe(body), () -> tenant.post("/api/v1/chats/convert",
                        "application/json", body)));
    }

    @Test
    void pathsAndQueriesNeverBreakTheService() {
        Arbitrary<String> segment = Arbitraries.oneOf(text(), Arbitraries.of(room, message, chatId, UUID.randomUUID().toString(),
                "", "..", "%", "null", "-1", "0", "2147483648", "00000000-0000-0000-0000-000000000000", "5f8d80cab253f82b2247169a"))
                // The server itself refuses a NUL in the path before any application sees it (see below).
                .filter(value -> value.indexOf('\u0000') < 0)
                .map(Api::encode);
        segment.sampleStream().limit(SAMPLES).forEach(x -> {
            check("GET room " + x, () -> tenant.get("/room/" + x));
            check("GET message " + x, () -> tenant.get("/room/" + room + "/chat/" + x));
            check("GET message in " + x, () -> tenant.get("/room/" + x + "/chat/" + message));
            check("GET history ?" + x, () -> tenant.get("/room/" + room + "/chat?limit=" + x + "&after=" + x));
            check("GET history ?before" + x, () -> tenant.get("/room/" + room + "/chat?before=" + x));
            check("GET rooms ?" + x, () -> tenant.get("/room?limit=" + x + "&after=" + x));
            check("GET chat " + x, () -> tenant.get("/api/v1/chats/" + x));
            check("GET scoped " + x, () -> tenant.get("/api/v1/audiences/" + Api.encode(audience) + "/chats/" + x));
            check("GET scoped audience " + x, () -> tenant.get("/api/v1/audiences/" + x + "/chats/seed"));
            check("POST chat into " + x, () -> tenant.postJson("/room/" + x + "/chat", "{\"chat\":\"x\"}"));
        });
    }

    @Test
    void aNulInThePathIsRefusedByTheServerItself() {
        String before = Database.rowCounts();
        assertThat(tenant.get("/room/a%00b").status()).isEqualTo(400);
        assertThat(tenant.postJson("/room/" + room + "%00/chat", "{\"chat\":\"x\"}").status()).isEqualTo(400);
        assertThat(Database.rowCounts()).isEqualTo(before);
    }

    @Test
    void headersNeverBreakTheService() {
        Arbitrary<String> headerValue = Arbitraries.strings().withCharRange('\u0020', '\u007e').ofMaxLength(300);
        headerValue.sampleStream().limit(SAMPLES).forEach(value -> {
            check("Idempotency-Key " + value, () -> tenant.header("Idempotency-Key", value)
                    .postJson("/room/" + room + "/chat", "{\"chat\":\"keyed\"}"));
            check("Last-Event-ID " + value, () -> tenant.header("Last-Event-ID", value).get("/room/" + UUID.randomUUID() + "/events"));
            check("Content-Type " + value, () -> tenant.post("/room/" + room + "/chat", value,
                    "{\"chat\":\"typed\"}"));
            check("Authorization " + value, () -> Api.at(base).header("Authorization", value).get("/room/" + room));
            check("Accept " + value, () -> tenant.header("Accept", value).get("/room/" + room));
        });
    }

    @Test
    void forgedTokensAreAlways401() {
        String subject = Tokens.newSubject("forger");
        String good = Tokens.valid(subject);
        String[] parts = good.split("\\.");
        String adminPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"groups\":[]", "\"groups\":[\"admin\"]")
                .getBytes(StandardCharsets.UTF_8));
        List<String> forged = List.of(parts[0] + "." + adminPayload + "." + parts[2], parts[0] + "." + parts[1] + ".",
                Tokens.unsigned(subject, "admin"), Tokens.expired(subject, "admin"), Tokens.wrongIssuer(subject, "admin"),
                Tokens.badSignature(subject, "admin"), "e30.e30.e30", good.substring(0, good.length() / 2));
        for (String token : forged) {
            Api forger = Api.at(base).as(token);
            for (Supplier<Reply> request : List.<Supplier<Reply>>of(() -> forger.get("/room"), () -> forger.post("/room"),
                    () -> forger.postJson("/room/" + room + "/chat", "{\"chat\":\"forged\"}"),
                    () -> forger.postJson("/api/v1/chats", "{\"scope\":\"x\",\"audience\":\"" + audience + "\"}"),
                    () -> forger.get("/api/v1/chats/" + chatId))) {
                String before = Database.rowCounts();
                ProblemAssert.assertProblem(request.get(), 401);
                assertThat(Database.rowCounts()).isEqualTo(before);
            }
        }
    }

    @Test
    void hugeAndDeepBodiesAreRefusedCleanly() {
        for (byte[] body : List.of("[".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
                ("{\"chat\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_001)).getBytes(StandardCharsets.US_ASCII),
                ("{\"chat\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII),
                new byte[2 * 1024 * 1024])) {
            check("huge or deep body of " + body.length + " bytes", () -> tenant.post("/room/" + room + "/chat",
                    "application/json", body));
        }
    }

    /** One request: never a 5xx; a 4xx is a problem+json and changes no table. */
    private static void check(String what, Supplier<Reply> request) {
        String before = Database.rowCounts();
        Reply reply = request.get();
        assertThat(reply.status()).as("%s -> %s", what, reply).isLessThan(500);
        if (reply.status() >= 400) {
            assertThat(reply.contentType()).as("%s -> %s", what, reply).startsWith("application/problem+json");
            ProblemAssert.assertProblem(reply, reply.status());
            assertThat(Database.rowCounts()).as("rows after %s -> %s", what, reply).isEqualTo(before);
        }
    }

    /** Mutations of a valid JSON body: truncated, wrong types, odd strings, unknown fields, raw bytes. */
    private static Arbitrary<byte[]> hostileJson(JsonObject valid) {
        String text = valid.toString();
        List<String> fields = List.copyOf(valid.keySet());
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, text.length() - 1)
                .map(cut -> text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> retyped = Arbitraries.of(fields).flatMap(field -> jsonValue(3).map(value ->
                replace(valid, field, value).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> oddStrings = Arbitraries.of(fields).flatMap(field -> Arbitraries.oneOf(text(), longText())
                .map(value -> Json.createObjectBuilder(valid).add(field, value).build().toString().getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> unknownFields = Arbitraries.strings().ofMinLength(1).ofMaxLength(10).flatMap(name -> jsonValue(2)
                .map(value -> replace(valid, "x-" + name, value).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> anyJson = jsonValue(4).map(value -> value.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> invalidUtf8 = Arbitraries.integers().between(1, text.length() - 1).map(at -> {
            byte[] raw = text.getBytes(StandardCharsets.UTF_8);
            byte[] broken = new byte[raw.length + 2];
            System.arraycopy(raw, 0, broken, 0, at);
            broken[at] = (byte) 0xC3;
            broken[at + 1] = (byte) 0x28;
            System.arraycopy(raw, at, broken, at + 2, raw.length - at);
            return broken;
        });
        return Arbitraries.oneOf(truncated, retyped, oddStrings, unknownFields, anyJson, bytes, invalidUtf8);
    }

    private static Arbitrary<byte[]> hostileForms() {
        return Arbitraries.oneOf(
                text().map(value -> ("chat=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().withChars("chat=%&+zZ0F9\u00e9").ofMaxLength(30).map(form -> form.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(raw -> {
                    byte[] form = new byte[raw.length + 5];
                    System.arraycopy("chat=".getBytes(StandardCharsets.US_ASCII), 0, form, 0, 5);
                    System.arraycopy(raw, 0, form, 5, raw.length);
                    return form;
                }));
    }

    /** Any JSON value as text, nested up to {@code depth}. */
    private static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1e309", "1.5", "12345678901234567890"),
                Arbitraries.integers().map(String::valueOf),
                text().map(value -> Json.createValue(value).toString()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(3).map(values -> "[" + String.join(",", values) + "]");
        Arbitrary<String> object = Arbitraries.maps(text(), jsonValue(depth - 1)).ofMaxSize(3).map(entries -> {
            JsonObjectBuilder builder = Json.createObjectBuilder();
            entries.forEach((key, value) -> builder.add(key, Json.createReader(new java.io.StringReader(value)).readValue()));
            return builder.build().toString();
        });
        return Arbitraries.oneOf(leaf, array, object);
    }

    /** Any text: every Unicode character, NUL, unpaired surrogates, blanks. */
    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.of("", " ", "\t\n", "\u0000", "a\u0000b", "\ud800", "\udfff x", "😀", "\u202e", "'; DROP TABLE room;--"));
    }

    private static Arbitrary<String> longText() {
        return Arbitraries.integers().between(500, 20_000).map("x"::repeat);
    }

    private static String replace(JsonObject valid, String field, String jsonValue) {
        String rest = Json.createObjectBuilder(valid).remove(field).build().toString();
        String member = Json.createValue(field) + ":" + jsonValue;
        return rest.equals("{}") ? "{" + member + "}" : "{" + member + "," + rest.substring(1);
    }


    private static String describe(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 120 ? text.substring(0, 120) + "…(" + body.length + " bytes)" : text;
    }
}
