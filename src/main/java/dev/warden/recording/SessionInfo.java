package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store knows about a session without reading its records: the summary kept next to the
 * chain. It is not itself protected by the chain; the verifier checks it against the records.
 *
 * @param endedAt when the session ended, empty while it is active
 * @param endReason why it ended, empty while it is active
 */
public record SessionInfo(String sessionId, String identity, String target, String clientAddress,
        String applicationName, Instant startedAt, Optional<Instant> endedAt, Optional<String> endReason) {

    public SessionInfo {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(target, "target is null");
        requireNonNull(clientAddress, "clientAddress is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(endReason, "endReason is null");
    }

    public boolean ended() {
        return endedAt.isPresent();
    }
}
