package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A time-boxed grant as stored: exactly one of identity and group is present.
 *
 * @param approvalId the approval request that created it, when it was asked for from a session
 */
public record StoredGrant(
        String id,
        Optional<String> identity,
        Optional<String> group,
        String target,
        String rule,
        String reason,
        String createdBy,
        long createdMicros,
        long expiresMicros,
        Optional<String> approvalId,
        Optional<String> revokedBy,
        Optional<Long> revokedMicros) {

    public StoredGrant {
        requireNonNull(id, "id is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(group, "group is null");
        requireNonNull(target, "target is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(approvalId, "approvalId is null");
        requireNonNull(revokedBy, "revokedBy is null");
        requireNonNull(revokedMicros, "revokedMicros is null");
        if (identity.isPresent() == group.isPresent()) {
            throw new IllegalArgumentException("a grant is for an identity or for a group");
        }
    }
}
