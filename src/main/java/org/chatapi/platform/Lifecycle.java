package org.chatapi.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the instance is stopping, and how many requests it is serving. Once stopping, it is no longer ready
 * ({@code /health/ready}), new requests are refused with 503, and the stop waits for the requests in flight.
 */
@ApplicationScoped
public class Lifecycle {

    /** Told to every observer when the instance begins to stop: close what clients should reopen elsewhere. */
    public record Stopping() {
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean started;
    private volatile boolean stopping;

    /**
     * Whether the web application has started, so that its routes answer. A full Payara Server registers the
     * application's health checks before it starts the web module: until then {@code /health/ready} must not say
     * ready, or a load balancer sends requests that get the server's own 404 page.
     */
    public boolean isStarted() {
        return started;
    }

    /** The web application has started (see {@link WebStarted}). */
    void started() {
        started = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** From now on the instance takes no new request. */
    public void stop() {
        stopping = true;
    }

    /** A request starts being served; false if it must be refused because the instance is stopping. */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (stopping) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
