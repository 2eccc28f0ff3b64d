package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.Identity;
import dev.warden.identity.UpstreamAccess;
import java.util.Set;

/**
 * Who runs a statement, as policy sees it.
 *
 * @param groups the groups the identity's configuration (and later its OIDC claims) gives it; groups
 *     the policy file defines are added by the engine
 * @param readOnly the identity's sessions use the read-only upstream credential, so statements that
 *     would make a transaction writable are refused (built-in rule {@code warden-read-only})
 */
public record Subject(String identity, Set<String> groups, boolean readOnly) {

    public Subject {
        requireNonNull(identity, "identity is null");
        groups = Set.copyOf(requireNonNull(groups, "groups is null"));
    }

    public static Subject of(Identity identity) {
        return new Subject(identity.name(), Set.copyOf(identity.groups()),
                identity.access() == UpstreamAccess.READ_ONLY);
    }
}
