package org.chatapi.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

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
}
