package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.approval.ApprovalException;
import dev.warden.approval.Grant;
import dev.warden.approval.GrantService;
import dev.warden.config.YamlNode;
import dev.warden.policy.ApprovalRequirement;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyRule;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Time-boxed grants over REST. Administrators may grant any require_approval rule; an approver may
 * grant the rules that name them as approvers. Nobody grants to themselves: a grant is someone
 * else's judgement, like an approval.
 */
public final class GrantsApi {
    private final GrantService grants;
    private final Supplier<Optional<Policy>> policy;
    private final Set<String> targets;

    public GrantsApi(GrantService grants, Supplier<Optional<Policy>> policy, Set<String> targets) {
        this.grants = requireNonNull(grants, "grants is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.targets = Set.copyOf(targets);
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/grants", this::list, Role.ADMIN, Role.APPROVER, Role.AUDITOR),
                Endpoint.post("/api/v1/grants", this::create, Role.ADMIN, Role.APPROVER),
                Endpoint.post("/api/v1/grants/{id}/revoke", this::revoke, Role.ADMIN, Role.APPROVER));
    }

    private void list(Context ctx) {
        boolean all = "true".equals(ctx.queryParam("all"));
        ControlPlane.json(ctx, 200, Map.of("grants", grants.list(all).stream().map(GrantsApi::toJson).toList()));
    }

    private void create(Context ctx) {
        Caller caller = ControlPlane.caller(ctx);
        Optional<JsonNode> parsed = ControlPlane.jsonObject(ctx, ": identity or group, target, rule, duration, reason");
        if (parsed.isEmpty()) {
            return;
        }
        JsonNode body = parsed.get();
        Optional<String> identity = text(body, "identity");
        Optional<String> group = text(body, "group");
        String target = text(body, "target").orElse("");
        String rule = text(body, "rule").orElse("");
        Optional<Duration> duration = text(body, "duration").flatMap(YamlNode::parseDuration);
        String reason = text(body, "reason").orElse("");
        if (!targets.contains(target)) {
            ControlPlane.problem(ctx, 400, "target must name a configured target");
            return;
        }
        if (duration.isEmpty()) {
            ControlPlane.problem(ctx, 400, "duration must be like 30m, 2h or 1d");
            return;
        }
        Optional<ApprovalRequirement> requirement = policy.get().flatMap(p -> p.rules().stream()
                .filter(r -> r.name().equals(rule)).findFirst()).flatMap(PolicyRule::approval);
        if (requirement.isEmpty()) {
            ControlPlane.problem(ctx, 400, "rule must name a require_approval rule of the active policy");
            return;
        }
        boolean named = requirement.get().identities().contains(caller.identity())
                || requirement.get().groups().stream().anyMatch(caller.groups()::contains);
        if (!caller.has(Role.ADMIN) && !named) {
            ControlPlane.problem(ctx, 403, "only administrators and the approvers rule \"" + rule + "\" names may grant it");
            return;
        }
        if (identity.map(caller.identity()::equals).orElse(false)
                || group.map(caller.groups()::contains).orElse(false)) {
            ControlPlane.problem(ctx, 403, "you cannot grant yourself (or a group you are in): ask another approver");
            return;
        }
        try {
            Grant grant = grants.create(new GrantService.Ask(identity, group, target, rule, duration.get(), reason),
                    caller.identity(), Optional.empty());
            ControlPlane.json(ctx, 201, toJson(grant));
        } catch (ApprovalException e) {
            ControlPlane.problem(ctx, e.problem().httpStatus(), e.getMessage());
        }
    }

    private void revoke(Context ctx) {
        try {
            ControlPlane.json(ctx, 200, toJson(grants.revoke(ctx.pathParam("id"), ControlPlane.caller(ctx).identity())));
        } catch (ApprovalException e) {
            ControlPlane.problem(ctx, e.problem().httpStatus(), e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    static Map<String, Object> toJson(Grant grant) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", grant.id());
        json.put("identity", grant.identity().orElse(null));
        json.put("group", grant.group().orElse(null));
        json.put("target", grant.target());
        json.put("rule", grant.rule());
        json.put("reason", grant.reason());
        json.put("created_by", grant.createdBy());
        json.put("created_at", grant.createdAt().toString());
        json.put("expires_at", grant.expiresAt().toString());
        json.put("approval_id", grant.approvalId().orElse(null));
        json.put("revoked_by", grant.revokedBy().orElse(null));
        json.put("revoked_at", grant.revokedAt().map(Object::toString).orElse(null));
        return json;
    }
}
