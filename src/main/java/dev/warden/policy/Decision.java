package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the policy engine decided about one statement (or one message's statements). A value: equal
 * inputs and policy give equal decisions.
 *
 * @param rule the rule that named the decision: a rule of the policy file, {@code default} for a
 *     target's default outcome, or a built-in {@code warden-*} rule
 * @param reason shown to the client (for a deny, in the error message)
 * @param hint what the client can do next; empty when there is nothing to say
 * @param policyVersion the SHA-256 of the policy file the decision was made under (recorded with it)
 * @param approval for {@link Outcome#REQUIRE_APPROVAL}: who may approve and how long the statement
 *     is held
 * @param because which conditions held, for {@code warden policy explain} and the recording
 */
public record Decision(
        Outcome outcome,
        String rule,
        String reason,
        String hint,
        String policyVersion,
        Optional<ApprovalRequirement> approval,
        List<String> because) {

    public Decision {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(hint, "hint is null");
        requireNonNull(policyVersion, "policyVersion is null");
        requireNonNull(approval, "approval is null");
        because = List.copyOf(because);
        if (approval.isPresent() != (outcome == Outcome.REQUIRE_APPROVAL)) {
            throw new IllegalArgumentException("an approval requirement goes with require_approval and only with it");
        }
    }

    public static Decision allow(String rule, String reason, String policyVersion, List<String> because) {
        return new Decision(Outcome.ALLOW, rule, reason, "", policyVersion, Optional.empty(), because);
    }

    public static Decision deny(String rule, String reason, String hint, String policyVersion) {
        return deny(rule, reason, hint, policyVersion, List.of());
    }

    public static Decision deny(String rule, String reason, String hint, String policyVersion, List<String> because) {
        return new Decision(Outcome.DENY, rule, reason, hint, policyVersion, Optional.empty(), because);
    }

    public static Decision requireApproval(String rule, String reason, String hint, ApprovalRequirement approval,
            String policyVersion, List<String> because) {
        return new Decision(Outcome.REQUIRE_APPROVAL, rule, reason, hint, policyVersion,
                Optional.of(requireNonNull(approval, "approval is null")), because);
    }

    public boolean isAllowed() {
        return outcome == Outcome.ALLOW;
    }

    /** The most restrictive of two decisions; on a tie, this one (the earlier statement). */
    public Decision mostRestrictive(Decision other) {
        return other.outcome.isMoreRestrictiveThan(outcome) ? other : this;
    }
}
