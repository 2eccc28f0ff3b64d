package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.ControlConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP server: REST endpoints for approvers, auditors and administrators. Every
 * request to an endpoint that does not admit {@link Role#ANYONE} is authenticated and checked against
 * the endpoint's roles before its handler runs; responses carry headers that keep browsers from
 * caching, sniffing, framing or running anything.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALLER = "warden.caller";
    /** Bodies are a reason and a hash: nothing legitimate comes near this. */
    private static final long MAX_REQUEST_BYTES = 16 * 1024;

    private final Javalin app;

    private ControlPlane(Javalin app) {
        this.app = app;
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException when an endpoint declares no role (the server does not start)
     */
    public static ControlPlane start(ControlConfig.Listener listener, CallerAuthenticator authenticator,
            List<Endpoint> endpoints) {
        requireNonNull(listener, "listener is null");
        requireNonNull(authenticator, "authenticator is null");
        for (Endpoint endpoint : endpoints) {
            if (endpoint.roles().isEmpty()) {
                throw new IllegalStateException("control-plane endpoint " + endpoint
                        + " declares no role that may call it; refusing to start");
            }
        }
        Javalin app = Javalin.create(config -> {
            config.jetty.host = listener.host();
            config.jetty.port = listener.port();
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before(ControlPlane::securityHeaders);
            config.routes.beforeMatched(ctx -> authorize(ctx, authenticator));
            for (Endpoint endpoint : endpoints) {
                RouteRole[] roles = endpoint.roles().toArray(new RouteRole[0]);
                switch (endpoint.method()) {
                    case GET -> config.routes.get(endpoint.path(), endpoint.handler(), roles);
                    case POST -> config.routes.post(endpoint.path(), endpoint.handler(), roles);
                    case DELETE -> config.routes.delete(endpoint.path(), endpoint.handler(), roles);
                }
            }
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("control plane: {} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, 500, "internal error; see the gateway log");
            });
            config.routes.error(404, ctx -> {
                // Handlers answer their own 404s in JSON; only unmatched paths get this one.
                String type = ctx.contentType();
                if (type == null || !type.startsWith("application/json")) {
                    problem(ctx, 404, "no such endpoint");
                }
            });
        });
        app.start();
        log.info("control plane listening on http://{}:{}", listener.host(), app.port());
        return new ControlPlane(app);
    }

    public int port() {
        return app.port();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }

    private static void authorize(Context ctx, CallerAuthenticator authenticator) {
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.contains(Role.ANYONE)) {
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(ctx.header("Authorization"));
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Basic realm=\"warden\", charset=\"UTF-8\"");
            problem(ctx, 401, "authentication required: HTTP Basic with an identity name and its token");
            ctx.skipRemainingHandlers();
            return;
        }
        if (allowed.stream().noneMatch(role -> role instanceof Role r && caller.get().has(r))) {
            problem(ctx, 403, caller.get().identity() + " may not call this endpoint (it needs one of the roles "
                    + allowed.stream().map(Object::toString).map(String::toLowerCase).sorted().toList() + ")");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(CALLER, caller.get());
    }

    /** The authenticated caller of the current request. */
    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the endpoint admits anyone");
        }
        return caller;
    }

    /** A JSON error body: {@code {"error": message}}. */
    static void problem(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        json(ctx, status, body);
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
