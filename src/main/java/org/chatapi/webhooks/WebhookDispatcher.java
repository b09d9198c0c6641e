package org.chatapi.webhooks;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.chatapi.live.MessageCommitListener;
import org.chatapi.platform.Lifecycle;
import org.chatapi.platform.Metrics;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/**
 * Sends webhook deliveries from this instance: as soon as any instance commits an event (the database's notification
 * wakes every instance), and every second for retries that fell due. A round claims due queues with a lease
 * ({@link Deliveries#claim}), sends each one's first pending delivery at once, all in parallel on the JDK's HTTP
 * client (no redirects, a connect and a response time-out, so a receiver that never answers holds nothing for
 * long), and records each outcome: 2xx delivered; 410 disables the subscription; anything else is tried again after
 * an exponential back-off with jitter (or the receiver's {@code Retry-After}) until {@code CHAT_WEBHOOK_RETRY_HOURS}
 * have passed since the event. A delivery whose outcome was not recorded (the instance died) is sent again once the
 * lease ({@code CHAT_WEBHOOK_LEASE_SECONDS}) lapses, with the same {@code webhook-id}: at least once, in order per
 * queue.
 *
 * <p>Written on {@code FOR UPDATE SKIP LOCKED} rather than a scheduler library: the deliveries must be rows written
 * by the event's own transaction (a trigger), and a queue row is already the unit of claiming and ordering; a
 * library's own job tables would only add a second record of the same work.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopping;
    private HttpClient http;

    @EJB
    Deliveries deliveries;

    @Inject
    Destinations destinations;

    @Inject
    Payloads payloads;

    @Inject
    Metrics metrics;

    @Inject
    @Readiness
    WebhookBacklog backlog;

    private volatile Instant backlogReadAt = Instant.EPOCH;

    @Resource
    ManagedExecutorService executor;

    @Resource
    TimerService timers;

    @Inject
    @ConfigProperty(name = "chat.webhook-timeout-seconds", defaultValue = "10")
    int timeoutSeconds;

    @Inject
    @ConfigProperty(name = "chat.webhook-retry-hours", defaultValue = "72")
    int retryHours;

    @Inject
    @ConfigProperty(name = "chat.webhook-retry-base-millis", defaultValue = "1000")
    long retryBaseMillis;

    @Inject
    @ConfigProperty(name = "chat.webhook-retry-max-seconds", defaultValue = "3600")
    long retryMaxSeconds;

    @Inject
    @ConfigProperty(name = "chat.webhook-concurrency", defaultValue = "32")
    int concurrency;

    @Inject
    @ConfigProperty(name = "chat.webhook-log-days", defaultValue = "7")
    int logDays;

    @Inject
    @ConfigProperty(name = "chat.webhook-lease-seconds", defaultValue = "60")
    int leaseSeconds;

    @PostConstruct
    void start() {
        if (timeoutSeconds < 1 || retryHours < 0 || retryBaseMillis < 1 || retryMaxSeconds < 1 || concurrency < 1
                || logDays < 1 || leaseSeconds <= 2 * timeoutSeconds) {
            throw new IllegalStateException("The CHAT_WEBHOOK_* settings must be positive, and the lease longer than "
                    + "two time-outs (connecting and answering)");
        }
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(timeoutSeconds))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        timers.createIntervalTimer(1000, 1000, new TimerConfig(null, false));
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
    }

    public void stopping(@Observes Lifecycle.Stopping stop) {
        stopping = true;
    }

    /**
     * Some instance committed events: there may be deliveries to send. Without any enabled subscription (as last
     * read, every few seconds) posts cost no round; the rounds every second catch what a new one brings meanwhile.
     */
    public void written(@Observes MessageCommitListener.InboxWritten written) {
        if (backlog.subscribed()) {
            request();
        }
    }

    @Timeout
    void everySecond() {
        request();
        if (backlogReadAt.isBefore(Instant.now().minusSeconds(5))) {
            backlogReadAt = Instant.now();
            try {
                backlog.update(deliveries.backlog());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "The webhook backlog could not be read", e);
            }
        }
    }

    /** Runs a round now, or right after the one running. */
    void request() {
        again.set(true);
        if (!stopping && !running.get()) {
            executor.execute(this::work);
        }
    }

    private void work() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            while (again.getAndSet(false) && !stopping) {
                List<Deliveries.Head> heads = deliveries.claim(concurrency, Duration.ofSeconds(leaseSeconds));
                if (!heads.isEmpty()) {
                    send(heads);
                    again.set(true);  // more may be due
                }
            }
            deliveries.purgeFinished(Instant.now().minus(Duration.ofDays(logDays)), 1000);
        } catch (RuntimeException e) {
            // The database is away: the leases lapse, and a later round sends again.
            LOG.log(Level.WARNING, "A webhook round failed; what it had claimed is sent again once its lease lapses",
                    e);
        } finally {
            running.set(false);
        }
        if (again.get() && !stopping) {
            executor.execute(this::work);  // asked for while this round was ending
        }
    }

    /** Sends the deliveries in parallel and records each outcome as it comes. */
    private void send(List<Deliveries.Head> heads) {
        CompletableFuture<?>[] sent = heads.stream().map(head -> {
            Instant at = Instant.now();
            Optional<String> refused = destinations.refusal(head.url());
            if (refused.isPresent()) {
                return CompletableFuture.runAsync(() -> outcome(head, at, null, null, refused.get()), executor);
            }
            byte[] body = payloads.of(head).getBytes(StandardCharsets.UTF_8);
            long timestamp = at.getEpochSecond();
            String id = head.id().toString();
            HttpRequest request = HttpRequest.newBuilder(URI.create(head.url()))
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "chat-api-webhooks")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", Signatures.header(head.secret(), head.previousSecret(), id,
                            timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handleAsync((response, failure) -> {
                        outcome(head, at, response, failure, null);
                        return null;
                    }, executor);
        }).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(sent).exceptionally(failure -> null).join();
    }

    private void outcome(Deliveries.Head head, Instant sentAt, HttpResponse<?> response, Throwable failure,
                         String refusal) {
        try {
            String subscription = head.subscriptionId().toString();
            metrics.webhookAttempt(subscription);
            int status = response == null ? 0 : response.statusCode();
            if (status >= 200 && status < 300) {
                metrics.webhookFirstAttemptLatency(head.attempts() == 0
                        ? Duration.between(head.occurredAt(), Instant.now()) : null);
                deliveries.delivered(head, status, sentAt);
                return;
            }
            metrics.webhookFailure(subscription);
            if (status == 410) {
                deliveries.gone(head, sentAt);
                LOG.info(() -> "Webhook subscription " + subscription + " disabled: its receiver answered 410 Gone");
                return;
            }
            String error = refusal != null ? refusal : response != null ? "HTTP " + status
                    : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
            Integer answered = response == null ? null : status;
            if (Instant.now().isAfter(head.occurredAt().plus(Duration.ofHours(retryHours)))) {
                deliveries.gaveUp(head, answered, error + " (given up after " + retryHours + " hours)", sentAt);
                return;
            }
            deliveries.failed(head, answered, error, sentAt, retryAt(head.attempts() + 1, response));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The outcome of webhook delivery " + head.id()
                    + " was not recorded; it is sent again once its lease lapses", e);
        }
    }

    /** After the n-th failed attempt: base × 2^(n-1), at most the maximum, ×0.5 to ×1.5; or as the receiver asks. */
    private Instant retryAt(int attempts, HttpResponse<?> response) {
        long max = Duration.ofSeconds(retryMaxSeconds).toMillis();
        long backoff = Math.min(max, retryBaseMillis << Math.min(attempts - 1, 40));
        long jittered = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble()));
        Instant retry = Instant.now().plusMillis(Math.max(1, jittered));
        Optional<Instant> asked = response == null ? Optional.empty()
                : response.headers().firstValue("Retry-After").flatMap(WebhookDispatcher::retryAfter);
        return asked.filter(at -> at.isBefore(Instant.now().plus(Duration.ofDays(1)))).orElse(retry);
    }

    /** A {@code Retry-After}: seconds, or an HTTP date. */
    private static Optional<Instant> retryAfter(String value) {
        try {
            return Optional.of(Instant.now().plusSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            try {
                return Optional.of(ZonedDateTime.parse(value.trim(), HTTP_DATE).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
