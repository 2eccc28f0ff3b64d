package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Who may approve a statement held by a {@code require_approval} rule: {@code count} distinct
 * approvers, each named in {@code identities} or a member of one of {@code groups} (when both are
 * empty, anyone with the approver role). The requester never counts. Stored for the approval
 * service; the engine only carries it on the decision.
 */
public record ApprovalRequirement(List<String> identities, List<String> groups, int count, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    public static final ApprovalRequirement ANY_APPROVER = new ApprovalRequirement(List.of(), List.of(), 1, DEFAULT_TIMEOUT);

    public ApprovalRequirement {
        identities = List.copyOf(requireNonNull(identities, "identities is null"));
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(timeout, "timeout is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
