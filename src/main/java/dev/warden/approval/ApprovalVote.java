package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One approver's decision on a request. */
public record ApprovalVote(String approver, boolean approve, String reason, Instant at) {
    public ApprovalVote {
        requireNonNull(approver, "approver is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(at, "at is null");
    }
}
