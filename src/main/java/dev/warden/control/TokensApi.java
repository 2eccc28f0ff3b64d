package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.config.YamlNode;
import dev.warden.identity.Names;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceToken;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.store.ServiceTokenStore;
import dev.warden.store.StoreException;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Service tokens over REST: administrators create (shown once), list and revoke them; anyone logged
 * in to the control plane can mint a short-lived database token for themselves (a person who logged
 * in with OIDC in the browser gets a password for psql without another tool). Tokens are stored only
 * as SCRAM verifiers; responses never carry a verifier.
 */
public final class TokensApi {
    /** A personal token is for a working session, not standing access. */
    static final Duration MAX_PERSONAL = Duration.ofHours(12);
    static final Duration MAX_SERVICE = Duration.ofDays(365);

    private final ServiceTokenStore store;
    private final Set<String> targets;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokensApi(ServiceTokenStore store, Set<String> targets, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.targets = Set.copyOf(targets);
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/tokens", this::list, Role.ADMIN),
                Endpoint.post("/api/v1/tokens", this::create, Role.ADMIN),
                Endpoint.post("/api/v1/tokens/{id}/revoke", this::revoke, Role.ADMIN),
                Endpoint.post("/api/v1/me/token", this::mintPersonal, Role.ADMIN, Role.APPROVER, Role.AUDITOR));
    }

    private void list(Context ctx) {
        try {
            Instant now = clock.instant();
            ControlPlane.json(ctx, 200, Map.of("tokens", store.list().stream().map(token -> toJson(token, now)).toList()));
        } catch (StoreException e) {
            ControlPlane.problem(ctx, 503, "the store is unavailable");
        }
    }

    private void create(Context ctx) {
        Optional<JsonNode> body = ControlPlane.jsonObject(ctx, "");
        if (body.isEmpty()) {
            return;
        }
        String name = text(body.get(), "name");
        if (name == null || Names.problem(name).isPresent()) {
            ControlPlane.problem(ctx, 400, "name must be a PostgreSQL user name without whitespace");
            return;
        }
        UpstreamAccess access = "read_write".equals(text(body.get(), "access")) ? UpstreamAccess.READ_WRITE
                : UpstreamAccess.READ_ONLY;
        issue(ctx, name, strings(body.get(), "targets"), strings(body.get(), "groups"), access,
                text(body.get(), "ttl"), MAX_SERVICE);
    }

    private void mintPersonal(Context ctx) {
        Optional<JsonNode> body = ControlPlane.jsonObject(ctx, "");
        if (body.isEmpty()) {
            return;
        }
        Caller caller = ControlPlane.caller(ctx);
        // Read-only, the caller's own name and groups: a person's token is never more than the person.
        issue(ctx, caller.identity(), strings(body.get(), "targets"), List.copyOf(caller.groups()), UpstreamAccess.READ_ONLY,
                text(body.get(), "ttl"), MAX_PERSONAL);
    }

    private void issue(Context ctx, String name, List<String> forTargets, List<String> groups, UpstreamAccess access,
            String ttl, Duration max) {
        if (forTargets.isEmpty() || !targets.containsAll(forTargets)) {
            ControlPlane.problem(ctx, 400, "targets must name configured targets, at least one");
            return;
        }
        Optional<Duration> lifetime = ttl == null ? Optional.of(Duration.ofHours(1)) : YamlNode.parseDuration(ttl);
        if (lifetime.isEmpty() || lifetime.get().isZero() || lifetime.get().isNegative() || lifetime.get().compareTo(max) > 0) {
            ControlPlane.problem(ctx, 400, "ttl must be a duration like 30m or 8h, at most " + describe(max));
            return;
        }
        String token = ServiceTokens.newToken(random);
        Instant now = clock.instant();
        ServiceToken stored = new ServiceToken(ServiceTokens.newId(random), name, ScramVerifier.create(token, random),
                forTargets, groups, access, now, now.plus(lifetime.get()), Optional.empty());
        try {
            store.create(stored);
        } catch (StoreException e) {
            ControlPlane.problem(ctx, e.isRejected() ? 409 : 503, e.isRejected()
                    ? name + " already has a usable token: revoke it first" : "the store is unavailable");
            return;
        }
        Map<String, Object> json = toJson(stored, now);
        json.put("token", token);
        ControlPlane.json(ctx, 201, json);
    }

    private void revoke(Context ctx) {
        try {
            int revoked = store.revoke(ctx.pathParam("id"), clock.instant());
            if (revoked == 0) {
                ControlPlane.problem(ctx, 404, "no usable token with that id or name");
                return;
            }
            ControlPlane.json(ctx, 200, Map.of("revoked", revoked));
        } catch (StoreException e) {
            ControlPlane.problem(ctx, 503, "the store is unavailable");
        }
    }

    private static Map<String, Object> toJson(ServiceToken token, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", token.id());
        json.put("name", token.name());
        json.put("targets", token.targets());
        json.put("groups", token.groups());
        json.put("access", token.access().configName());
        json.put("created_at", token.createdAt().toString());
        json.put("expires_at", token.expiresAt().toString());
        json.put("revoked_at", token.revokedAt().map(Object::toString).orElse(null));
        json.put("usable", token.usableAt(now));
        return json;
    }

    private static String describe(Duration max) {
        return max.toDays() >= 1 ? max.toDays() + " days" : max.toHours() + " hours";
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<String> strings(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : body.path(field)) {
            if (value.isTextual() && Names.problem(value.asText()).isEmpty()) {
                values.add(value.asText());
            }
        }
        return values;
    }
}
