package dev.warden.policy;

import dev.warden.config.ConfigProblems;
import dev.warden.config.YamlMapping;
import dev.warden.config.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code rules:} of a policy file. */
final class RuleReader {

    static final Map<String, Outcome> OUTCOMES = choices(Outcome.values());

    private static final List<String> KEYS = List.of("name", "outcome", "subjects", "targets", "match", "reason", "hint",
            "approvers", "approval_timeout");
    private static final List<String> SUBJECT_KEYS = List.of("identities", "groups");
    private static final List<String> APPROVER_KEYS = List.of("identities", "groups", "count");
    private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_NAME_LENGTH = 63;

    private RuleReader() {}

    static List<PolicyRule> readRules(YamlNode node) {
        List<PolicyRule> rules = new ArrayList<>();
        Map<String, Integer> firstLines = new HashMap<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asMapping(KEYS).ifPresent(mapping -> {
                Optional<PolicyRule> rule = readRule(mapping);
                // Checked on the raw name, so that a duplicate is reported even when either rule has other problems.
                Optional<YamlNode> nameNode = mapping.get("name").filter(YamlNode::isScalar);
                Optional<String> name = nameNode.flatMap(YamlNode::asString);
                if (name.isPresent()) {
                    Integer firstLine = firstLines.putIfAbsent(name.get(), item.line());
                    if (firstLine != null) {
                        nameNode.get().problem("duplicate rule name (first defined at line " + firstLine + ")");
                        return;
                    }
                }
                rule.ifPresent(rules::add);
            });
        }
        return rules;
    }

    private static Optional<PolicyRule> readRule(YamlMapping mapping) {
        ConfigProblems problems = mapping.self().problems();
        int before = problems.size();
        String name = mapping.required("name", RuleReader::readRuleName);
        Outcome outcome = mapping.required("outcome", node -> node.asChoice(OUTCOMES));
        Set<String> identities = Set.of();
        Set<String> groups = Set.of();
        Optional<YamlMapping> subjects = mapping.get("subjects").flatMap(node -> node.asMapping(SUBJECT_KEYS));
        if (subjects.isPresent()) {
            identities = subjects.get().value("identities", node -> Optional.of(PolicyLoader.readNameSet(node)), Set.of());
            groups = subjects.get().value("groups", node -> Optional.of(PolicyLoader.readNameSet(node)), Set.of());
            if (identities.isEmpty() && groups.isEmpty()) {
                subjects.get().self().problem("must name at least one identity or group (leave subjects out to mean everyone)");
            }
        }
        Set<String> targets = mapping.value("targets", node -> Optional.of(PolicyLoader.readNameSet(node)), Set.of());
        StatementMatch match = mapping.get("match").flatMap(node -> MatchReader.read(node, outcome))
                .orElse(StatementMatch.EVERYTHING);
        String reason = mapping.value("reason", YamlNode::asString, "");
        String hint = mapping.value("hint", YamlNode::asString, "");
        if (outcome != null && outcome != Outcome.ALLOW && reason != null && reason.isBlank()) {
            mapping.self().problem(mapping.field("reason"),
                    "is required for " + outcome.configName() + " rules: it is what the client is told");
        }
        Optional<ApprovalRequirement> approval = readApproval(mapping, outcome);
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new PolicyRule(name, outcome, identities, groups, targets, match,
                reason.isBlank() ? "matched policy rule " + name : reason, hint, approval, mapping.self().line()));
    }

    private static Optional<String> readRuleName(YamlNode node) {
        return node.asString().filter(name -> {
            if (name.length() > MAX_NAME_LENGTH || !RULE_NAME.matcher(name).matches()) {
                node.problem("must be lower-case letters, digits and single hyphens, at most " + MAX_NAME_LENGTH
                        + " characters (got '" + name + "')");
                return false;
            }
            if (name.startsWith("warden-") || name.equals("default")) {
                node.problem("'" + name + "' is reserved for Warden's built-in rules and target defaults");
                return false;
            }
            return true;
        });
    }

    private static Optional<ApprovalRequirement> readApproval(YamlMapping mapping, Outcome outcome) {
        Optional<YamlNode> approvers = mapping.get("approvers");
        Optional<YamlNode> timeoutNode = mapping.get("approval_timeout");
        if (outcome != Outcome.REQUIRE_APPROVAL) {
            if (outcome != null) {
                approvers.ifPresent(node -> node.problem("is only for require_approval rules"));
                timeoutNode.ifPresent(node -> node.problem("is only for require_approval rules"));
            }
            return Optional.empty();
        }
        Duration timeout = mapping.value("approval_timeout", node -> node.asDuration(false), ApprovalRequirement.DEFAULT_TIMEOUT);
        Set<String> identities = Set.of();
        Set<String> groups = Set.of();
        Integer count = 1;
        Optional<YamlMapping> section = approvers.flatMap(node -> node.asMapping(APPROVER_KEYS));
        if (section.isPresent()) {
            identities = section.get().value("identities", node -> Optional.of(PolicyLoader.readNameSet(node)), Set.of());
            groups = section.get().value("groups", node -> Optional.of(PolicyLoader.readNameSet(node)), Set.of());
            count = section.get().value("count", node -> node.asInteger(1, 100), 1);
            if (count != null && groups.isEmpty() && !identities.isEmpty() && count > identities.size()) {
                section.get().get("count").orElseThrow().problem("asks for " + count + " approvers but only "
                        + identities.size() + " identities are listed and no groups");
            }
        }
        if (timeout == null || count == null) {
            return Optional.empty();
        }
        return Optional.of(new ApprovalRequirement(List.copyOf(identities), List.copyOf(groups), count, timeout));
    }

    static <E extends Enum<E>> Map<String, E> choices(E[] values) {
        Map<String, E> choices = new LinkedHashMap<>();
        for (E value : values) {
            choices.put(StatementMatch.lower(value), value);
        }
        return choices;
    }

    static <E> Set<E> readChoices(YamlNode node, Map<String, E> choices) {
        Set<E> values = new LinkedHashSet<>();
        for (YamlNode item : listOrSingle(node)) {
            item.asChoice(choices).ifPresent(values::add);
        }
        return values;
    }

    /** A list, or a single value standing for a list of one ({@code direction: from}). */
    static List<YamlNode> listOrSingle(YamlNode node) {
        if (node.isScalar()) {
            return List.of(node);
        }
        return node.asSequence().orElse(List.of());
    }
}
