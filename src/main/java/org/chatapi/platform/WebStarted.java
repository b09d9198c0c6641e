package org.chatapi.platform;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Tells {@link Lifecycle} that the web application has started: from now on its routes answer. */
@WebListener
public class WebStarted implements ServletContextListener {

    @Inject
    Lifecycle lifecycle;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        lifecycle.started();
    }
}
