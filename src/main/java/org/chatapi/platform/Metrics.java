package org.chatapi.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The application's own metrics (MicroProfile Metrics, served at {@code /metrics} with the server's): what was
 * posted and refused, how group commit batches, live delivery, idempotent replays and conflicts, and the answers
 * that say "not now" (503) by cause. The README lists them with their Prometheus names.
 */
@ApplicationScoped
public class Metrics {

    @Inject
    MetricRegistry registry;

    @PostConstruct
    void statements() {
        registry.gauge("chat.sql.statements", this, metrics -> StatementCounter.count());
    }

    /** Messages committed. */
    public void posted(int count) {
        registry.counter("chat.messages.posted").inc(count);
    }

    /** A post refused with this 4xx status. */
    public void refused(int status) {
        registry.counter("chat.messages.refused", new Tag("status", Integer.toString(status))).inc();
    }

    /** One group-commit transaction: how many posts it held and how long it took to write and commit them. */
    public void batch(int size, Duration took) {
        registry.histogram("chat.group_commit.batch_size").update(size);
        registry.timer("chat.group_commit.commit_time").update(took);
    }

    /** Registers a gauge read from {@code source} on each scrape. */
    public <T> void gauge(String name, T source, ToIntFunction<T> value) {
        registry.gauge(name, source, (T object) -> value.applyAsInt(object));
    }

    /** Events sent on event streams. */
    public void delivered(int events) {
        registry.counter("chat.events.delivered").inc(events);
    }

    /** The database listener of live delivery lost its connection and connects anew. */
    public void listenerReconnect() {
        registry.counter("chat.listener.reconnects").inc();
    }

    /** A retry answered with the stored response of its Idempotency-Key. */
    public void idempotentReplay() {
        registry.counter("chat.idempotency.replays").inc();
    }

    /** An Idempotency-Key refused: its request still runs ({@code running}, 409) or it was used for another ({@code reused}, 422). */
    public void idempotencyConflict(String kind) {
        registry.counter("chat.idempotency.conflicts", new Tag("kind", kind)).inc();
    }

    /** A request refused with 429: a caller over its limit, by kind ({@code posts}, {@code creates}, {@code streams}). */
    public void limited(String kind) {
        registry.counter("chat.rate_limited", new Tag("kind", kind)).inc();
    }

    /** A request answered 503 with Retry-After, by cause. */
    public void unavailable(String cause) {
        registry.counter("chat.unavailable", new Tag("cause", cause)).inc();
    }

    /** A webhook delivery was sent (an attempt), by subscription. */
    public void webhookAttempt(String subscription) {
        registry.counter("chat.webhooks.attempts", new Tag("subscription", subscription)).inc();
    }

    /** A webhook attempt got no 2xx, by subscription. */
    public void webhookFailure(String subscription) {
        registry.counter("chat.webhooks.failures", new Tag("subscription", subscription)).inc();
    }

    /** How long after its event a delivery's first attempt succeeded (null: it was not the first attempt). */
    public void webhookFirstAttemptLatency(Duration latency) {
        if (latency != null) {
            registry.timer("chat.webhooks.first_attempt_latency").update(latency);
        }
    }
}
