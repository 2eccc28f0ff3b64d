package dev.warden.control;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** Who is calling the control plane, once authenticated: an identity, all its groups, its roles. */
public record Caller(String identity, Set<String> groups, Set<Role> roles) {
    public Caller {
        requireNonNull(identity, "identity is null");
        groups = Set.copyOf(requireNonNull(groups, "groups is null"));
        roles = Set.copyOf(requireNonNull(roles, "roles is null"));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
