package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live sessions of this gateway, for graceful shutdown and (later) for the control plane. */
public final class SessionRegistry {
    /** What PostgreSQL itself says on a smart/fast shutdown. */
    static final PgError SHUTDOWN_ERROR =
            PgError.fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection due to administrator command");

    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    long nextSessionId() {
        return nextId.getAndIncrement();
    }

    void add(Session session) {
        sessions.put(session.id(), session);
    }

    void remove(Session session) {
        sessions.remove(session.id());
    }

    /** Tells the session with this cancel key that its client asked to cancel. */
    void cancelled(CancelKey key) {
        for (Session session : sessions.values()) {
            if (session.cancelKey() == key) {
                session.cancelled();
            }
        }
    }

    public int size() {
        return sessions.size();
    }

    /** Asks every session to finish its current statement or transaction and then end. */
    void drainAll() {
        for (Session session : List.copyOf(sessions.values())) {
            session.client().eventLoop().execute(() -> session.drain(SHUTDOWN_ERROR));
        }
    }

    /** Ends every remaining session now. */
    void closeAll() {
        for (Session session : List.copyOf(sessions.values())) {
            session.client().eventLoop().execute(() -> session.closeWith(SHUTDOWN_ERROR));
        }
    }
}
