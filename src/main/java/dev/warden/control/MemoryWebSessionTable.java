package dev.warden.control;

import dev.warden.policy.Subject;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Web sessions in this node's memory only: a restart logs everyone out. Thread-safe. */
final class MemoryWebSessionTable implements WebSessionTable {
    private final int capacity;
    /** In creation order, which with one lifetime for all is also expiry order. */
    private final Map<String, Entry> sessions = new LinkedHashMap<>();

    MemoryWebSessionTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void insert(String idHash, Subject subject, Instant now, Instant expiresAt) {
        sessions.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        if (sessions.size() >= capacity) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        sessions.put(idHash, new Entry(subject, expiresAt));
    }

    @Override
    public synchronized Optional<Entry> find(String idHash, Instant now) {
        Entry entry = sessions.get(idHash);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expiresAt())) {
            sessions.remove(idHash);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    @Override
    public synchronized void delete(String idHash) {
        sessions.remove(idHash);
    }
}
