package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A request and where it stands, at one moment. */
public record ApprovalSnapshot(ApprovalRequest request, ApprovalStatus status, List<ApprovalVote> votes,
        Optional<Instant> decidedAt, Optional<ApprovalOutcome> outcome) {
    public ApprovalSnapshot {
        requireNonNull(request, "request is null");
        requireNonNull(status, "status is null");
        votes = List.copyOf(requireNonNull(votes, "votes is null"));
        requireNonNull(decidedAt, "decidedAt is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** Approvals still needed before the statement runs. */
    public int approvalsMissing() {
        long approvals = votes.stream().filter(ApprovalVote::approve).count();
        return (int) Math.max(0, request.draft().requirement().count() - approvals);
    }
}
