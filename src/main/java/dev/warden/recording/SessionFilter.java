package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Which sessions to list. Every part is optional; all given parts must hold.
 *
 * @param since sessions still active at or after this instant (ended at or after it, or not ended)
 * @param until sessions started before this instant
 * @param limit at most this many, newest start first
 */
public record SessionFilter(Optional<String> identity, Optional<String> target, Optional<Instant> since,
        Optional<Instant> until, Optional<Status> status, int limit) {

    public enum Status { ACTIVE, ENDED }

    public static final int DEFAULT_LIMIT = 1000;

    public SessionFilter {
        requireNonNull(identity, "identity is null");
        requireNonNull(target, "target is null");
        requireNonNull(since, "since is null");
        requireNonNull(until, "until is null");
        requireNonNull(status, "status is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static SessionFilter all() {
        return new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Integer.MAX_VALUE);
    }

    /** The same test the store applies, for sources that filter in memory. */
    public boolean matches(SessionInfo session) {
        return identity.map(session.identity()::equals).orElse(true)
                && target.map(session.target()::equals).orElse(true)
                && since.map(at -> session.endedAt().map(end -> !end.isBefore(at)).orElse(true)).orElse(true)
                && until.map(session.startedAt()::isBefore).orElse(true)
                && status.map(s -> (s == Status.ENDED) == session.ended()).orElse(true);
    }
}
