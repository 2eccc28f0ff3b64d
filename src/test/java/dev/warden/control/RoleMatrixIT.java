package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the API description lists, called by every role: without credentials a protected
 * endpoint answers 401, with a role it does not declare 403, with one it declares neither (whatever
 * else it says about the input). The description and the server must agree for this to pass.
 */
class RoleMatrixIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Endpoints whose answer is not a plain request/response (a redirect away, an endless stream). */
    private static final Set<String> NOT_CALLED = Set.of("GET /login", "GET /login/callback", "GET /api/v1/approvals/events");
    /** Open to anyone, and answering 401 itself on purpose: without a web login it makes the browser ask for Basic credentials. */
    private static final Set<String> ASKS_FOR_CREDENTIALS = Set.of("GET /api/v1/me");

    @Test
    void everyRoleGetsWhatTheDescriptionDeclares() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String who : List.of("admin-user", "approver-user", "auditor-user", "nobody")) {
            tokens.put(who, ServiceTokens.newToken(RANDOM));
        }
        Map<String, String> roleOf = Map.of("admin-user", "admin", "approver-user", "approver", "auditor-user", "auditor");
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> {
            config = GatewayFixture.withIdentity(config, identity("admin-user", tokens, "admins"));
            config = GatewayFixture.withIdentity(config, identity("approver-user", tokens, "dbas"));
            config = GatewayFixture.withIdentity(config, identity("auditor-user", tokens, "auditors"));
            config = GatewayFixture.withIdentity(config, identity("nobody", tokens, "bystanders"));
            return config.withControl(ControlConfig.onLoopback(0, Map.of("admin", Set.of("admins"), "auditor",
                    Set.of("auditors"))));
        }, ApprovalIT.POLICY, ApprovalIT.SETUP)) {
            String base = "http://127.0.0.1:" + gateway.fullGateway().controlPort().orElseThrow();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            JsonNode paths = new YAMLMapper().readTree(Path.of("docs/openapi.yaml").toFile()).get("paths");
            List<String> wrong = new ArrayList<>();
            int calls = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                    if (NOT_CALLED.contains(method + " " + path.getKey())) {
                        continue;
                    }
                    List<String> declared = new ArrayList<>();
                    op.getValue().path("x-warden-roles").forEach(role -> declared.add(role.asText()));
                    assertThat(declared).as(method + " " + path.getKey() + " declares its roles").isNotEmpty();
                    String url = base + path.getKey().replace("{id}", "x");
                    int anonymous = call(http, method, url, null, null);
                    calls++;
                    if (declared.contains("anyone")) {
                        boolean asks = ASKS_FOR_CREDENTIALS.contains(method + " " + path.getKey());
                        expect(asks ? anonymous == 401 : anonymous != 401 && anonymous != 403, method, path.getKey(),
                                "anyone", anonymous, wrong);
                        continue;
                    }
                    expect(anonymous == 401, method, path.getKey(), "no credentials", anonymous, wrong);
                    for (Map.Entry<String, String> caller : tokens.entrySet()) {
                        int status = call(http, method, url, caller.getKey(), caller.getValue());
                        calls++;
                        boolean allowed = declared.contains(roleOf.getOrDefault(caller.getKey(), "none"));
                        expect(allowed ? status != 401 && status != 403 : status == 403, method, path.getKey(),
                                caller.getKey(), status, wrong);
                    }
                }
            }
            assertThat(calls).isGreaterThan(60);
            assertThat(wrong).isEmpty();
        }
    }

    private static Identity identity(String name, Map<String, String> tokens, String group) {
        return new Identity(name, ScramVerifier.create(tokens.get(name), RANDOM), List.of(group), UpstreamAccess.READ_ONLY);
    }

    private static void expect(boolean ok, String method, String path, String who, int status, List<String> wrong) {
        if (!ok) {
            wrong.add(method + " " + path + " as " + who + ": " + status);
        }
    }

    private static int call(HttpClient http, String method, String url, String user, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8)));
        }
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            request.GET();
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
