package org.chatapi.support;

import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where an integration test class starts: the suite's shared server ({@link SharedServer}), and two callers of their
 * own, alice and bob, new for each test.
 */
@ExtendWith(SharedServer.class)
public abstract class ServerTest {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected final URL base = SharedServer.base();

    protected String aliceSub;
    protected String aliceToken;
    protected Api alice;
    protected Api bob;

    @BeforeEach
    void callers() {
        aliceSub = Tokens.newSubject("alice");
        aliceToken = Tokens.valid(aliceSub);
        alice = Api.at(base).as(aliceToken);
        bob = Api.at(base).as(Tokens.valid(Tokens.newSubject("bob")));
    }
}
