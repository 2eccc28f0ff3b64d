package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Lets an identity (or every member of a group) run, on one target, the statements one
 * {@code require_approval} rule would hold, without asking each time, until it expires or is revoked.
 */
public record Grant(
        String id,
        Optional<String> identity,
        Optional<String> group,
        String target,
        String rule,
        String reason,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        Optional<String> approvalId,
        Optional<String> revokedBy,
        Optional<Instant> revokedAt) {

    public Grant {
        requireNonNull(id, "id is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(group, "group is null");
        requireNonNull(target, "target is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(approvalId, "approvalId is null");
        requireNonNull(revokedBy, "revokedBy is null");
        requireNonNull(revokedAt, "revokedAt is null");
        if (identity.isPresent() == group.isPresent()) {
            throw new IllegalArgumentException("a grant is for an identity or for a group");
        }
    }

    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && now.isBefore(expiresAt);
    }

    public boolean covers(String who, Set<String> groups, String onTarget, String forRule) {
        return target.equals(onTarget) && rule.equals(forRule)
                && (identity.map(who::equals).orElse(false) || group.map(groups::contains).orElse(false));
    }

    /** Who it is for, as people read it: {@code identity alice} or {@code group dbas}. */
    public String grantee() {
        return identity.map(name -> "identity " + name).orElseGet(() -> "group " + group.orElseThrow());
    }

    Grant revoked(String by, Instant at) {
        return new Grant(id, identity, group, target, rule, reason, createdBy, createdAt, expiresAt, approvalId,
                Optional.of(by), Optional.of(at));
    }
}
