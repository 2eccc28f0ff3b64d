package dev.warden.control;

import dev.warden.approval.ApprovalService;
import dev.warden.approval.GrantService;
import dev.warden.approval.SharedApprovals;
import dev.warden.config.ControlConfig;
import dev.warden.config.WardenConfig;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyHolder;
import dev.warden.store.RecordStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Assembles the control plane of a gateway from its configuration: which APIs, who may call them. */
public final class ControlPlanes {
    private ControlPlanes() {}

    /**
     * @param policies the live policy (its groups and named approvers give roles), empty without one
     * @param signals the approval events and metrics the gateway feeds (see {@link LiveSignals})
     */
    public static ControlPlane start(WardenConfig config, Optional<PolicyHolder> policies, RecordStore store,
            ApprovalService approvals, GrantService grants, LiveSignals signals) {
        return start(config, policies, store, approvals, grants, signals, Optional.empty(), Optional.empty());
    }

    /** @param shared the requests of other gateway nodes sharing the store, listed and decided here too */
    public static ControlPlane start(WardenConfig config, Optional<PolicyHolder> policies, RecordStore store,
            ApprovalService approvals, GrantService grants, LiveSignals signals, Optional<SharedApprovals> shared,
            Optional<dev.warden.store.ServiceTokenStore> tokens) {
        ControlConfig control = config.control();
        Supplier<Optional<Policy>> policy = () -> policies.map(PolicyHolder::policy);
        CallerAuthenticator authenticator = new CallerAuthenticator(config.identities(), control, policy);
        // In the store, so that any node sharing it can serve a logged-in browser.
        WebSessions sessions = new WebSessions(Clock.systemUTC(), store);
        RequestGuard guard = new RequestGuard(authenticator, sessions, control.publicUrl());
        Optional<SamlLoginApi> samlLogin = control.saml().map(saml -> SamlLoginApi.create(saml, sessions, authenticator,
                control.secureCookies(), Clock.systemUTC()));
        Optional<OidcLoginClient> oidcLogin = control.webLogin()
                .map(login -> new OidcLoginClient(config.oidc().orElseThrow(() -> new IllegalStateException(
                        "control.oidc_client_id needs an oidc: section")), login));
        signals.metrics().watch(store, approvals);

        List<Endpoint> endpoints = new ArrayList<>();
        UpstreamReachability upstreams = new UpstreamReachability(config.targets().values(), Clock.systemUTC());
        endpoints.addAll(new HealthApi(store, upstreams, signals.metrics()).endpoints());
        endpoints.addAll(new LoginApi(oidcLogin, samlLogin.isPresent(), sessions, guard, authenticator,
                control.publicUrl(), control.secureCookies(), Clock.systemUTC()).endpoints());
        samlLogin.ifPresent(saml -> endpoints.addAll(saml.endpoints()));
        endpoints.add(Endpoint.get("/api/v1/approvals/events", signals.events().handler(), Role.APPROVER, Role.AUDITOR,
                Role.ADMIN));
        endpoints.addAll(new ApprovalsApi(approvals, shared).endpoints());
        endpoints.addAll(new GrantsApi(grants, policy, config.targets().keySet()).endpoints());
        tokens.ifPresent(tokenStore -> endpoints.addAll(
                new TokensApi(tokenStore, config.targets().keySet(), Clock.systemUTC()).endpoints()));
        endpoints.addAll(new SessionsApi(store).endpoints());
        endpoints.addAll(new PolicyApi(policies, authenticator).endpoints());
        endpoints.addAll(UiAssets.load().endpoints());
        boolean webLogin = oidcLogin.isPresent() || samlLogin.isPresent();
        return ControlPlane.start(control.listener().orElseThrow(), guard, !webLogin, endpoints,
                List.of(signals, upstreams));
    }
}
