package dev.warden.proxy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-source back-off for failed logins. Each failure from an address within the window doubles the
 * delay before that address is told it failed (after a few free attempts), up to a cap; a success
 * clears the address. The delay is scheduled on the event loop, never slept. Bounded: beyond
 * {@code maxSources} tracked addresses the stalest entries are dropped.
 */
final class LoginThrottle {
    static final int FREE_ATTEMPTS = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(250);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofMinutes(15);

    private record Failures(int count, long lastMillis) {}

    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxSources;

    LoginThrottle(Clock clock, int maxSources) {
        this.clock = clock;
        this.maxSources = maxSources;
    }

    /** Records a failed login and returns how long to wait before answering it. */
    Duration recordFailure(InetAddress source) {
        long now = clock.millis();
        Failures updated = failures.compute(source, (address, previous) -> {
            boolean fresh = previous == null || now - previous.lastMillis() > WINDOW.toMillis();
            return new Failures(fresh ? 1 : previous.count() + 1, now);
        });
        if (failures.size() > maxSources) {
            evictStale(now);
        }
        return delayFor(updated.count());
    }

    void recordSuccess(InetAddress source) {
        failures.remove(source);
    }

    static Duration delayFor(int failureCount) {
        if (failureCount <= FREE_ATTEMPTS) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failureCount - FREE_ATTEMPTS - 1, 20);
        long millis = BASE_DELAY.toMillis() << doublings;
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    private void evictStale(long now) {
        long oldestAllowed = now - WINDOW.toMillis();
        failures.values().removeIf(entry -> entry.lastMillis() < oldestAllowed);
        int excess = failures.size() - maxSources;
        if (excess > 0) {
            // Least recently failing first: evicting in hash order would let an attacker who rotates
            // through fresh addresses wipe the count of the address it is guessing from. A tenth of
            // headroom keeps the sort from running on every failure of such a flood.
            failures.entrySet().stream()
                    .sorted(Comparator.comparingLong(entry -> entry.getValue().lastMillis()))
                    .limit(excess + maxSources / 10)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(failures::remove);
        }
    }
}
