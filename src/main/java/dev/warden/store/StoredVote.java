package dev.warden.store;

import static java.util.Objects.requireNonNull;

/**
 * A decision taken on one node for a request parked on another, waiting to be applied there.
 *
 * @param approverGroups the approver's groups as a JSON array, as the deciding node saw them
 * @param binding the binding the approver reviewed, or null
 */
public record StoredVote(String approvalId, String approver, String approverGroups, boolean approve, String reason,
        String binding) {
    public StoredVote {
        requireNonNull(approvalId, "approvalId is null");
        requireNonNull(approver, "approver is null");
        requireNonNull(approverGroups, "approverGroups is null");
        requireNonNull(reason, "reason is null");
    }
}
