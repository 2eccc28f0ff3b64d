package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A session as listed: who, where, when, and how many statements it ran and had refused. Derived
 * from the session's records; the records themselves are the evidence.
 *
 * @param statements STATEMENT records stored so far
 * @param refused STATEMENT records whose decision outcome was {@code deny}
 */
public record SessionSummary(String id, String identity, String target, Optional<String> clientAddress,
        Optional<String> applicationName, Optional<String> authMethod, long startedMicros, OptionalLong endedMicros,
        Optional<String> endReason, long statements, long refused) {

    public SessionSummary {
        requireNonNull(id, "id is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(target, "target is null");
        requireNonNull(clientAddress, "clientAddress is null");
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(authMethod, "authMethod is null");
        requireNonNull(endedMicros, "endedMicros is null");
        requireNonNull(endReason, "endReason is null");
    }

    public SessionStatus status() {
        return endedMicros.isPresent() ? SessionStatus.ENDED : SessionStatus.ACTIVE;
    }
}
