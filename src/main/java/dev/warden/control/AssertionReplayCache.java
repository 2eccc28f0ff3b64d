package dev.warden.control;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of assertions that have logged someone in, each kept until the assertion could no longer
 * be accepted anyway (its last NotOnOrAfter plus the clock drift allowed). java-saml checks an
 * assertion's signature and times but not whether it was used before; a bearer assertion copied from a
 * browser, a proxy log or a HAR file must not log in a second time.
 *
 * <p>Bounded. When it is full of live entries, new logins are refused rather than old entries dropped:
 * dropping one would reopen its assertion to replay. It is in memory, per gateway node: see
 * docs/security.md for what that means with several nodes.
 */
final class AssertionReplayCache {
    static final int MAX_ENTRIES = 10_000;

    enum Outcome {
        FIRST_USE,
        REPLAYED,
        FULL
    }

    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Instant> keptUntil = new HashMap<>();

    AssertionReplayCache(Clock clock, int maxEntries) {
        this.clock = requireNonNull(clock, "clock is null");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
    }

    /** Records {@code assertionId} as used until {@code until}, unless it was used before or there is no room. */
    synchronized Outcome use(String assertionId, Instant until) {
        requireNonNull(assertionId, "assertionId is null");
        requireNonNull(until, "until is null");
        Instant now = clock.instant();
        Instant previous = keptUntil.get(assertionId);
        if (previous != null && now.isBefore(previous)) {
            return Outcome.REPLAYED;
        }
        if (keptUntil.size() >= maxEntries) {
            keptUntil.values().removeIf(end -> !now.isBefore(end));
            if (keptUntil.size() >= maxEntries) {
                return Outcome.FULL;
            }
        }
        keptUntil.put(assertionId, until);
        return Outcome.FIRST_USE;
    }

    synchronized int size() {
        return keptUntil.size();
    }
}
