package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A service token kept in the store: who it lets in, where to, until when. Holds the token's
 * verifier, never the token.
 *
 * @param id the public handle shown by {@code warden token list}; not a secret
 * @param name the identity, i.e. the PostgreSQL user name the client connects as
 * @param targets the targets (database names) it may connect to; nothing else
 */
public record ServiceToken(String id, String name, ScramVerifier verifier, List<String> targets, List<String> groups,
        UpstreamAccess access, Instant createdAt, Instant expiresAt, Optional<Instant> revokedAt) {

    public ServiceToken {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(verifier, "verifier is null");
        targets = List.copyOf(requireNonNull(targets, "targets is null"));
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(access, "access is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(revokedAt, "revokedAt is null");
    }

    /** Usable for a new login at {@code now}: not revoked and not expired. */
    public boolean usableAt(Instant now) {
        return revokedAt.isEmpty() && now.isBefore(expiresAt);
    }

    public boolean allowsTarget(String target) {
        return targets.contains(target);
    }

    /** The identity a login with this token acts as. */
    public Identity identity() {
        return new Identity(name, verifier, groups, access);
    }
}
