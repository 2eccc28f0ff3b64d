package dev.warden.control;

import dev.warden.policy.Subject;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link WebSessions} keeps who is logged in, by the SHA-256 of the cookie value: in memory
 * ({@link MemoryWebSessionTable}, one node) or in the store ({@link StoreWebSessionTable}, any node
 * sharing it serves the browser).
 */
interface WebSessionTable {
    /** One stored session: whom it logs in, and until when. */
    record Entry(Subject subject, Instant expiresAt) {}

    /** Adds a session, first dropping expired ones and, when full, the oldest. */
    void insert(String idHash, Subject subject, Instant now, Instant expiresAt);

    /** The session under {@code idHash} if it is live at {@code now}. */
    Optional<Entry> find(String idHash, Instant now);

    void delete(String idHash);
}
