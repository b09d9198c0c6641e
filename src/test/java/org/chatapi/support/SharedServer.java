package org.chatapi.support;

import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The suite's one server: the packaged WAR on a Payara Micro started once per test run, by the first test class that
 * asks for it, and stopped when the run ends (the value lives in JUnit's root store, which closes it). A second
 * instance with the same configuration, the {@link #peer()}, for the tests of two instances sharing the database, is
 * launched as soon as the first is up and boots while the first classes run. Tests on these servers use callers and
 * rooms of their own, so that no class depends on another or on their order; a test that starts, stops or configures
 * a server starts an {@link Instance} of its own. Both have an edit window of an hour, so that the window is tested
 * where every other test edits freely.
 */
public final class SharedServer implements BeforeAllCallback {

    private static final Namespace NAMESPACE = Namespace.create(SharedServer.class);

    /** How long messages may be edited after posting on the shared servers ({@code CHAT_EDIT_WINDOW_SECONDS}). */
    public static final long EDIT_WINDOW_SECONDS = 3600;

    /** What the shared servers are configured with besides the defaults. */
    private static final Map<String, String> CONFIGURATION =
            Map.of("CHAT_EDIT_WINDOW_SECONDS", Long.toString(EDIT_WINDOW_SECONDS), "CHAT_RETENTION_SWEEP_SECONDS", "2",
                    "CHAT_WEBHOOK_ALLOWED_NETWORKS", Receiver.NETWORK, "CHAT_WEBHOOK_RETRY_BASE_MILLIS", "100",
                    "CHAT_WEBHOOK_RETRY_MAX_SECONDS", "1", "CHAT_WEBHOOK_TIMEOUT_SECONDS", "2",
                    "CHAT_WEBHOOK_LEASE_SECONDS", "10");

    private static ExtensionContext.Store root;

    /** The configuration of the shared servers, for an instance of a test's own that should work alike. */
    public static Map<String, String> configuration() {
        return CONFIGURATION;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (SharedServer.class) {
            root = context.getRoot().getStore(NAMESPACE);
        }
        base();
        store().getOrComputeIfAbsent("peer", key -> Started.launch(), Started.class);
    }

    /** Where the shared server answers. */
    public static URL base() {
        return store().getOrComputeIfAbsent("server", key -> Started.launch(), Started.class).ready().base();
    }

    /** A second instance with the suite's configuration, on the same database; awaited until it is ready. */
    public static URL peer() {
        return store().getOrComputeIfAbsent("peer", key -> Started.launch(), Started.class).ready().base();
    }

    private static ExtensionContext.Store store() {
        synchronized (SharedServer.class) {
            if (root == null) {
                throw new IllegalStateException("a test that uses the shared server is extended with SharedServer");
            }
            return root;
        }
    }

    /**
     * A launched instance, or why it did not start: a server that failed to boot fails every class that needs it at
     * once, instead of being booted again by each.
     */
    private static final class Started implements AutoCloseable {

        private final Instance running;
        private RuntimeException failure;
        private boolean ready;

        private Started(Instance running, RuntimeException failure) {
            this.running = running;
            this.failure = failure;
        }

        static Started launch() {
            try {
                return new Started(Instance.launch(Instance.freePort(), CONFIGURATION), null);
            } catch (IOException | RuntimeException e) {
                return new Started(null, new IllegalStateException("a shared server could not be launched", e));
            }
        }

        synchronized Instance ready() {
            if (!ready && failure == null) {
                try {
                    running.awaitReady();
                    ready = true;
                } catch (IOException | RuntimeException e) {
                    failure = new IllegalStateException("a shared server did not start", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while a shared server started", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return running;
        }

        @Override
        public void close() {
            if (running != null) {
                running.close();
            }
        }
    }
}
