package org.chatapi.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.chatapi.platform.Metrics;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL's channel {@code chat_message}, which the database notifies on the commit of every message
 * (trigger message_posted_notify), and hands each announcement to {@link RoomFanOut}; and on {@code chat_inbox},
 * notified on the commit of inbox events, which it tells as {@link InboxWritten} (the inbox's fan-out observes it).
 * Every instance sharing the database hears every message, so no sticky sessions are needed. After losing its
 * connection it reconnects and tells {@link Reconnected}, so that the fan-outs resync and nothing committed
 * meanwhile is missed.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class MessageCommitListener {

    private static final Logger LOG = Logger.getLogger(MessageCommitListener.class.getName());
    static final String CHANNEL = "chat_message";
    static final String INBOX_CHANNEL = "chat_inbox";
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1000;

    @Resource(lookup = "jdbc/chat")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    RoomFanOut fanOut;

    @Inject
    Event<InboxWritten> inboxWritten;

    @Inject
    Event<Reconnected> reconnected;

    @Inject
    Metrics metrics;

    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile Instant lastRound = Instant.now();
    private Thread listener;

    /** The inbox event log was written, on some instance. */
    public record InboxWritten() {
    }

    /** The listener connected anew: announcements may have been missed meanwhile. */
    public record Reconnected() {
    }

    /** When the listening loop last went round (at least every second while it runs). */
    public Instant lastRound() {
        return lastRound;
    }

    public boolean isConnected() {
        return connected;
    }

    @PostConstruct
    void start() {
        listener = threads.newThread(this::listen);
        listener.setName("chat-message-listener");
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        listener.interrupt();
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                    statement.execute("LISTEN " + INBOX_CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                connected = true;
                reconnected.fire(new Reconnected());
                while (running) {
                    lastRound = Instant.now();
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    boolean inboxHeard = false;
                    for (PGNotification notification : notifications) {
                        if (INBOX_CHANNEL.equals(notification.getName())) {
                            inboxHeard = true;
                        } else {
                            announce(notification.getParameter());
                        }
                    }
                    if (inboxHeard) {
                        inboxWritten.fire(new InboxWritten());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connected = false;
                lastRound = Instant.now();
                if (running) {
                    metrics.listenerReconnect();
                    LOG.log(Level.WARNING, "Lost the message notifications; reconnecting: {0}", e.toString());
                    pause();
                }
            }
        }
    }

    private void announce(String payload) {
        int colon = payload.indexOf(':');
        try {
            fanOut.announce(UUID.fromString(payload.substring(0, colon < 0 ? payload.length() : colon)));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "Ignoring a malformed notification: " + payload);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
