package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.sql.StatementAnalysis;
import java.util.List;
import java.util.Map;

/**
 * The text of {@code warden policy explain}: for each statement the decision, the rule, reason, hint,
 * the conditions that held, and the other rules that matched but did not decide; then the decision
 * for the whole message.
 */
public final class PolicyExplainer {

    private PolicyExplainer() {}

    public static String explain(PolicyEngine engine, Subject subject, String target, List<StatementAnalysis> statements,
            Map<String, String> startupParameters) {
        requireNonNull(engine, "engine is null");
        Policy policy = engine.policy();
        StringBuilder text = new StringBuilder();
        text.append("policy ").append(policy.source()).append(" version ").append(policy.shortVersion()).append('\n');
        text.append("identity ").append(subject.identity());
        if (!subject.groups().isEmpty()) {
            text.append(" groups ").append(subject.groups().stream().sorted().toList());
        }
        if (subject.readOnly()) {
            text.append(" (read-only)");
        }
        text.append(", target ").append(target).append('\n');
        for (int i = 0; i < statements.size(); i++) {
            StatementAnalysis statement = statements.get(i);
            PolicyEngine.Explanation explanation = engine.explain(subject, target, statement, startupParameters);
            Decision decision = explanation.decision();
            text.append('\n').append("statement ").append(i + 1).append(": ").append(oneLine(statement.text())).append('\n');
            line(text, "decision", decision.outcome().displayName());
            line(text, "rule", decision.rule() + ruleLine(explanation, decision.rule()));
            line(text, "reason", decision.reason());
            if (!decision.hint().isEmpty()) {
                line(text, "hint", decision.hint());
            }
            decision.approval().ifPresent(approval -> line(text, "approval", approvers(approval)));
            for (String because : decision.because()) {
                line(text, "because", because);
            }
            for (PolicyEngine.RuleMatch match : explanation.matchedRules()) {
                if (!match.rule().equals(decision.rule())) {
                    line(text, "also matched", match.rule() + " (" + match.outcome().configName() + ", line " + match.line()
                            + "), outranked");
                }
            }
        }
        Decision overall = engine.decideAll(subject, target, statements, startupParameters);
        text.append('\n').append("overall: ").append(overall.outcome().displayName()).append(" (rule ").append(overall.rule())
                .append(statements.size() > 1 && !overall.isAllowed() ? "; no statement of the message runs" : "").append(")\n");
        return text.toString();
    }

    private static String ruleLine(PolicyEngine.Explanation explanation, String rule) {
        return explanation.matchedRules().stream().filter(match -> match.rule().equals(rule)).findFirst()
                .map(match -> " (line " + match.line() + ")").orElse("");
    }

    private static String approvers(ApprovalRequirement approval) {
        StringBuilder text = new StringBuilder().append(approval.count()).append(" of ");
        if (approval.identities().isEmpty() && approval.groups().isEmpty()) {
            text.append("any approver");
        } else {
            text.append(String.join(", ", approval.identities()));
            if (!approval.groups().isEmpty()) {
                text.append(approval.identities().isEmpty() ? "" : ", ").append("groups ").append(String.join(", ", approval.groups()));
            }
        }
        long seconds = approval.timeout().toSeconds();
        return text.append(", within ").append(seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s").toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(label).append(": ").append(value).append('\n');
    }

    private static String oneLine(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 197) + "..." : flat;
    }
}
