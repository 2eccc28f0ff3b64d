package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which sessions to list, newest first. Every filter is optional; start from {@link #all()} and
 * narrow with the {@code withXxx} methods.
 *
 * <p>{@code since} and {@code until} select the sessions that were open at some moment of
 * {@code [since, until)}: started before {@code until}, and still active or ended at or after
 * {@code since}. That answers "who was connected at the time", which is what an auditor asks.
 *
 * @param limit at most this many sessions, 1 to {@link #MAX_LIMIT}
 */
public record SessionQuery(Optional<String> identity, Optional<String> target, OptionalLong sinceMicros,
        OptionalLong untilMicros, Optional<SessionStatus> status, boolean onlyWithRefusals, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public SessionQuery {
        requireNonNull(identity, "identity is null");
        requireNonNull(target, "target is null");
        requireNonNull(sinceMicros, "sinceMicros is null");
        requireNonNull(untilMicros, "untilMicros is null");
        requireNonNull(status, "status is null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }

    /** Every session, the newest {@value #DEFAULT_LIMIT}. */
    public static SessionQuery all() {
        return new SessionQuery(Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), false, DEFAULT_LIMIT);
    }

    public SessionQuery withIdentity(String identity) {
        return new SessionQuery(Optional.of(identity), target, sinceMicros, untilMicros, status, onlyWithRefusals, limit);
    }

    public SessionQuery withTarget(String target) {
        return new SessionQuery(identity, Optional.of(target), sinceMicros, untilMicros, status, onlyWithRefusals, limit);
    }

    public SessionQuery withSince(long micros) {
        return new SessionQuery(identity, target, OptionalLong.of(micros), untilMicros, status, onlyWithRefusals, limit);
    }

    public SessionQuery withUntil(long micros) {
        return new SessionQuery(identity, target, sinceMicros, OptionalLong.of(micros), status, onlyWithRefusals, limit);
    }

    public SessionQuery withSince(Instant since) {
        return withSince(micros(since));
    }

    public SessionQuery withUntil(Instant until) {
        return withUntil(micros(until));
    }

    /** Microseconds since the epoch, as the store keeps times; exact for any instant the store can hold. */
    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public SessionQuery withStatus(SessionStatus status) {
        return new SessionQuery(identity, target, sinceMicros, untilMicros, Optional.of(status), onlyWithRefusals, limit);
    }

    public SessionQuery withRefusalsOnly() {
        return new SessionQuery(identity, target, sinceMicros, untilMicros, status, true, limit);
    }

    public SessionQuery withLimit(int limit) {
        return new SessionQuery(identity, target, sinceMicros, untilMicros, status, onlyWithRefusals, limit);
    }
}
