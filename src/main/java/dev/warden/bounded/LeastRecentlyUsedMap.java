package dev.warden.bounded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map of at most {@code capacity} entries that forgets the least recently used one (read or written)
 * when a put would exceed it: the bound of every cache and memory a session or the gateway keeps.
 * Not thread-safe; callers that share one synchronize on it.
 */
public final class LeastRecentlyUsedMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final int capacity;

    public LeastRecentlyUsedMap(int capacity) {
        super(16, 0.75f, true);
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
