package org.chatapi.platform.problems;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Teaches the server's HTTP layer (Grizzly) the reason phrase of 422, which it does not know and would send as
 * {@code HTTP/1.1 422 CUSTOM}. Grizzly keeps its phrases in one table, filled once here at start-up; should a
 * future server lack that table, the status still goes out, with its old phrase.
 */
@WebListener
public class ReasonPhrases implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ReasonPhrases.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            Class<?> statuses = Class.forName("org.glassfish.grizzly.http.util.HttpStatus");
            Method register = statuses.getDeclaredMethod("register", int.class, String.class);
            register.setAccessible(true);
            register.invoke(null, 422, "Unprocessable Content");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not register the reason phrase of 422; it goes out as the server's default", e);
        }
    }
}
