package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A web UI session as stored: who logged in and until when, under the SHA-256 of its cookie value
 * (the value itself is never stored, so the table cannot be used to log in).
 *
 * @param readOnly whether the identity's database sessions are read-only (carried into policy decisions)
 */
public record StoredWebSession(String idHash, String identity, List<String> groups, boolean readOnly,
        long createdMicros, long expiresMicros) {

    public StoredWebSession {
        requireNonNull(idHash, "idHash is null");
        requireNonNull(identity, "identity is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
    }
}
