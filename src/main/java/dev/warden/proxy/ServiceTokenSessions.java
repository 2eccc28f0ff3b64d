package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ServiceTokenConfig;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import dev.warden.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions opened with stored service tokens. When {@code end_sessions_on_revoke} is on,
 * they are checked against the store every {@code check_interval} and those whose token was revoked
 * (by the CLI, possibly on another machine) or has expired are ended with 57P01, as an administrator's
 * {@code pg_terminate_backend} would. A failed check ends nothing and is retried: a store outage
 * already stops new statements (they cannot be recorded).
 */
final class ServiceTokenSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceTokenSessions.class);
    static final PgError REVOKED = PgError.fatal(SqlState.ADMIN_SHUTDOWN,
            "terminating connection because its service token was revoked or has expired",
            "Ask an administrator for a new token (warden token create).");

    private final ServiceTokenDirectory directory;
    private final ServiceTokenConfig config;
    private final Map<String, Set<Session>> byToken = new ConcurrentHashMap<>();
    private ScheduledExecutorService checker;

    ServiceTokenSessions(ServiceTokenDirectory directory, ServiceTokenConfig config) {
        this.directory = requireNonNull(directory, "directory is null");
        this.config = requireNonNull(config, "config is null");
    }

    synchronized void start() {
        if (!config.endSessionsOnRevoke() || checker != null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warden-token-check");
            thread.setDaemon(true);
            return thread;
        });
        long millis = config.checkInterval().toMillis();
        checker.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    }

    void add(String tokenId, Session session) {
        byToken.computeIfAbsent(tokenId, id -> ConcurrentHashMap.newKeySet()).add(session);
        session.client().closeFuture().addListener(closed -> remove(tokenId, session));
    }

    private void remove(String tokenId, Session session) {
        byToken.computeIfPresent(tokenId, (id, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    /** Ends the sessions of tokens that are no longer usable; runs on the checker thread. */
    void check() {
        if (byToken.isEmpty()) {
            return;
        }
        Set<String> unusable;
        try {
            unusable = directory.unusableAmong(List.copyOf(byToken.keySet()));
        } catch (StoreException | RuntimeException e) {
            log.warn("could not check service tokens of live sessions: {}", e.getMessage());
            return;
        }
        for (String tokenId : unusable) {
            Set<Session> sessions = byToken.remove(tokenId);
            if (sessions == null) {
                continue;
            }
            for (Session session : sessions) {
                log.info("ending session {} of {}: service token {} was revoked or has expired", session.id(),
                        session.identity(), tokenId);
                session.client().eventLoop().execute(() -> session.closeWith(REVOKED, "service token revoked or expired"));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }
}
