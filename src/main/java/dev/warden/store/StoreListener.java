package dev.warden.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on a PostgreSQL store for the notifications gateway nodes send each other, on a thread
 * of its own with a connection of its own; reconnects after a failure. Notifications are a wake-up,
 * not a message bus: callers also poll, so one lost while reconnecting costs a poll interval.
 */
final class StoreListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreListener.class);
    private static final int WAIT_MILLIS = 1_000;

    private final StoreConnector connector;
    private final List<String> channels;
    private final Consumer<String> onNotification;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private StoreListener(StoreConnector connector, List<String> channels, Consumer<String> onNotification) {
        this.connector = connector;
        this.channels = List.copyOf(channels);
        this.onNotification = onNotification;
        this.thread = new Thread(this::run, "warden-store-listener");
        thread.setDaemon(true);
    }

    static StoreListener start(StoreConnector connector, List<String> channels, Consumer<String> onNotification) {
        for (String channel : channels) {
            if (!channel.matches("[a-z_]{1,63}")) {
                throw new IllegalArgumentException("not a channel name: " + channel);
            }
        }
        StoreListener listener = new StoreListener(connector, channels, onNotification);
        listener.thread.start();
        return listener;
    }

    private void run() {
        while (!closed) {
            try (Connection listening = connector.openReader()) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    for (String channel : channels) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        try {
                            onNotification.accept(notification.getName());
                        } catch (RuntimeException e) {
                            log.warn("store notification on {} failed: {}", notification.getName(), e.toString());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("listening on the store failed ({}); retrying in 1 s", e.toString());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
