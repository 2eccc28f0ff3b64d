package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** Pages of the web UI may load their own scripts, styles and data; nothing else, from nowhere else. */
    static final String UI_CONTENT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    private final Javalin app;
    private final List<AutoCloseable> resources;

    private ControlPlane(Javalin app, List<AutoCloseable> resources) {
        this.app = app;
        this.resources = resources;
    }

    /**
     * Starts listening.
     *
     * @param basicChallenge whether a request without credentials is answered with a Basic challenge
     *     (which makes browsers prompt); off when people log in through OIDC or SAML instead
     * @param resources closed with the server (event feeds, metrics)
     * @throws IllegalStateException when an endpoint declares no role (the server does not start)
     */
    static ControlPlane start(ControlConfig.Listener listener, RequestGuard guard, boolean basicChallenge,
            List<Endpoint> endpoints, List<AutoCloseable> resources) {
        requireNonNull(listener, "listener is null");
        requireNonNull(guard, "guard is null");
        for (Endpoint endpoint : endpoints) {
            if (endpoint.roles().isEmpty()) {
                throw new IllegalStateException("control-plane endpoint " + endpoint
                        + " declares no role that may call it; refusing to start");
            }
        }
        javax.net.ssl.SSLContext tls = listener.tls().map(ControlPlane::sslContext).orElse(null);
        Javalin app = Javalin.create(config -> {
            config.jetty.host = listener.host();
            config.jetty.port = listener.port();
            if (tls != null) {
                // The only connector: HTTPS with the configured certificate, never plain HTTP beside it.
                config.jetty.addConnector((server, http) -> {
                    org.eclipse.jetty.util.ssl.SslContextFactory.Server factory = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
                    factory.setSslContext(tls);
                    org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                            new org.eclipse.jetty.server.SslConnectionFactory(factory, "http/1.1"),
                            new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    connector.setHost(listener.host());
                    connector.setPort(listener.port());
                    return connector;
                });
            }
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before(ControlPlane::securityHeaders);
            config.routes.beforeMatched(ctx -> authorize(ctx, guard, basicChallenge));
            for (Endpoint endpoint : endpoints) {
                RouteRole[] roles = endpoint.roles().toArray(new RouteRole[0]);
                switch (endpoint.method()) {
                    case GET -> config.routes.get(endpoint.path(), endpoint.handler(), roles);
                    case POST -> config.routes.post(endpoint.path(), endpoint.handler(), roles);
                    case DELETE -> config.routes.delete(endpoint.path(), endpoint.handler(), roles);
                }
            }
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("control plane: a request failed", e);
                try {
                    problem(ctx, 500, "internal error; see the gateway log");
                } catch (RuntimeException alreadyGone) {
                    // The response is finished (an event stream closed at shutdown): nothing left to tell.
                }
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
        log.info("control plane listening on {}://{}:{}", listener.scheme(), listener.host(), app.port());
        return new ControlPlane(app, List.copyOf(resources));
    }

    /** A JDK TLS context from the PEM certificate chain and key (read as the PostgreSQL listeners read theirs). */
    private static javax.net.ssl.SSLContext sslContext(ControlConfig.Tls tls) {
        try {
            io.netty.handler.ssl.SslContext context = io.netty.handler.ssl.SslContextBuilder
                    .forServer(tls.certificateFile().toFile(), tls.privateKeyFile().toFile())
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
            return ((io.netty.handler.ssl.JdkSslContext) context).context();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load the control plane's TLS certificate or key: " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        boolean page = ctx.path().equals("/ui") || ctx.path().startsWith("/ui/");
        ctx.header("Content-Security-Policy", page ? UI_CONTENT_POLICY : "default-src 'none'; frame-ancestors 'none'");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static void authorize(Context ctx, RequestGuard guard, boolean basicChallenge) {
        Optional<String> forged = guard.forgeryProblem(ctx);
        if (forged.isPresent()) {
            problem(ctx, 403, forged.get());
            ctx.skipRemainingHandlers();
            return;
        }
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.contains(Role.ANYONE)) {
            return;
        }
        Optional<Caller> caller = guard.caller(ctx);
        if (caller.isEmpty()) {
            if (basicChallenge) {
                ctx.header("WWW-Authenticate", "Basic realm=\"warden\", charset=\"UTF-8\"");
            }
            problem(ctx, 401, "authentication required: log in, or HTTP Basic with an identity name and its token");
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

    /**
     * The request's JSON object body (an empty body counts as {@code {}}); otherwise answers 400
     * saying what was expected, without echoing the body, and returns empty.
     */
    static Optional<JsonNode> jsonObject(Context ctx, String expected) {
        String text = ctx.body();
        if (text.isBlank()) {
            return Optional.of(JSON.createObjectNode());
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                return Optional.of(node);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // reported below
        }
        problem(ctx, 400, "the body must be a JSON object" + expected);
        return Optional.empty();
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
        // Resources first: open event streams must end while the server can still finish their responses.
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("control plane: closing {} failed: {}", resource, e.toString());
            }
        }
        app.stop();
    }
}
