package org.chatapi.support;

import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where an integration test class starts: the packaged WAR on a managed Payara Micro (one server per class), and
 * two callers of their own, alice and bob, new for each test.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class ServerTest {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    @ArquillianResource
    protected URL base;

    protected String aliceToken;
    protected Api alice;
    protected Api bob;

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return Deployments.war();
    }

    @BeforeEach
    void callers() {
        aliceToken = Tokens.valid(Tokens.newSubject("alice"));
        alice = Api.at(base).as(aliceToken);
        bob = Api.at(base).as(Tokens.valid(Tokens.newSubject("bob")));
    }
}
