package org.chatapi.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a signal the test can observe (a row, a metric, a status) instead of sleeping a fixed time. */
public final class Await {

    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails, naming {@code what}, if it does not within {@code within}. */
    public static void until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Reads {@code value} until what it reads satisfies {@code done}, polling more slowly than {@link #until} (it
     * asks the server); answers that value, or fails, naming {@code what}, if none does within {@code within}.
     */
    public static <T> T value(String what, Duration within, Supplier<T> value, Predicate<T> done)
            throws InterruptedException {
        AtomicReference<T> last = new AtomicReference<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            last.set(value.get());
            if (done.test(last.get())) {
                return last.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within + "; last " + last.get());
            }
            Thread.sleep(POLL_MILLIS * 10);
        }
    }
}
