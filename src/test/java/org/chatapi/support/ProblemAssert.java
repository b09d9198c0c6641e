package org.chatapi.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

/** Checks that a reply is an RFC 9457 problem with the given status. */
public final class ProblemAssert {

    private ProblemAssert() {
    }

    public static JsonObject assertProblem(Api.Reply reply, int status) {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
        assertThat(reply.contentType()).as("content type of %s", reply).startsWith("application/problem+json");
        JsonObject problem = reply.json();
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("type")).isNotBlank();
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return problem;
    }

    /** A problem of a room route, which also carries the original service's {@code "error"} member. */
    public static JsonObject assertRoomProblem(Api.Reply reply, int status) {
        JsonObject problem = assertProblem(reply, status);
        assertThat(problem.getString("error")).isEqualTo(problem.getString("detail"));
        return problem;
    }
}
