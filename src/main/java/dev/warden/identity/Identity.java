package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A principal that may connect through the gateway: configured in {@code identities:}, issued as a
 * service token in the store, or vouched for by an OIDC access token.
 *
 * @param name the PostgreSQL user name the client connects as (for OIDC: the token's identity)
 * @param verifier the SCRAM-SHA-256 verifier of its service token; empty for an identity that logs
 *     in with an OIDC access token
 * @param groups names that policy rules can refer to instead of listing identities
 * @param access which upstream credential the identity's sessions use; whether the target has that
 *     credential is checked when connecting, because identities are not tied to targets
 */
public record Identity(String name, Optional<ScramVerifier> verifier, List<String> groups, UpstreamAccess access) {

    public Identity {
        requireNonNull(name, "name is null");
        requireNonNull(verifier, "verifier is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(access, "access is null");
    }

    /** An identity that logs in with SCRAM-SHA-256 against {@code verifier}. */
    public Identity(String name, ScramVerifier verifier, List<String> groups, UpstreamAccess access) {
        this(name, Optional.of(requireNonNull(verifier, "verifier is null")), groups, access);
    }
}
