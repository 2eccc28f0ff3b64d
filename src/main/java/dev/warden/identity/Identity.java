package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A principal that may connect through the gateway with a service token.
 *
 * @param name the PostgreSQL user name the client connects as
 * @param groups names that policy rules can refer to instead of listing identities
 * @param access which upstream credential the identity's sessions use; whether the target has that
 *     credential is checked when connecting, because identities are not tied to targets
 */
public record Identity(String name, ScramVerifier verifier, List<String> groups, UpstreamAccess access) {

    public Identity {
        requireNonNull(name, "name is null");
        requireNonNull(verifier, "verifier is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(access, "access is null");
    }
}
