package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A statement held for approval, as approvers see it.
 *
 * @param id what approvers name it by ({@code apr_...})
 * @param binding SHA-256 over requester, target, statement text and parameters: an approver who
 *     passes it back proves the decision is about exactly this statement
 */
public record ApprovalRequest(String id, ApprovalDraft draft, String binding, Instant requestedAt, Instant expiresAt) {
    public ApprovalRequest {
        requireNonNull(id, "id is null");
        requireNonNull(draft, "draft is null");
        requireNonNull(binding, "binding is null");
        requireNonNull(requestedAt, "requestedAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    public String requester() {
        return draft.requester();
    }
}
