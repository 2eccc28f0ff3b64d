package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.store.RecordStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Liveness (the control plane answers), readiness and Prometheus metrics. Ready means the record store
 * answers (without it every statement is refused) and every target's upstream accepts a connection
 * (without it that target's sessions fail): either way a load balancer should send clients elsewhere.
 * All three are open to anyone who can reach the listener: they reveal counts and target names,
 * never identities, addresses or SQL.
 */
public final class HealthApi {
    private final RecordStore store;
    private final UpstreamReachability upstreams;
    private final GatewayMetrics metrics;

    HealthApi(RecordStore store, UpstreamReachability upstreams, GatewayMetrics metrics) {
        this.store = requireNonNull(store, "store is null");
        this.upstreams = requireNonNull(upstreams, "upstreams is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/healthz", HealthApi::healthy, Role.ANYONE),
                Endpoint.get("/readyz", this::ready, Role.ANYONE),
                Endpoint.get("/metrics", metrics::scrape, Role.ANYONE));
    }

    private static void healthy(Context ctx) {
        ControlPlane.json(ctx, 200, Map.of("status", "ok"));
    }

    /** 200 when every check passes, else 503; the body lists each check and why a failed one failed. */
    private void ready(Context ctx) {
        List<Map<String, Object>> checks = new ArrayList<>();
        checks.add(check("store", store.healthy() ? Optional.empty() : Optional.of("the record store does not answer")));
        for (UpstreamReachability.Check upstream : upstreams.checks()) {
            checks.add(check("upstream " + upstream.target(), upstream.failure()));
        }
        boolean ready = checks.stream().allMatch(check -> Boolean.TRUE.equals(check.get("ok")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "unavailable");
        body.put("checks", checks);
        ControlPlane.json(ctx, ready ? 200 : 503, body);
    }

    private static Map<String, Object> check(String name, Optional<String> failure) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", name);
        check.put("ok", failure.isEmpty());
        failure.ifPresent(reason -> check.put("reason", reason));
        return check;
    }
}
