package org.chatapi.platform.http;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import org.chatapi.platform.Lifecycle;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A graceful stop on SIGTERM (what a process supervisor or container runtime sends). Before the server begins to
 * shut down: readiness turns down, new requests get 503 with {@code Retry-After} ({@link StopGate}), event streams
 * end with a reconnect hint so their clients resume elsewhere with {@code Last-Event-ID}, and the requests in
 * flight, posts waiting in group commit included, are answered — for at most {@code CHAT_STOP_DRAIN_SECONDS}.
 * Then the signal takes its ordinary course and the server shuts down.
 */
@ApplicationScoped
public class GracefulStop {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());
    private static final Signal TERM = new Signal("TERM");
    /** The HTTP listener of Payara Micro. */
    private static final String LISTENER = "http-listener";
    private static final Duration QUIET = Duration.ofSeconds(1);

    @Inject
    Lifecycle lifecycle;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Event<Lifecycle.Stopping> stopping;

    @Inject
    @ConfigProperty(name = "chat.stop.drain-seconds", defaultValue = "20")
    int drainSeconds;

    private SignalHandler ordinary;

    void install(@Observes @Initialized(ApplicationScoped.class) Object application) {
        try {
            // The signal arrives on a JVM thread that knows nothing of the application: the stop runs on one of its own.
            ordinary = Signal.handle(TERM, signal -> threads.newThread(this::drainThenStop).start());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "No graceful stop on SIGTERM here", e);
        }
    }

    @PreDestroy
    void uninstall() {
        if (ordinary != null && !lifecycle.isStopping()) {
            Signal.handle(TERM, ordinary);
        }
    }

    /**
     * Closes the server's HTTP listener before it shuts down, so that from now on clients find the port closed and
     * go elsewhere: while the server undeploys the application it would otherwise answer with its own error pages.
     * It is the server's own {@code asadmin set ...enabled=false}, run in-process; where that is not possible (not
     * Payara Micro), the stop goes on without it.
     */
    private static void closeListener() {
        try {
            Object locator = Class.forName("org.glassfish.internal.api.Globals")
                    .getMethod("getDefaultBaseServiceLocator").invoke(null);
            Method getService = locator.getClass().getMethod("getService", Class.class, Annotation[].class);
            Class<?> runnerType = Class.forName("org.glassfish.api.admin.CommandRunner");
            Object runner = getService.invoke(locator, runnerType, new Annotation[0]);
            Class<?> adminType = Class.forName("org.glassfish.internal.api.InternalSystemAdministrator");
            Subject subject = (Subject) adminType.getMethod("getSubject")
                    .invoke(getService.invoke(locator, adminType, new Annotation[0]));
            Class<?> reportType = Class.forName("org.glassfish.api.ActionReport");
            Object report = runnerType.getMethod("getActionReport", String.class).invoke(runner, "plain");
            Class<?> invocationType = Class.forName("org.glassfish.api.admin.CommandRunner$CommandInvocation");
            Object invocation = runnerType.getMethod("getCommandInvocation", String.class, reportType, Subject.class)
                    .invoke(runner, "set", report, subject);
            Class<?> parametersType = Class.forName("org.glassfish.api.admin.ParameterMap");
            Object parameters = parametersType.getConstructor().newInstance();
            parametersType.getMethod("insert", String.class, String.class).invoke(parameters, "DEFAULT",
                    "configs.config.server-config.network-config.network-listeners.network-listener." + LISTENER
                            + ".enabled=false");
            invocationType.getMethod("parameters", parametersType).invoke(invocation, parameters);
            invocationType.getMethod("execute").invoke(invocation);
            Object exitCode = reportType.getMethod("getActionExitCode").invoke(report);
            LOG.info(() -> "SIGTERM: closing the HTTP listener " + LISTENER + ": " + exitCode);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Could not close the HTTP listener before shutting down", e);
        }
    }

    /** Waits until no request has been in flight for {@code quiet}, or until the deadline. */
    private void awaitNoRequest(Duration quiet, long deadline) {
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (lifecycle.inFlight() > 0) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drainThenStop() {
        LOG.info("SIGTERM: refusing new requests, ending event streams, finishing the requests in flight");
        lifecycle.stop();
        try {
            stopping.fire(new Lifecycle.Stopping());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ending the event streams failed", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
        awaitNoRequest(Duration.ZERO, deadline);
        LOG.info(() -> "SIGTERM: " + lifecycle.inFlight() + " requests still in flight; closing the port");
        closeListener();
        // Connections accepted just before the port closed still bring their requests: answer them (503) too.
        awaitNoRequest(QUIET, deadline);
        LOG.info("SIGTERM: shutting down");
        try {
            ordinary.handle(TERM);
        } catch (UnsupportedOperationException e) {
            System.exit(128 + TERM.getNumber());
        }
    }
}
