package dev.warden.approval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies posted to webhooks: Warden's own event, and a Slack incoming-webhook message. */
public final class WebhookPayloads {
    private static final int MAX_STATEMENT_IN_CHAT = 1500;

    private WebhookPayloads() {}

    /**
     * @param event {@code approval.requested} or {@code approval.decided}
     * @param link where an approver decides, when the control plane's public address is known
     */
    public static Map<String, Object> generic(String event, ApprovalSnapshot snapshot, Optional<String> link) {
        ApprovalRequest request = snapshot.request();
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("id", request.id());
        approval.put("status", snapshot.status().word());
        approval.put("requester", request.requester());
        approval.put("requester_groups", request.draft().requesterGroups().stream().sorted().toList());
        approval.put("target", request.draft().target());
        approval.put("statement", request.draft().statement());
        approval.put("parameters", request.draft().parameters());
        approval.put("binding", request.binding());
        approval.put("rule", request.draft().rule());
        approval.put("reason", request.draft().reason());
        approval.put("intent", request.draft().intent().orElse(null));
        approval.put("estimated_rows", request.draft().estimatedRows().orElse(null));
        approval.put("approvers", Map.of("identities", request.draft().requirement().identities(),
                "groups", request.draft().requirement().groups(), "count", request.draft().requirement().count()));
        approval.put("requested_at", request.requestedAt().toString());
        approval.put("expires_at", request.expiresAt().toString());
        approval.put("decided_by", snapshot.votes().stream().map(ApprovalVote::approver).toList());
        approval.put("outcome_reason", snapshot.outcome().map(ApprovalOutcome::reason).orElse(null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("approval", approval);
        body.put("link", link.orElse(null));
        return body;
    }

    /** Slack's incoming-webhook format: a fallback text and blocks with a button to the decision page. */
    public static Map<String, Object> slack(String event, ApprovalSnapshot snapshot, Optional<String> link) {
        ApprovalRequest request = snapshot.request();
        String statement = request.draft().statement();
        if (statement.length() > MAX_STATEMENT_IN_CHAT) {
            statement = statement.substring(0, MAX_STATEMENT_IN_CHAT) + "...";
        }
        String headline = "approval.requested".equals(event)
                ? ":lock: *" + request.requester() + "* needs approval on *" + request.draft().target() + "* (rule `"
                        + request.draft().rule() + "`, request `" + request.id() + "`)"
                : ":white_check_mark: Request `" + request.id() + "` was *" + snapshot.status().word() + "*"
                        + (snapshot.votes().isEmpty() ? "" : " by " + String.join(", ",
                                snapshot.votes().stream().map(ApprovalVote::approver).toList()));
        String fallback = headline.replace("*", "").replace("`", "");
        Map<String, Object> section = Map.of("type", "section", "text", Map.of("type", "mrkdwn",
                "text", headline + "\n" + request.draft().reason() + "\n```" + statement.replace("```", "'''") + "```"));
        List<Object> blocks = new java.util.ArrayList<>(List.of(section));
        if (link.isPresent() && !snapshot.status().isFinal()) {
            blocks.add(Map.of("type", "actions", "elements", List.of(
                    Map.of("type", "button", "text", Map.of("type", "plain_text", "text", "Review and approve"),
                            "url", link.get(), "style", "primary"),
                    Map.of("type", "button", "text", Map.of("type", "plain_text", "text", "Deny"),
                            "url", link.get(), "style", "danger"))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", fallback);
        body.put("blocks", blocks);
        return body;
    }
}
