package dev.warden.control;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Steps of logins in progress, each waiting for the browser's next request: taken at most once,
 * gone after {@code lifetime}, at most {@code capacity} at once (the oldest goes first, so a flood of
 * started logins can delay people but never let one step be used twice or late).
 */
final class PendingLogins<V> {
    private record Timed<V>(V value, Instant startedAt) {}

    private final Clock clock;
    private final Duration lifetime;
    private final int capacity;
    /** In insertion order, which with one lifetime for all is also expiry order. */
    private final Map<String, Timed<V>> entries = new LinkedHashMap<>();

    PendingLogins(Clock clock, Duration lifetime, int capacity) {
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    synchronized void put(String key, V value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        Instant now = clock.instant();
        entries.values().removeIf(timed -> expired(timed, now));
        if (entries.size() >= capacity) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(key, new Timed<>(value, now));
    }

    /** The value under {@code key}, removed; empty when unknown, already taken or expired. */
    synchronized Optional<V> take(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Timed<V> timed = entries.remove(key);
        if (timed == null || expired(timed, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(timed.value());
    }

    synchronized int size() {
        return entries.size();
    }

    private boolean expired(Timed<V> timed, Instant now) {
        return !now.isBefore(timed.startedAt().plus(lifetime));
    }
}
