package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Browser;
import org.chatapi.support.Database;
import org.chatapi.support.Instance;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.chatapi.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Web pages in a real headless Chromium: a page on another origin than the API (CORS, and live delivery through the
 * browser's own EventSource with stream tickets), and the web client the application serves at {@code /app/}. The
 * foreign page is served by this test on {@link #PAGE_ORIGIN}, the one origin the server under test allows
 * ({@code CHAT_CORS_ALLOWED_ORIGINS} in the pom); tickets live {@code CHAT_STREAM_TICKET_SECONDS} = 4 s there, so
 * that a page meets their expiry within a test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserClientsIT extends ServerTest {

    static final int PAGE_PORT = 18391;
    static final String PAGE_ORIGIN = "http://localhost:" + PAGE_PORT;

    /** Tickets live 5 minutes on the instance the page-resumes test restarts. */
    static final Map<String, String> LONG_TICKETS = Map.of("CHAT_STREAM_TICKET_SECONDS", "300");

    private static HttpServer pages;
    /** That instance, launched with the class: it boots while the other tests run. */
    private static Instance restartable;

    @BeforeAll
    static void launchTheInstanceToRestart() throws IOException {
        restartable = Instance.launch(Instance.freePort(), LONG_TICKETS);
    }

    @AfterAll
    static void stopTheInstanceToRestart() {
        restartable.close();
    }

    @BeforeAll
    static void servePages() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("localhost", PAGE_PORT), 0);
        pages.createContext("/", exchange -> {
            try (InputStream page = BrowserClientsIT.class.getResourceAsStream("/browser/cross-origin.html")) {
                byte[] body = page.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } finally {
                exchange.close();
            }
        });
        pages.start();
    }

    @AfterAll
    static void stopPages() {
        pages.stop(0);
    }

    @Test
    void answersAPreflightBeforeAuthenticationAndOnlyForAllowedOrigins() {
        String room = Seeds.room(alice);
        Reply preflight = Api.at(base).header("Origin", PAGE_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
                .method("OPTIONS", "/room/" + room + "/chat");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains(PAGE_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID");

        Reply foreign = Api.at(base).header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", "/room/" + room + "/chat");
        Reply withoutOrigin = Api.at(base).header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", "/room/" + room + "/chat");
        assertThat(foreign.status()).isEqualTo(withoutOrigin.status()).isNotEqualTo(204);
        assertThat(foreign.raw().headers().map().keySet()).noneMatch(name -> name.startsWith("access-control-"));

        Reply posted = alice.header("Origin", PAGE_ORIGIN).postJson("/room/" + room + "/chat", "{\"chat\":\"hi\"}");
        assertThat(posted.header("Access-Control-Allow-Origin")).contains(PAGE_ORIGIN);
        assertThat(posted.header("Access-Control-Expose-Headers").orElseThrow())
                .contains("Location", "Link", "Idempotent-Replayed", "Retry-After");
        assertThat(posted.header("Vary").orElseThrow()).contains("Origin");
        Reply elsewhere = alice.header("Origin", "http://evil.example").get("/room/" + room);
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(elsewhere.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void refusalsCarryTheCorsHeadersSoThatAPageCanReadThem() {
        String room = Seeds.room(alice);
        Api page = Api.at(base).header("Origin", PAGE_ORIGIN);
        for (Reply refusal : List.of(page.get("/room/" + room), page.as(Tokens.expired("alice")).get("/room/" + room),
                bob.header("Origin", PAGE_ORIGIN).get("/room/" + room), page.as(aliceToken).get("/room/not-an-id"))) {
            assertThat(refusal.status()).isIn(400, 401, 403);
            assertRoomProblem(refusal, refusal.status());
            assertThat(refusal.header("Access-Control-Allow-Origin")).as("%s", refusal).contains(PAGE_ORIGIN);
        }
    }

    @Test
    void aTicketOpensOneRoomsStreamOnlyAndNothingElse() {
        String room = Seeds.room(alice);
        String other = Seeds.room(alice);
        Reply issued = alice.post("/room/" + room + "/events/tickets");
        assertThat(issued.status()).isEqualTo(200);
        String ticket = issued.json().getString("ticket");
        assertThat(issued.json().getString("url")).isEqualTo("/room/" + room + "/events?ticket=" + ticket);
        assertRoomProblem(bob.post("/room/" + room + "/events/tickets"), 403);

        Api holder = Api.at(base);
        assertRoomProblem(holder.get("/room/" + other + "/events?ticket=" + ticket), 401);
        assertRoomProblem(holder.get("/room/" + room + "?ticket=" + ticket), 401);
        assertRoomProblem(holder.get("/room/" + room + "/chat?ticket=" + ticket), 401);
        assertRoomProblem(holder.post("/room/" + room + "/events/tickets?ticket=" + ticket), 401);
        assertRoomProblem(holder.get("/room/" + room + "/events?ticket=" + ticket.substring(1) + "A"), 401);
    }

    /**
     * The README's walkthrough from a page on another origin: create, post, read Location and Link, edit, delete and
     * mark read (PATCH, DELETE and PUT, each preflighted), follow the room live with EventSource; when a ticket expires the stream ends, the browser's reconnect is refused, and the page
     * continues with a new ticket after the last event it saw: every message once, in order. The page follows the
     * caller's inbox stream the same way.
     */
    @Test
    void aPageOnAnotherOriginDoesTheWalkthroughAndFollowsTheRoomLive() throws Exception {
        try (Browser browser = Browser.start()) {
            openPage(browser);
            Map<String, Object> results = awaitResults(browser, "return window.results.open === true");
            assertThat(results.get("errors")).asList().isEmpty();
            String room = (String) results.get("room");
            assertThat(results.get("createdStatus")).isEqualTo(201L);
            assertThat(results.get("location")).isEqualTo("/room/" + room);
            assertThat((String) results.get("messageLocation")).startsWith("/room/" + room + "/chat/");
            assertThat((String) results.get("link")).contains("rel=\"next\"");
            assertThat(results.get("next")).asList().containsExactly("hello 3");
            assertThat(results.get("denied")).isEqualTo(Map.of("status", 401L, "challenge", "Bearer",
                    "type", "urn:chat-api:problem:unauthenticated"));
            assertThat(results.get("edited")).isEqualTo(Map.of("status", 200L, "chat", "changed"));
            assertThat(results.get("deleted")).isEqualTo(Map.of("status", 200L, "deleted", true));
            assertThat(results.get("marked")).isEqualTo(200L);

            alice.postJson("/room/" + room + "/chat", "{\"chat\":\"hello 4\"}");
            awaitResults(browser, "return window.results.events.length >= 4");
            // Both tickets expire: the page's streams end, are refused on reconnect, and go on with new tickets.
            awaitResults(browser, "return window.results.closed > 0 && window.results.inboxTickets >= 2");
            alice.postJson("/room/" + room + "/chat", "{\"chat\":\"hello 5\"}");
            alice.postJson("/room/" + room + "/chat", "{\"chat\":\"hello 6\"}");
            results = awaitResults(browser, "return window.results.events.length >= 6");

            assertThat(events(results, "chat"))
                    .containsExactly("hello 1", "hello 2", "hello 3", "hello 4", "hello 5", "hello 6");
            assertThat(events(results, "id")).containsExactly("1", "2", "3", "4", "5", "6");
            assertThat((Long) results.get("tickets")).as("tickets fetched").isGreaterThanOrEqualTo(2);
            assertThat((Long) results.get("closed")).as("streams refused once their ticket expired").isPositive();

            // The inbox stream, followed the same way, told of the room and each of its messages once, in order.
            results = awaitResults(browser, "return window.results.inbox.length >= 9");
            assertThat(((List<?>) results.get("inbox")).stream().filter(event -> room.equals(((Map<?, ?>) event)
                    .get("room"))).map(event -> ((Map<?, ?>) event).get("kind") + " " + ((Map<?, ?>) event).get("room")
                    + " " + ((Map<?, ?>) event).get("chat")).toList())
                    .containsExactly("room " + room + " null", "message " + room + " hello 1",
                            "message " + room + " hello 2", "message " + room + " hello 3",
                            "message " + room + " hello 4", "message " + room + " hello 5",
                            "message " + room + " hello 6");
            assertThat((Long) results.get("inboxTickets")).as("inbox tickets fetched").isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * Two people on the web client (/app/), each in a browser of their own, see each other's messages live: a client
     * creates a room and asks; a counsellor (pro, whose list is every room, the most active first) sees it there with
     * one unread message and waiting for a reply, opens it from the list, and answers; opening it marks it read.
     */
    @Test
    void twoPeopleOnTheWebClientSeeEachOthersMessagesLive() {
        String counsellorToken = Tokens.valid(Tokens.newSubject("counsellor"), "pro");
        try (Browser client = Browser.start(); Browser counsellor = Browser.start()) {
            signIn(client, base + "app/", aliceToken);
            client.driver().findElement(By.id("new-room")).click();
            String room = openedRoom(client);
            awaitLive(client);
            say(client, "Hello, is anyone there?");
            awaitMessages(client, List.of("Hello, is anyone there?"));

            signIn(counsellor, base + "app/", counsellorToken);
            By entry = By.cssSelector("#room-list [data-room='" + room + "']");
            WebElement listed = counsellor.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(entry));
            assertThat(listed.getAttribute("data-unread")).isEqualTo("1");
            assertThat(listed.getText()).contains("1 unread", "waiting since");
            listed.click();
            assertThat(openedRoom(counsellor)).isEqualTo(room);
            awaitLive(counsellor);
            awaitMessages(counsellor, List.of("Hello, is anyone there?"));
            counsellor.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(entry, "data-unread", "0"));

            say(counsellor, "Yes, I am here. How can I help?");
            awaitMessages(client, List.of("Hello, is anyone there?", "Yes, I am here. How can I help?"));
            awaitMessages(counsellor, List.of("Hello, is anyone there?", "Yes, I am here. How can I help?"));
            assertThat(alice.get("/room/" + room).json().getJsonObject("room").getInt("__v")).isEqualTo(2);
            Api asCounsellor = Api.at(base).as(counsellorToken);
            counsellor.waitUpTo(WAIT).until(driver -> asCounsellor.get("/room/" + room + "/marker").json()
                    .getJsonObject("marker").getInt("position") == 2);
            assertThat(asCounsellor.get("/room/" + room).json().getJsonObject("room").isNull("waitingSince")).isTrue();
        }
    }

    /**
     * On the web client, an author edits and deletes its own messages and a counsellor (pro) deletes another's with a
     * reason; the other person's open page shows each change live, in place, and no page shows a deleted text.
     */
    @Test
    void editsAndDeletionsOnTheWebClientShowLiveOnTheOtherPage() {
        String counsellorSub = Tokens.newSubject("counsellor");
        try (Browser client = Browser.start(); Browser counsellor = Browser.start()) {
            signIn(client, base + "app/", aliceToken);
            client.driver().findElement(By.id("new-room")).click();
            String room = openedRoom(client);
            awaitLive(client);
            say(client, "Helo");
            say(client, "I regret this one");
            say(client, "my neighbour is called ...");
            awaitMessages(client, List.of("Helo", "I regret this one", "my neighbour is called ..."));
            signIn(counsellor, base + "app/", Tokens.valid(counsellorSub, "pro"));
            counsellor.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#room-list [data-room='" + room + "']"))).click();
            awaitLive(counsellor);
            awaitMessages(counsellor, List.of("Helo", "I regret this one", "my neighbour is called ..."));

            messageAction(client, 0, "Edit");
            WebElement field = client.driver().findElement(By.cssSelector("#messages li .edit-form textarea"));
            field.clear();
            field.sendKeys("Hello", Keys.ENTER);
            awaitMessages(client, List.of("Hello", "I regret this one", "my neighbour is called ..."));
            messageAction(client, 1, "Delete");
            submitIn(client, 1);
            List<String> afterAuthor = List.of("Hello", "Message deleted", "my neighbour is called ...");
            awaitMessages(client, afterAuthor);
            awaitMessages(counsellor, afterAuthor);

            messageAction(counsellor, 2, "Delete");
            messageItem(counsellor, 2).findElement(By.cssSelector(".edit-form input")).sendKeys("personal data");
            submitIn(counsellor, 2);
            List<String> afterModerator = List.of("Hello", "Message deleted",
                    "Message deleted by " + counsellorSub + ": personal data");
            awaitMessages(counsellor, afterModerator);
            awaitMessages(client, afterModerator);
            assertThat(client.driver().findElements(By.xpath("//ol[@id='messages']/li[1]//span[@class='edited']")))
                    .hasSize(1);
            assertThat(client.driver().findElements(By.xpath("//ol[@id='messages']/li[2]//button")))
                    .as("a tombstone offers nothing").isEmpty();
            assertThat(counsellor.driver().findElements(By.xpath("//ol[@id='messages']/li[1]//button")))
                    .extracting(WebElement::getText).as("a moderator deletes, only the author edits")
                    .containsExactly("Delete");
            assertThat(client.driver().getPageSource()).doesNotContain("regret").doesNotContain("neighbour");
            assertThat(alice.get("/room/" + room + "/chat").json().getJsonArray("chats").getJsonObject(0)
                    .getString("chat")).isEqualTo("Hello");
        }
    }

    /** Retention removes a room's oldest messages: an open page drops them, live, and keeps the rest in order. */
    @Test
    void anOpenPageDropsTheMessagesRetentionRemoves() {
        String room = Seeds.room(alice);
        Seeds.message(alice, room, "from long ago");
        Seeds.message(alice, room, "also old");
        try (Browser browser = Browser.start()) {
            signIn(browser, base + "app/", aliceToken);
            browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#room-list [data-room='" + room + "']"))).click();
            awaitLive(browser);
            say(browser, "from today");
            awaitMessages(browser, List.of("from long ago", "also old", "from today"));
            Database.update("UPDATE message SET created_at = created_at - interval '40 days' "
                    + "WHERE room_id = ?::uuid AND position <= 2", room);

            Reply set = Api.at(base).as(Tokens.valid(Tokens.newSubject("admin"), "admin"))
                    .putJson("/room/" + room + "/retention", "{\"days\":30}");

            assertThat(set.status()).as("%s", set).isEqualTo(200);
            awaitMessages(browser, List.of("from today"));
            assertThat(browser.driver().findElement(By.id("earlier")).isDisplayed()).isFalse();
        }
    }

    /** A person exports their data from the web client: the page follows the job and offers the file's link. */
    @Test
    void aPersonExportsTheirDataFromTheWebClient() {
        String room = Seeds.room(alice);
        Seeds.message(alice, room, "mine to take away");
        try (Browser browser = Browser.start()) {
            signIn(browser, base + "app/", aliceToken);
            browser.driver().findElement(By.id("export-data")).click();
            WebElement link = browser.waitUpTo(Duration.ofSeconds(60))
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#export-state a")));
            URI file = URI.create(link.getAttribute("href"));
            Reply download = Api.at(base).get(file.getRawPath() + "?" + file.getRawQuery());
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.body()).contains("\"chat\":\"mine to take away\"", "\"user\":\"" + aliceSub + "\"");
        }
    }

    /** Clicks the action (a button) of the message at this index of the page's list. */
    private static void messageAction(Browser browser, int index, String action) {
        messageItem(browser, index).findElement(By.xpath(".//button[text()='" + action + "']")).click();
    }

    /** Submits the form open in the message at this index (its edit, or its deletion's confirmation). */
    private static void submitIn(Browser browser, int index) {
        messageItem(browser, index).findElement(By.cssSelector(".edit-form button[type=submit]")).click();
    }

    private static WebElement messageItem(Browser browser, int index) {
        return browser.driver().findElements(By.cssSelector("#messages li")).get(index);
    }

    /**
     * An open page whose server restarts (SIGTERM, then a new instance on the same address) resumes by itself and
     * misses nothing of what was posted meanwhile through another instance: the browser's own reconnect, with
     * Last-Event-ID and the ticket it had (tickets live 5 minutes on these instances, and are in the database), so
     * the page never needed another ticket.
     */
    @Test
    @Order(Integer.MAX_VALUE)  // last, independent of the others: its instance boots while they run
    void anOpenPageResumesAfterItsServerRestartsAndMissesNothing() throws Exception {
        String room = Seeds.room(alice);
        alice.postJson("/room/" + room + "/chat", "{\"chat\":\"before 1\"}");
        alice.postJson("/room/" + room + "/chat", "{\"chat\":\"before 2\"}");
        Instance instance = restartable;
        instance.awaitReady();
        int port = instance.base().getPort();
        try (Browser browser = Browser.start()) {
            signIn(browser, instance.base() + "app/", aliceToken);
            browser.driver().findElement(By.id("room-id")).sendKeys(room, Keys.ENTER);
            assertThat(openedRoom(browser)).isEqualTo(room);
            awaitLive(browser);
            awaitMessages(browser, List.of("before 1", "before 2"));

            instance.terminate();
            assertThat(instance.awaitExit(Duration.ofSeconds(60))).isTrue();
            for (int i = 1; i <= 3; i++) {
                alice.postJson("/room/" + room + "/chat", "{\"chat\":\"while down " + i + "\"}");
            }
            instance = Instance.launch(port, LONG_TICKETS);
            instance.awaitReady();
            awaitMessages(browser, List.of("before 1", "before 2", "while down 1", "while down 2", "while down 3"),
                    Duration.ofSeconds(60));
            alice.postJson("/room/" + room + "/chat", "{\"chat\":\"after\"}");
            awaitMessages(browser, List.of("before 1", "before 2", "while down 1", "while down 2", "while down 3",
                    "after"));
            assertThat(Database.count("SELECT count(*) FROM stream_ticket WHERE room_id = ?::uuid", room))
                    .as("tickets the page needed").isEqualTo(1);
        } finally {
            instance.close();
        }
    }

    /** POST-to-event latency in the browser, printed for BENCHMARKS.md; the test asserts only that all arrive. */
    @Test
    void measuresPostToEventLatencyInTheBrowser() throws Exception {
        int messages = Integer.getInteger("chat.browser.latency.messages", 100);
        try (Browser browser = Browser.start()) {
            openPage(browser);
            awaitResults(browser, "return window.results.open === true");
            browser.driver().executeScript("window.measure(" + messages + ")");
            Map<String, Object> results = awaitResults(browser, "return window.results.measured === true",
                    Duration.ofSeconds(120));
            List<Double> latencies = new ArrayList<>(((List<?>) results.get("latencies")).stream()
                    .map(value -> ((Number) value).doubleValue()).toList());
            assertThat(latencies).hasSize(messages);
            Collections.sort(latencies);
            System.out.printf("Browser POST-to-event latency over %d messages: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    messages, percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1));
            assertThat(events(results, "id"))
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, messages + 3).mapToObj(String::valueOf).toList());
        }
    }

    /** One field of each event the page received, in order of arrival. */
    private static List<String> events(Map<String, Object> results, String field) {
        return ((List<?>) results.get("events")).stream().map(event -> (String) ((Map<?, ?>) event).get(field)).toList();
    }

    private static void signIn(Browser browser, String page, String token) {
        browser.driver().get(page);
        WebElement field = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("new-room")));
    }

    /** The id of the room the page has open, once it is open. */
    private static String openedRoom(Browser browser) {
        browser.waitUpTo(WAIT).until(ExpectedConditions.textMatches(By.id("room-title"), Pattern.compile("^Room \\S+")));
        return browser.driver().findElement(By.id("room-title")).getText().substring("Room ".length());
    }

    private static void awaitLive(Browser browser) {
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBe(By.id("live-state"), "Live"));
    }

    private static void say(Browser browser, String text) {
        browser.driver().findElement(By.id("message")).sendKeys(text, Keys.ENTER);
    }

    private static void awaitMessages(Browser browser, List<String> texts) {
        awaitMessages(browser, texts, WAIT);
    }

    /** Waits until the page shows exactly these messages, in this order, none pending. */
    private static void awaitMessages(Browser browser, List<String> texts, Duration timeout) {
        try {
            // The page renders a message again as it is confirmed: an item read meanwhile is stale, and read anew.
            browser.waitUpTo(timeout).ignoring(StaleElementReferenceException.class)
                    .until(driver -> shownMessages(browser).equals(texts));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page shows " + shownMessages(browser) + ", not " + texts, e);
        }
    }

    private static List<String> shownMessages(Browser browser) {
        return browser.driver().findElements(By.cssSelector("#messages li")).stream()
                .map(item -> item.getAttribute("class").contains("pending") ? "(pending)"
                        : item.findElement(By.className("text")).getText())
                .toList();
    }

    private void openPage(Browser browser) {
        browser.driver().get(PAGE_ORIGIN + "/#api=" + URLEncoder.encode(base.toString(), StandardCharsets.UTF_8)
                + "&token=" + aliceToken);
    }

    private static Map<String, Object> awaitResults(Browser browser, String condition) {
        return awaitResults(browser, condition, WAIT.multipliedBy(2));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitResults(Browser browser, String condition, Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> {
            Object errors = browser.driver().executeScript("return window.results.errors.length");
            if (errors instanceof Long count && count > 0) {
                throw new AssertionError("the page failed: " + browser.driver().executeScript("return window.results.errors"));
            }
            return Boolean.TRUE.equals(browser.driver().executeScript(condition));
        });
        return (Map<String, Object>) browser.driver().executeScript("return window.results");
    }

    private static double percentile(List<Double> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
