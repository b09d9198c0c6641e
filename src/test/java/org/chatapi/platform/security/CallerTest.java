package org.chatapi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void anyCallerUsesOnlyItsOwnRooms() {
        Caller alice = new Caller("alice", Set.of());
        assertThat(alice.mayUseRoomOf("alice")).isTrue();
        assertThat(alice.mayUseRoomOf("bob")).isFalse();
        assertThat(alice.seesAllRooms()).isFalse();
        assertThat(alice.hasAudiences()).isFalse();
        assertThat(alice.actsFor("school")).isFalse();
    }

    @Test
    void proAndAdminUseEveryRoom() {
        assertThat(new Caller("p", Set.of("pro")).mayUseRoomOf("bob")).isTrue();
        assertThat(new Caller("p", Set.of("pro")).actsFor("school")).isFalse();
        Caller admin = new Caller("a", Set.of("admin"));
        assertThat(admin.mayUseRoomOf("bob")).isTrue();
        assertThat(admin.actsFor("any audience")).isTrue();
    }

    @Test
    void audienceGroupsActForExactlyThatAudience() {
        Caller tenant = new Caller("t", Set.of("audience:school-1"));
        assertThat(tenant.hasAudiences()).isTrue();
        assertThat(tenant.actsFor("school-1")).isTrue();
        assertThat(tenant.actsFor("school-10")).isFalse();
        assertThat(tenant.actsFor("School-1")).isFalse();
        assertThat(tenant.mayUseRoomOf("bob")).isFalse();
    }
}
