package dev.warden.approval;

import static java.util.Objects.requireNonNull;

/**
 * How a request ended, as the parked session learns it.
 *
 * @param actors the approvers who decided it (comma-separated), or empty for expiry and voiding
 * @param reason the deciding approver's reason, or why it expired or was voided
 */
public record ApprovalOutcome(ApprovalStatus status, String actors, String reason) {
    public ApprovalOutcome {
        requireNonNull(status, "status is null");
        requireNonNull(actors, "actors is null");
        requireNonNull(reason, "reason is null");
        if (!status.isFinal()) {
            throw new IllegalArgumentException("an outcome is final");
        }
    }

    public boolean approved() {
        return status == ApprovalStatus.APPROVED;
    }
}
