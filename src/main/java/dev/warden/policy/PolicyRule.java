package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * One rule of a policy file.
 *
 * @param identities who the rule applies to by name; with {@code groups} empty too, everyone
 * @param groups who the rule applies to by group
 * @param targets the targets it applies to; empty for all
 * @param approval present exactly for require_approval rules
 * @param line where the rule starts in the file, for explanations
 */
public record PolicyRule(
        String name,
        Outcome outcome,
        Set<String> identities,
        Set<String> groups,
        Set<String> targets,
        StatementMatch match,
        String reason,
        String hint,
        Optional<ApprovalRequirement> approval,
        int line) {

    public PolicyRule {
        requireNonNull(name, "name is null");
        requireNonNull(outcome, "outcome is null");
        identities = Set.copyOf(identities);
        groups = Set.copyOf(groups);
        targets = Set.copyOf(targets);
        requireNonNull(match, "match is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(hint, "hint is null");
        requireNonNull(approval, "approval is null");
    }

    public boolean appliesTo(String identity, Set<String> subjectGroups, String target) {
        if (!targets.isEmpty() && !targets.contains(target)) {
            return false;
        }
        if (identities.isEmpty() && groups.isEmpty()) {
            return true;
        }
        if (identities.contains(identity)) {
            return true;
        }
        for (String group : subjectGroups) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }
}
