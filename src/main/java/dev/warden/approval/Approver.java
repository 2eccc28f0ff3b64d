package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Someone deciding on a request: an authenticated identity with all its groups (from configuration,
 * tokens and the policy file's groups).
 *
 * @param approverRole whether the control plane gives this identity the approver role, which is what
 *     counts for rules that name no approvers of their own
 */
public record Approver(String identity, Set<String> groups, boolean approverRole) {
    public Approver {
        requireNonNull(identity, "identity is null");
        groups = Set.copyOf(requireNonNull(groups, "groups is null"));
    }
}
