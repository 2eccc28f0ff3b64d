package dev.warden.store;

import dev.warden.bounded.LeastRecentlyUsedMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When the writer next catches a session's statement counter up from its records: at the first
 * commit it sees of the session, then at most once per interval, and when the session ends. Only an
 * optimisation: readers count the records after the caught-up seq themselves, so forgetting a
 * session (the table is bounded, least recently written first) costs an early catch-up, never a
 * wrong count. Used under the store's write lock only.
 */
final class CounterCatchUps {
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int DEFAULT_MAX_SESSIONS = 10_000;

    private final long intervalNanos;
    private final Map<String, Long> lastCatchUp;

    CounterCatchUps(long intervalNanos, int maxSessions) {
        this.intervalNanos = intervalNanos;
        this.lastCatchUp = new LeastRecentlyUsedMap<>(maxSessions);
    }

    /** Whether the counter of a session still running should be caught up in this commit (and notes it if so). */
    boolean due(String sessionId, long nowNanos) {
        Long last = lastCatchUp.get(sessionId);
        if (last != null && nowNanos - last < intervalNanos) {
            return false;
        }
        lastCatchUp.put(sessionId, nowNanos);
        return true;
    }

    /** The session ended: its counter is caught up for good. */
    void ended(String sessionId) {
        lastCatchUp.remove(sessionId);
    }
}
