package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.approval.ApprovalService;
import dev.warden.approval.GrantService;
import dev.warden.policy.Subject;
import java.util.Set;
import java.util.function.Function;
import java.util.Optional;

/**
 * What the gateway needs to hold statements for approval.
 *
 * @param service settles requests (approvers reach it through the control plane)
 * @param publicUrl the control plane's address as approvers reach it, for links in notices
 */
public record ApprovalSetup(ApprovalService service, Optional<GrantService> grants, Optional<String> publicUrl,
        Function<Subject, Set<String>> groupsOf) {
    public ApprovalSetup {
        requireNonNull(service, "service is null");
        requireNonNull(grants, "grants is null");
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(groupsOf, "groupsOf is null");
    }

    /** Where an approver decides request {@code id}, when the control plane's address is known. */
    public Optional<String> linkTo(String id) {
        return publicUrl.map(base -> (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/approvals/" + id);
    }
}
