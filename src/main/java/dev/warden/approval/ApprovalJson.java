package dev.warden.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.policy.ApprovalRequirement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A request as JSON, for nodes that share a store: written by the node holding it, read by the others. */
final class ApprovalJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalJson() {}

    static String write(ApprovalRequest request) {
        ApprovalDraft draft = request.draft();
        ObjectNode json = JSON.createObjectNode();
        json.put("id", request.id());
        json.put("binding", request.binding());
        json.put("requested_at", request.requestedAt().toString());
        json.put("expires_at", request.expiresAt().toString());
        json.put("session_id", draft.sessionId());
        json.put("requester", draft.requester());
        strings(json.putArray("requester_groups"), draft.requesterGroups());
        json.put("target", draft.target());
        json.put("statement", draft.statement());
        ArrayNode parameters = json.putArray("parameters");
        draft.parameters().forEach(parameters::add);
        json.put("rule", draft.rule());
        json.put("reason", draft.reason());
        ObjectNode requirement = json.putObject("approvers");
        strings(requirement.putArray("identities"), draft.requirement().identities());
        strings(requirement.putArray("groups"), draft.requirement().groups());
        requirement.put("count", draft.requirement().count());
        requirement.put("timeout_millis", draft.requirement().timeout().toMillis());
        json.put("policy_version", draft.policyVersion());
        json.put("intent", draft.intent().orElse(null));
        if (draft.estimatedRows().isPresent()) {
            json.put("estimated_rows", draft.estimatedRows().get());
        }
        return json.toString();
    }

    static ApprovalRequest read(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable approval request", e);
        }
        JsonNode approvers = json.path("approvers");
        ApprovalRequirement requirement = new ApprovalRequirement(list(approvers.path("identities")),
                list(approvers.path("groups")), approvers.path("count").asInt(1),
                Duration.ofMillis(approvers.path("timeout_millis").asLong(ApprovalRequirement.DEFAULT_TIMEOUT.toMillis())));
        List<String> parameters = new ArrayList<>();
        for (JsonNode parameter : json.path("parameters")) {
            parameters.add(parameter.isNull() ? null : parameter.asText());
        }
        ApprovalDraft draft = new ApprovalDraft(json.path("session_id").asText(), json.path("requester").asText(),
                new HashSet<>(list(json.path("requester_groups"))), json.path("target").asText(),
                json.path("statement").asText(), parameters, json.path("rule").asText(), json.path("reason").asText(),
                requirement, json.path("policy_version").asText(),
                json.path("intent").isTextual() ? Optional.of(json.get("intent").asText()) : Optional.empty(),
                json.path("estimated_rows").isNumber() ? Optional.of(json.get("estimated_rows").asLong()) : Optional.empty());
        return new ApprovalRequest(json.path("id").asText(), draft, json.path("binding").asText(),
                Instant.parse(json.path("requested_at").asText()), Instant.parse(json.path("expires_at").asText()));
    }

    static String groups(Set<String> groups) {
        ArrayNode array = JSON.createArrayNode();
        groups.stream().sorted().forEach(array::add);
        return array.toString();
    }

    static Set<String> groups(String json) {
        try {
            return new HashSet<>(list(JSON.readTree(json)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Set.of();
        }
    }

    private static void strings(ArrayNode array, java.util.Collection<String> values) {
        values.stream().sorted().forEach(array::add);
    }

    private static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asText());
        }
        return values;
    }
}
