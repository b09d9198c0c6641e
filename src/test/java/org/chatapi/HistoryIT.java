package org.chatapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chatapi.support.ProblemAssert.assertRoomProblem;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chatapi.support.Api;
import org.chatapi.support.Api.Reply;
import org.chatapi.support.Seeds;
import org.chatapi.support.ServerTest;
import org.junit.jupiter.api.Test;

/** History: a room's messages in post order, in keyset pages that follow each other both ways. */
class HistoryIT extends ServerTest {

    @Test
    void pagesThroughHistoryInPostOrderBothWays() {
        String room = Seeds.room(alice);
        List<String> posted = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            posted.add(Seeds.message(alice, room, "message " + i));
        }

        Reply first = alice.get("/room/" + room + "/chat?limit=3");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.messageIds()).containsExactlyElementsOf(posted.subList(0, 3));
        assertThat(first.json().getJsonArray("chats").getJsonObject(0).getString("chat")).isEqualTo("message 1");
        assertThat(first.link("prev")).isNull();
        Reply second = alice.get(first.link("next"));
        assertThat(second.messageIds()).containsExactlyElementsOf(posted.subList(3, 6));
        Reply third = alice.get(second.link("next"));
        assertThat(third.messageIds()).containsExactlyElementsOf(posted.subList(6, 7));
        assertThat(third.link("next")).isNull();
        assertThat(alice.get(third.link("prev")).messageIds()).containsExactlyElementsOf(posted.subList(3, 6));

        Reply latest = alice.get("/room/" + room + "/chat?limit=2&before=8");
        assertThat(latest.messageIds()).containsExactlyElementsOf(posted.subList(5, 7));
        assertThat(alice.get(latest.link("prev")).messageIds()).containsExactlyElementsOf(posted.subList(3, 5));
        assertThat(alice.get("/room/" + room + "/chat?after=2&before=5").messageIds()).containsExactlyElementsOf(posted.subList(2, 4));
        assertThat(alice.get("/room/" + room + "/chat").messageIds()).containsExactlyElementsOf(posted);
        assertThat(alice.get("/room/" + room + "/chat?after=7").messageIds()).isEmpty();
    }

    @Test
    void pagesHistoryFiftyAtATimeByDefault() {
        String room = Seeds.room(alice);
        List<CompletableFuture<Reply>> posts = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            posts.add(alice.postJsonAsync("/room/" + room + "/chat", "{\"chat\":\"message " + i + "\"}"));
        }
        posts.forEach(post -> assertThat(post.join().status()).isEqualTo(201));

        Reply first = alice.get("/room/" + room + "/chat");
        assertThat(first.messageIds()).hasSize(50);
        Reply rest = alice.get(first.link("next"));
        assertThat(rest.messageIds()).hasSize(1).doesNotContainAnyElementsOf(first.messageIds());
        assertThat(rest.link("next")).isNull();
    }

    @Test
    void refusesBadHistoryRequests() {
        String room = Seeds.room(alice);
        for (String query : List.of("limit=0", "limit=1001", "limit=x", "after=-1", "after=x", "before=-3", "before=1.5")) {
            assertRoomProblem(alice.get("/room/" + room + "/chat?" + query), 400);
        }
        assertRoomProblem(bob.get("/room/" + room + "/chat"), 403);
        assertRoomProblem(alice.get("/room/" + UUID.randomUUID() + "/chat"), 404);
        assertRoomProblem(Api.at(base).get("/room/" + room + "/chat"), 401);
    }

    @Test
    void followingNextWhileOthersPostYieldsEveryMessageExactlyOnce() throws Exception {
        String room = Seeds.room(alice);
        ExecutorService posters = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int poster = p;
            running.add(posters.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    Seeds.message(alice, room, "poster " + poster + " message " + i);
                }
            }));
        }
        List<String> seen = new ArrayList<>();
        String next = "/room/" + room + "/chat?limit=7";
        while (true) {
            boolean postersDone = running.stream().allMatch(Future::isDone);
            Reply page = alice.get(next);
            seen.addAll(page.messageIds());
            String following = page.link("next");
            if (following != null) {
                next = following;
            } else if (postersDone) {
                break;
            } else {
                next = "/room/" + room + "/chat?limit=7&after=" + seen.size();
                Thread.sleep(20);
            }
        }
        for (Future<?> poster : running) {
            poster.get();
        }
        posters.shutdown();

        JsonObject read = alice.get("/room/" + room).json().getJsonObject("room");
        assertThat(seen).hasSize(100).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(read.getJsonArray("chats").getValuesAs(JsonString.class)
                .stream().map(JsonString::getString).toList());
    }
}
