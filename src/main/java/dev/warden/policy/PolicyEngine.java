package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.sql.StatementAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides statements under one policy. Pure: the decision depends only on the policy and the
 * arguments. Order of evaluation:
 *
 * <ol>
 *   <li>built-in rules ({@code warden-unknown-statement}, {@code warden-identity-switch},
 *       {@code warden-read-only}), which no rule can override;
 *   <li>every rule that applies to the subject and target and whose conditions hold: the most
 *       restrictive outcome wins (deny beats require_approval beats allow) and, among rules with that
 *       outcome, the first in file order names the decision;
 *   <li>no rule matched: the target's default ({@code targets.<name>}, else {@code targets."*"},
 *       else deny);
 *   <li>when that allows or needs approval, the masking rules ({@code warden-masking-*}) for
 *       identities whose results are masked: routes around the masking (staging masked values in
 *       writes, SQL Warden cannot see, statistics, predicates for blind groups) are denied.
 * </ol>
 *
 * <p>Decisions are cached per engine, so per policy version: a reload makes a new engine.
 */
public final class PolicyEngine {

    public static final String DEFAULT_RULE = "default";
    public static final String EMPTY_RULE = "warden-empty";

    private final Policy policy;
    private final DecisionCache cache;
    private final MaskingRules maskingRules;

    public PolicyEngine(Policy policy) {
        this(policy, DecisionCache.DEFAULT_CAPACITY);
    }

    public PolicyEngine(Policy policy, int cacheCapacity) {
        this.policy = requireNonNull(policy, "policy is null");
        this.estimateRules = policy.rules().stream().filter(rule -> rule.match().estimatedRowsOver() != null).toList();
        this.cache = new DecisionCache(cacheCapacity);
        this.maskingRules = new MaskingRules(policy.masking());
    }

    /** The rules with an estimated_rows condition: most policies have none, and then no write waits for one. */
    private final List<PolicyRule> estimateRules;

    public Policy policy() {
        return policy;
    }

    public Decision decide(Subject subject, String target, StatementAnalysis statement, Map<String, String> startupParameters) {
        requireNonNull(subject, "subject is null");
        requireNonNull(target, "target is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(startupParameters, "startupParameters is null");
        DecisionCache.Key key = new DecisionCache.Key(statement, subject, target, startupParameters);
        Decision cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Decision decision = evaluate(subject, target, statement, startupParameters, null);
        cache.put(key, decision);
        return decision;
    }

    /**
     * The decision for the statements of one message: the most restrictive of theirs (any deny is a
     * deny for all, since none of them may run), the earliest statement on a tie. No statements
     * (an empty query) is allowed: PostgreSQL answers it without touching data.
     */
    public Decision decideAll(Subject subject, String target, List<StatementAnalysis> statements,
            Map<String, String> startupParameters) {
        return decideAll(subject, target, statements, startupParameters, true);
    }

    /**
     * {@link #decideAll} without the shared cache, for a caller that remembers decisions itself (the
     * gateway does, per session): statements with literals are rarely repeated, and hashing whole
     * analyses into a shared, locked cache costs more than deciding again.
     */
    public Decision decideAllUncached(Subject subject, String target, List<StatementAnalysis> statements,
            Map<String, String> startupParameters) {
        return decideAll(subject, target, statements, startupParameters, false);
    }

    private Decision decideAll(Subject subject, String target, List<StatementAnalysis> statements,
            Map<String, String> startupParameters, boolean cached) {
        Decision result = null;
        for (StatementAnalysis statement : statements) {
            Decision decision = cached ? decide(subject, target, statement, startupParameters)
                    : evaluate(subject, target, statement, startupParameters, null);
            result = result == null ? decision : result.mostRestrictive(decision);
            if (result.outcome() == Outcome.DENY) {
                break;
            }
        }
        return result != null ? result
                : Decision.allow(EMPTY_RULE, "An empty query runs nothing.", policy.version(), List.of("no statements"));
    }

    /** Statement kinds whose rows the planner can estimate before they run. */
    private static final Set<dev.warden.sql.StatementKind> ESTIMABLE = java.util.EnumSet.of(
            dev.warden.sql.StatementKind.UPDATE, dev.warden.sql.StatementKind.DELETE, dev.warden.sql.StatementKind.MERGE);

    /**
     * Whether a row estimate could change this statement's decision: it writes rows the planner can
     * estimate and some rule that applies to the subject would match it if the estimate were high.
     */
    public boolean wantsEstimate(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters) {
        if (estimateRules.isEmpty() || !ESTIMABLE.contains(statement.kind()) || !statement.understood()) {
            return false;
        }
        Set<String> groups = policy.groupsOf(subject);
        List<String> ignored = new ArrayList<>();
        for (PolicyRule rule : estimateRules) {
            if (rule.appliesTo(subject.identity(), groups, target)
                    && rule.match().matches(statement, startupParameters, rule.outcome(), ignored, RowEstimate.of(Long.MAX_VALUE))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a rule that could decide on the estimate asks for an exact count (a dry run) rather than the planner's. */
    public boolean wantsExactCount(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters) {
        Set<String> groups = policy.groupsOf(subject);
        List<String> ignored = new ArrayList<>();
        for (PolicyRule rule : estimateRules) {
            if (rule.match().estimatedRowsExact() && rule.appliesTo(subject.identity(), groups, target)
                    && rule.match().matches(statement, startupParameters, rule.outcome(), ignored, RowEstimate.of(Long.MAX_VALUE))) {
                return true;
            }
        }
        return false;
    }

    /** The decision with what is known of the rows the statement touches. Not cached. */
    public Decision decideWithEstimate(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters, RowEstimate estimate) {
        requireNonNull(estimate, "estimate is null");
        return evaluate(subject, target, statement, startupParameters, null, estimate);
    }

    /** The decision and every rule that matched, in file order, for {@code warden policy explain}. Not cached. */
    public Explanation explain(Subject subject, String target, StatementAnalysis statement, Map<String, String> startupParameters) {
        List<RuleMatch> matched = new ArrayList<>();
        Decision decision = evaluate(subject, target, statement, startupParameters, matched);
        return new Explanation(statement, decision, matched);
    }

    /** One rule whose conditions held. */
    public record RuleMatch(String rule, Outcome outcome, int line, List<String> because) {}

    public record Explanation(StatementAnalysis statement, Decision decision, List<RuleMatch> matchedRules) {}

    private Decision evaluate(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters, List<RuleMatch> allMatches) {
        return evaluate(subject, target, statement, startupParameters, allMatches, RowEstimate.UNAVAILABLE);
    }

    private Decision evaluate(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters, List<RuleMatch> allMatches, RowEstimate estimate) {
        Decision builtIn = BuiltInRules.check(subject, statement, policy.version());
        if (builtIn != null) {
            return builtIn;
        }
        Set<String> groups = policy.groupsOf(subject);
        Decision decision = evaluateRules(subject, target, statement, startupParameters, allMatches, groups, estimate);
        if (decision.outcome() == Outcome.DENY) {
            return decision;
        }
        // Only a statement the file would run can leak around the masking; a file deny stays the reason.
        Decision masking = maskingRules.check(groups, statement, policy.version());
        return masking != null ? masking : decision;
    }

    private Decision evaluateRules(Subject subject, String target, StatementAnalysis statement,
            Map<String, String> startupParameters, List<RuleMatch> allMatches, Set<String> groups, RowEstimate estimate) {
        PolicyRule best = null;
        List<String> bestBecause = null;
        List<String> because = new ArrayList<>();
        for (PolicyRule rule : policy.rules()) {
            boolean couldDecide = best == null || rule.outcome().isMoreRestrictiveThan(best.outcome());
            if (!couldDecide && allMatches == null) {
                continue;
            }
            if (!rule.appliesTo(subject.identity(), groups, target)) {
                continue;
            }
            because.clear();
            addSubjectReason(rule, subject, groups, target, because);
            if (!rule.match().matches(statement, startupParameters, rule.outcome(), because, estimate)) {
                continue;
            }
            if (allMatches != null) {
                allMatches.add(new RuleMatch(rule.name(), rule.outcome(), rule.line(), List.copyOf(because)));
            }
            if (couldDecide) {
                best = rule;
                bestBecause = List.copyOf(because);
                if (best.outcome() == Outcome.DENY && allMatches == null) {
                    break;
                }
            }
        }
        return best == null ? targetDefault(target) : decisionOf(best, bestBecause);
    }

    private static void addSubjectReason(PolicyRule rule, Subject subject, Set<String> groups, String target,
            List<String> because) {
        if (!rule.targets().isEmpty()) {
            because.add("target " + target + " is one of the rule's targets");
        }
        if (rule.identities().contains(subject.identity())) {
            because.add("identity " + subject.identity() + " is one of the rule's subjects");
        } else if (!rule.groups().isEmpty()) {
            groups.stream().filter(rule.groups()::contains).sorted().findFirst()
                    .ifPresent(group -> because.add("identity " + subject.identity() + " is in group " + group));
        }
    }

    private Decision decisionOf(PolicyRule rule, List<String> because) {
        return switch (rule.outcome()) {
            case ALLOW -> Decision.allow(rule.name(), rule.reason(), policy.version(), because);
            case DENY -> Decision.deny(rule.name(), rule.reason(), rule.hint(), policy.version(), because);
            case REQUIRE_APPROVAL -> Decision.requireApproval(rule.name(), rule.reason(), rule.hint(),
                    rule.approval().orElse(ApprovalRequirement.ANY_APPROVER), policy.version(), because);
        };
    }

    private Decision targetDefault(String target) {
        Outcome outcome = policy.defaultFor(target);
        List<String> because = List.of("no rule matched; the default for target " + target + " is " + outcome.configName());
        return switch (outcome) {
            case ALLOW -> Decision.allow(DEFAULT_RULE, "Target " + target + " allows by default.", policy.version(), because);
            case DENY -> Decision.deny(DEFAULT_RULE, "No policy rule allows this statement on target " + target + ".",
                    "Ask an administrator to add a rule to the Warden policy if you need it.", policy.version(), because);
            case REQUIRE_APPROVAL -> Decision.requireApproval(DEFAULT_RULE,
                    "Statements on target " + target + " need approval unless a rule allows them.", "",
                    ApprovalRequirement.ANY_APPROVER, policy.version(), because);
        };
    }
}
