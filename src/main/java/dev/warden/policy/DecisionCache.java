package dev.warden.policy;

import dev.warden.bounded.LeastRecentlyUsedMap;
import dev.warden.sql.StatementAnalysis;
import java.util.Map;

/**
 * A small LRU of decisions. Keyed by the whole analysis, not by the statement text alone: the same
 * text means other tables after {@code SET search_path} or another prepared statement behind
 * {@code EXECUTE}. The policy version is implicit, as each engine (one per policy) has its own cache.
 */
final class DecisionCache {

    static final int DEFAULT_CAPACITY = 4096;

    record Key(StatementAnalysis statement, Subject subject, String target, Map<String, String> startupParameters) {}

    private final int capacity;
    private final Map<Key, Decision> entries;

    DecisionCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        this.capacity = capacity;
        this.entries = new LeastRecentlyUsedMap<>(capacity);
    }

    synchronized Decision get(Key key) {
        return capacity == 0 ? null : entries.get(key);
    }

    synchronized void put(Key key, Decision decision) {
        if (capacity > 0) {
            entries.put(key, decision);
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
