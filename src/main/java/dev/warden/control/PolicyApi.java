package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.identity.Identity;
import dev.warden.policy.Decision;
import dev.warden.policy.PolicyEngine;
import dev.warden.policy.PolicyExplainer;
import dev.warden.policy.PolicyHolder;
import dev.warden.policy.Subject;
import dev.warden.sql.CatalogView;
import dev.warden.sql.SqlSessionState;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementAnalyzer;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The active policy (its file, version and last reload) and "test a statement": what
 * {@code warden policy explain} prints, for an identity and target, without touching a database.
 */
public final class PolicyApi {
    /** Larger than any sensible policy; the file is read only to show it. */
    static final long MAX_POLICY_BYTES = 1024 * 1024;

    private final Optional<PolicyHolder> policies;
    private final CallerAuthenticator identities;

    public PolicyApi(Optional<PolicyHolder> policies, CallerAuthenticator identities) {
        this.policies = requireNonNull(policies, "policies is null");
        this.identities = requireNonNull(identities, "identities is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/policy", this::show, Role.ADMIN, Role.AUDITOR, Role.APPROVER),
                Endpoint.post("/api/v1/policy/explain", this::explain, Role.ADMIN, Role.AUDITOR, Role.APPROVER));
    }

    private void show(Context ctx) throws IOException {
        if (policies.isEmpty()) {
            ControlPlane.problem(ctx, 404, "this gateway runs without a policy: every statement is refused");
            return;
        }
        PolicyHolder holder = policies.get();
        PolicyHolder.ReloadStatus reload = holder.lastReload();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", holder.file().toString());
        json.put("version", holder.policy().version());
        json.put("short_version", holder.policy().shortVersion());
        json.put("rules", holder.policy().ruleNames());
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("at", reload.at().toString());
        last.put("result", reload.result().name().toLowerCase(java.util.Locale.ROOT));
        last.put("error", reload.error().orElse(null));
        json.put("last_reload", last);
        // The file may have changed since it was loaded (a rejected edit): say whether this text is in force.
        byte[] bytes = Files.size(holder.file()) <= MAX_POLICY_BYTES ? Files.readAllBytes(holder.file()) : new byte[0];
        json.put("yaml", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        json.put("file_is_active", sha256(bytes).equals(holder.policy().version()));
        ControlPlane.json(ctx, 200, json);
    }

    private void explain(Context ctx) {
        if (policies.isEmpty()) {
            ControlPlane.problem(ctx, 404, "this gateway runs without a policy: every statement is refused");
            return;
        }
        JsonNode body;
        try {
            body = ControlPlane.JSON.readTree(ctx.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = null;
        }
        String identity = body == null ? null : text(body, "identity");
        String target = body == null ? null : text(body, "target");
        String sql = body == null ? null : text(body, "sql");
        if (identity == null || target == null || sql == null) {
            ControlPlane.problem(ctx, 400, "the body must be a JSON object with identity, target and sql (and optionally "
                    + "groups and read_only)");
            return;
        }
        Subject subject = subject(identity, body);
        PolicyEngine engine = policies.get().engine();
        List<StatementAnalysis> statements = new StatementAnalyzer(CatalogView.empty()).analyze(sql, new SqlSessionState());
        Map<String, String> startup = Map.of();
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (StatementAnalysis statement : statements) {
            Map<String, Object> item = decision(engine.explain(subject, target, statement, startup).decision());
            item.put("statement", statement.text());
            decisions.add(item);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("policy_version", engine.policy().version());
        json.put("overall", decision(engine.decideAll(subject, target, statements, startup)));
        json.put("statements", decisions);
        json.put("explanation", PolicyExplainer.explain(engine, subject, target, statements, startup));
        ControlPlane.json(ctx, 200, json);
    }

    /** A configured identity is explained with its configured groups and access; extra groups add to them. */
    private Subject subject(String identity, JsonNode body) {
        Set<String> groups = new LinkedHashSet<>();
        JsonNode extra = body.get("groups");
        if (extra != null && extra.isArray()) {
            extra.forEach(group -> {
                if (group.isTextual() && !group.asText().isBlank()) {
                    groups.add(group.asText());
                }
            });
        }
        Optional<Identity> configured = identities.configured(identity);
        boolean readOnly = body.path("read_only").asBoolean(false);
        if (configured.isPresent()) {
            Subject known = Subject.of(configured.get());
            groups.addAll(known.groups());
            readOnly |= known.readOnly();
        }
        return new Subject(identity, groups, readOnly);
    }

    private static Map<String, Object> decision(Decision decision) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", decision.outcome().configName());
        json.put("rule", decision.rule());
        json.put("reason", decision.reason());
        json.put("hint", decision.hint());
        return json;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
