package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.masking.MaskingPolicy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated policy file. Immutable; a reload builds a new one.
 *
 * @param version the SHA-256 of the file's bytes in lower-case hex, recorded with every decision
 * @param groups groups the file defines, by name, with their member identities
 * @param targetDefaults each target's outcome when no rule matches; {@code *} for every other target
 * @param masking the {@code masking:} section: what results hide from whom
 */
public record Policy(
        Path source,
        String version,
        Map<String, Set<String>> groups,
        Map<String, Outcome> targetDefaults,
        List<PolicyRule> rules,
        MaskingPolicy masking) {

    public static final String ALL_TARGETS = "*";

    /** A policy without a masking section. */
    public Policy(Path source, String version, Map<String, Set<String>> groups, Map<String, Outcome> targetDefaults,
            List<PolicyRule> rules) {
        this(source, version, groups, targetDefaults, rules, MaskingPolicy.NONE);
    }

    public Policy {
        requireNonNull(source, "source is null");
        requireNonNull(version, "version is null");
        groups = Map.copyOf(groups);
        targetDefaults = Map.copyOf(targetDefaults);
        rules = List.copyOf(rules);
        requireNonNull(masking, "masking is null");
    }

    /** The first 12 hex digits of the version, for display. */
    public String shortVersion() {
        return version.substring(0, Math.min(12, version.length()));
    }

    /** The target's own default, else that of {@code *}, else deny. */
    public Outcome defaultFor(String target) {
        Outcome outcome = targetDefaults.get(target);
        if (outcome == null) {
            outcome = targetDefaults.get(ALL_TARGETS);
        }
        return outcome == null ? Outcome.DENY : outcome;
    }

    /** The subject's own groups plus the groups of this file that list the identity. */
    public Set<String> groupsOf(Subject subject) {
        Set<String> result = null;
        for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
            if (group.getValue().contains(subject.identity()) && !subject.groups().contains(group.getKey())) {
                if (result == null) {
                    result = new HashSet<>(subject.groups());
                }
                result.add(group.getKey());
            }
        }
        return result == null ? subject.groups() : Set.copyOf(result);
    }

    public List<String> ruleNames() {
        return rules.stream().map(PolicyRule::name).toList();
    }
}
