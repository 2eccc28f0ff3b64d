package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.ApprovalRequirement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a parked session asks approval for, before the service gives it an id and a deadline.
 *
 * @param sessionId the session record's id, so an approver can open the session's replay
 * @param parameters the bound parameter values as text ({@code NULL} for SQL NULL), in order
 * @param intent what the client said it is doing, when it said so
 * @param estimatedRows the planner's estimate of rows affected, when one was made
 * @param grant a time-boxed grant the statement asks for along with itself
 */
public record ApprovalDraft(
        String sessionId,
        String requester,
        Set<String> requesterGroups,
        String target,
        String statement,
        List<String> parameters,
        String rule,
        String reason,
        ApprovalRequirement requirement,
        String policyVersion,
        Optional<String> intent,
        Optional<Long> estimatedRows,
        Optional<RequestedGrant> grant) {

    public ApprovalDraft(String sessionId, String requester, Set<String> requesterGroups, String target, String statement,
            List<String> parameters, String rule, String reason, ApprovalRequirement requirement, String policyVersion,
            Optional<String> intent, Optional<Long> estimatedRows) {
        this(sessionId, requester, requesterGroups, target, statement, parameters, rule, reason, requirement, policyVersion,
                intent, estimatedRows, RequestedGrant.in(statement));
    }

    public ApprovalDraft {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(requester, "requester is null");
        requesterGroups = Set.copyOf(requireNonNull(requesterGroups, "requesterGroups is null"));
        requireNonNull(target, "target is null");
        requireNonNull(statement, "statement is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
        requireNonNull(rule, "rule is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(requirement, "requirement is null");
        requireNonNull(policyVersion, "policyVersion is null");
        requireNonNull(intent, "intent is null");
        requireNonNull(estimatedRows, "estimatedRows is null");
        requireNonNull(grant, "grant is null");
    }
}
