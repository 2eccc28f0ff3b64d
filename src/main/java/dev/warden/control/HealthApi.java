package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.store.RecordStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Liveness (the control plane answers), readiness (the record store answers: without it every
 * statement is refused, so a load balancer should send clients elsewhere) and Prometheus metrics.
 * All three are open to anyone who can reach the loopback listener: they reveal counts, never names.
 */
public final class HealthApi {
    private final RecordStore store;
    private final GatewayMetrics metrics;

    public HealthApi(RecordStore store, GatewayMetrics metrics) {
        this.store = requireNonNull(store, "store is null");
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

    private void ready(Context ctx) {
        if (store.healthy()) {
            ControlPlane.json(ctx, 200, Map.of("status", "ready"));
        } else {
            ControlPlane.json(ctx, 503, Map.of("status", "unavailable", "reason", "the record store does not answer"));
        }
    }
}
