package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.approval.ApprovalException;
import dev.warden.approval.ApprovalRequest;
import dev.warden.approval.ApprovalService;
import dev.warden.approval.ApprovalSnapshot;
import dev.warden.approval.ApprovalVote;
import dev.warden.approval.SharedApprovals;
import dev.warden.approval.Approver;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The approvals endpoints: the queue of held statements, one request, approve and deny. Listing is
 * open to approvers, auditors and administrators; deciding is checked by the approval service
 * against the rule's named approvers (and never the requester).
 */
public final class ApprovalsApi {
    private static final int MAX_RECENT = 200;

    private final ApprovalService service;
    private final Optional<SharedApprovals> shared;

    public ApprovalsApi(ApprovalService service) {
        this(service, Optional.empty());
    }

    /** @param shared requests of the other gateway nodes sharing the store, decided here as well */
    public ApprovalsApi(ApprovalService service, Optional<SharedApprovals> shared) {
        this.service = requireNonNull(service, "service is null");
        this.shared = requireNonNull(shared, "shared is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/approvals", this::list, Role.APPROVER, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/approvals/{id}", this::show, Role.APPROVER, Role.AUDITOR, Role.ADMIN),
                Endpoint.post("/api/v1/approvals/{id}/approve", this::approve, Role.APPROVER),
                Endpoint.post("/api/v1/approvals/{id}/deny", this::deny, Role.APPROVER));
    }

    private void list(Context ctx) {
        Caller caller = ControlPlane.caller(ctx);
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse("pending");
        List<ApprovalSnapshot> snapshots;
        switch (status) {
            case "pending" -> {
                snapshots = new ArrayList<>(service.pending());
                shared.ifPresent(other -> snapshots.addAll(other.pendingElsewhere()));
            }
            case "decided" -> snapshots = service.recent(MAX_RECENT);
            default -> {
                ControlPlane.problem(ctx, 400, "status must be pending or decided");
                return;
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (ApprovalSnapshot snapshot : snapshots) {
            items.add(toJson(snapshot, caller));
        }
        ControlPlane.json(ctx, 200, Map.of("approvals", items));
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<ApprovalSnapshot> snapshot = service.find(id).or(() -> shared.flatMap(other -> other.findElsewhere(id)));
        if (snapshot.isEmpty()) {
            ControlPlane.problem(ctx, 404, "no approval request with that id on this gateway");
            return;
        }
        ControlPlane.json(ctx, 200, toJson(snapshot.get(), ControlPlane.caller(ctx)));
    }

    private void approve(Context ctx) {
        decide(ctx, true);
    }

    private void deny(Context ctx) {
        decide(ctx, false);
    }

    private void decide(Context ctx, boolean approve) {
        Caller caller = ControlPlane.caller(ctx);
        Optional<JsonNode> body = ControlPlane.jsonObject(ctx, " such as {\"reason\": \"...\"}");
        if (body.isEmpty()) {
            return;
        }
        String reason = text(body.get(), "reason");
        String binding = text(body.get(), "binding");
        if (reason == null && body.get().has("reason") || binding == null && body.get().has("binding")) {
            ControlPlane.problem(ctx, 400, "reason and binding must be strings");
            return;
        }
        String id = ctx.pathParam("id");
        try {
            ApprovalSnapshot snapshot;
            if (service.find(id).isEmpty() && shared.isPresent() && shared.get().findElsewhere(id).isPresent()) {
                // Held on another node: the vote goes through the store to the node holding it.
                snapshot = shared.get().decideElsewhere(id, approver(caller), approve, reason, binding);
            } else {
                snapshot = approve ? service.approve(id, approver(caller), reason, binding)
                        : service.deny(id, approver(caller), reason);
            }
            ControlPlane.json(ctx, 200, toJson(snapshot, caller));
        } catch (ApprovalException e) {
            ControlPlane.problem(ctx, e.problem().httpStatus(), e.getMessage());
        }
    }

    private static Approver approver(Caller caller) {
        return new Approver(caller.identity(), caller.groups(), caller.has(Role.APPROVER));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Why the caller could not decide the request now (the page shows it instead of buttons); empty if they could. */
    private static Optional<String> whyMayNotDecide(ApprovalSnapshot snapshot, Caller caller) {
        if (snapshot.status().isFinal()) {
            return Optional.of("approval request " + snapshot.request().id() + " is " + snapshot.status().word() + " already");
        }
        if (snapshot.votes().stream().anyMatch(vote -> vote.approver().equals(caller.identity()))) {
            return Optional.of("you have voted on approval request " + snapshot.request().id() + " already");
        }
        return ApprovalService.whyMayNotDecide(snapshot.request(), approver(caller));
    }

    static Map<String, Object> toJson(ApprovalSnapshot snapshot, Caller caller) {
        ApprovalRequest request = snapshot.request();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", request.id());
        json.put("status", snapshot.status().word());
        json.put("requester", request.requester());
        json.put("requester_groups", request.draft().requesterGroups().stream().sorted().toList());
        json.put("target", request.draft().target());
        json.put("statement", request.draft().statement());
        json.put("parameters", request.draft().parameters());
        json.put("binding", request.binding());
        json.put("rule", request.draft().rule());
        json.put("reason", request.draft().reason());
        json.put("intent", request.draft().intent().orElse(null));
        json.put("estimated_rows", request.draft().estimatedRows().orElse(null));
        json.put("session_id", request.draft().sessionId());
        json.put("policy_version", request.draft().policyVersion());
        Map<String, Object> approvers = new LinkedHashMap<>();
        approvers.put("identities", request.draft().requirement().identities());
        approvers.put("groups", request.draft().requirement().groups());
        approvers.put("count", request.draft().requirement().count());
        json.put("approvers", approvers);
        json.put("approvals_missing", snapshot.approvalsMissing());
        json.put("requested_at", request.requestedAt().toString());
        json.put("expires_at", request.expiresAt().toString());
        json.put("decided_at", snapshot.decidedAt().map(Object::toString).orElse(null));
        List<Map<String, Object>> votes = new ArrayList<>();
        for (ApprovalVote vote : snapshot.votes()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("approver", vote.approver());
            v.put("decision", vote.approve() ? "approve" : "deny");
            v.put("reason", vote.reason());
            v.put("at", vote.at().toString());
            votes.add(v);
        }
        json.put("votes", votes);
        json.put("outcome_reason", snapshot.outcome().map(outcome -> outcome.reason()).orElse(null));
        Optional<String> whyNot = whyMayNotDecide(snapshot, caller);
        json.put("you_may_decide", whyNot.isEmpty());
        json.put("why_you_may_not", whyNot.orElse(null));
        return json;
    }
}
