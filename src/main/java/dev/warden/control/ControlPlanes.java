package dev.warden.control;

import dev.warden.approval.ApprovalService;
import dev.warden.approval.GrantService;
import dev.warden.approval.SharedApprovals;
import dev.warden.config.WardenConfig;
import dev.warden.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Assembles the control plane of a gateway from its configuration: which APIs, who may call them. */
public final class ControlPlanes {
    private ControlPlanes() {}

    /**
     * @param policy the live policy (its groups and named approvers give roles), empty without one
     */
    public static ControlPlane start(WardenConfig config, Supplier<Optional<Policy>> policy, ApprovalService approvals,
            GrantService grants) {
        return start(config, policy, approvals, grants, Optional.empty());
    }

    /** @param shared the requests of other gateway nodes sharing the store */
    public static ControlPlane start(WardenConfig config, Supplier<Optional<Policy>> policy, ApprovalService approvals,
            GrantService grants, Optional<SharedApprovals> shared) {
        CallerAuthenticator authenticator = new CallerAuthenticator(config.identities(), config.control(), policy);
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.addAll(new HealthApi().endpoints());
        endpoints.addAll(new ApprovalsApi(approvals, shared).endpoints());
        endpoints.addAll(new GrantsApi(grants, policy, config.targets().keySet()).endpoints());
        return ControlPlane.start(config.control().listener().orElseThrow(), authenticator, endpoints);
    }
}
