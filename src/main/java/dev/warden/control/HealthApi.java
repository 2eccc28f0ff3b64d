package dev.warden.control;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Liveness: the control plane answers. (Readiness, with the store and upstreams, comes with metrics.) */
public final class HealthApi {
    public List<Endpoint> endpoints() {
        return List.of(Endpoint.get("/healthz", HealthApi::healthy, Role.ANYONE));
    }

    private static void healthy(Context ctx) {
        ControlPlane.json(ctx, 200, Map.of("status", "ok"));
    }
}
