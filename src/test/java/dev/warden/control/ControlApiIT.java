package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control plane's REST endpoints behind the web UI, called as scripts do: HTTP Basic, JSON. */
class ControlApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA = "dba";
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static final String AUDITOR = "auditor";
    static final String AUDITOR_TOKEN = ServiceTokens.newToken(RANDOM);

    static GatewayFixture gateway;
    static String base;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ExecutorService agents = Executors.newCachedThreadPool();

    record Response(int status, String text) {
        JsonNode json() throws Exception {
            return JSON.readTree(text);
        }
    }

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.startWithPolicy(config -> {
            config = GatewayFixture.withIdentity(config, new Identity(DBA, ScramVerifier.create(DBA_TOKEN, RANDOM),
                    List.of("dbas"), UpstreamAccess.READ_WRITE));
            config = GatewayFixture.withIdentity(config, new Identity(AUDITOR, ScramVerifier.create(AUDITOR_TOKEN, RANDOM),
                    List.of("auditors"), UpstreamAccess.READ_ONLY));
            return config.withControl(ControlConfig.onLoopback(0, Map.of("auditor", Set.of("auditors"))));
        }, ApprovalIT.POLICY, ApprovalIT.SETUP);
        base = "http://127.0.0.1:" + gateway.fullGateway().controlPort().orElseThrow();
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        gateway.close();
    }

    static HttpRequest.Builder request(String path, String identity, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (identity != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((identity + ":" + token).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    static Response send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    static Response get(String path, String identity, String token) throws Exception {
        return send(request(path, identity, token).GET());
    }

    static Response post(String path, String identity, String token, String body) throws Exception {
        return send(request(path, identity, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    String awaitPending(String marker) throws InterruptedException {
        return PendingApprovals.await(gateway.fullGateway().approvals().orElseThrow(), marker);
    }

    @Test
    void auditorsListSessionsWithFiltersAndPageThroughTheirRecords() throws Exception {
        String sessionId;
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            for (int i = 0; i < 3; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT owner FROM accounts WHERE id = 1 /* page-" + i + " */")) {
                    rows.next();
                }
            }
            sessionId = get("/api/v1/sessions?identity=agent&status=active", AUDITOR, AUDITOR_TOKEN).json()
                    .get("sessions").get(0).get("id").asText();
        }
        // The session's end is recorded just after the client goes; wait for it, as an auditor would see it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!get("/api/v1/sessions/" + sessionId, AUDITOR, AUDITOR_TOKEN).json().get("status").asText().equals("ended")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        JsonNode sessions = get("/api/v1/sessions?identity=agent&target=app", AUDITOR, AUDITOR_TOKEN).json().get("sessions");
        assertThat(sessions).isNotEmpty();
        sessions.forEach(session -> assertThat(session.get("identity").asText()).isEqualTo("agent"));
        assertThat(get("/api/v1/sessions?identity=nobody", AUDITOR, AUDITOR_TOKEN).json().get("sessions")).isEmpty();
        assertThat(get("/api/v1/sessions?status=sideways", AUDITOR, AUDITOR_TOKEN).status()).isEqualTo(400);
        assertThat(get("/api/v1/sessions?limit=100000", AUDITOR, AUDITOR_TOKEN).status()).isEqualTo(400);

        // Page through in twos: every record once, in order, ending with the session's end.
        List<JsonNode> records = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 50; page++) {
            JsonNode body = get("/api/v1/sessions/" + sessionId + "/records?after=" + after + "&limit=2", AUDITOR, AUDITOR_TOKEN)
                    .json();
            body.get("records").forEach(records::add);
            after = body.get("next_after").asLong();
            if (!body.get("more").asBoolean()) {
                break;
            }
        }
        assertThat(records).extracting(record -> record.get("seq").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, records.size()).boxed().toList());
        assertThat(records.get(0).get("kind").asText()).isEqualTo("session_start");
        assertThat(records).anySatisfy(record -> {
            assertThat(record.get("kind").asText()).isEqualTo("statement");
            assertThat(record.get("body").get("text").asText()).contains("page-2");
            assertThat(record.get("body").get("decision").get("outcome").asText()).isEqualTo("allow");
        });
        assertThat(records).anySatisfy(record -> assertThat(record.get("body").path("rows").toString()).contains("ada"));
        assertThat(records.get(records.size() - 1).get("kind").asText()).isEqualTo("session_end");
        assertThat(get("/api/v1/sessions/" + sessionId, AUDITOR, AUDITOR_TOKEN).json().get("status").asText()).isEqualTo("ended");
        assertThat(get("/api/v1/sessions/nope/records", AUDITOR, AUDITOR_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void sessionsAreFilteredByTimeAndRefusalsAndExportedAsTheCliExportsThem() throws Exception {
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        String refusedId = gateway.finishedSession("SELECT 1 /* filters-refused */", "DROP TABLE accounts /* filters-refused */");
        String cleanId = gateway.finishedSession("SELECT 2 /* filters-clean */");
        java.time.Instant after = java.time.Instant.now().plusSeconds(1);

        assertThat(ids("/api/v1/sessions?has_denials=true&since=" + before)).contains(refusedId).doesNotContain(cleanId);
        get("/api/v1/sessions?has_denials=true", AUDITOR, AUDITOR_TOKEN).json().get("sessions")
                .forEach(session -> assertThat(session.get("refused").asLong()).isPositive());
        assertThat(ids("/api/v1/sessions?since=" + before + "&until=" + after)).contains(refusedId, cleanId);
        assertThat(ids("/api/v1/sessions?since=" + after)).doesNotContain(refusedId, cleanId);
        assertThat(ids("/api/v1/sessions?until=" + before)).doesNotContain(refusedId, cleanId);
        for (String malformed : List.of("since=yesterday", "until=2025-13-01T00:00:00Z", "since=" + after + "&until=" + before,
                "has_denials=false", "has_denials=yes")) {
            Response answer = get("/api/v1/sessions?" + malformed, AUDITOR, AUDITOR_TOKEN);
            assertThat(answer.status()).as(malformed).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).as(malformed).isNotBlank();
        }

        HttpResponse<String> export = http.send(request("/api/v1/sessions/" + refusedId + "/export", AUDITOR, AUDITOR_TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"warden-session-" + refusedId + ".jsonl\"");
        assertThat(export.body()).contains("filters-refused", "\"hash\":").endsWith("\n");
        assertThat(export.body()).isEqualTo(cliExport(refusedId));
        assertThat(get("/api/v1/sessions/nope/export", AUDITOR, AUDITOR_TOKEN).status()).isEqualTo(404);
        assertThat(get("/api/v1/sessions/" + refusedId + "/export", DBA, DBA_TOKEN).status()).isEqualTo(403);
    }

    private static List<String> ids(String path) throws Exception {
        Response answer = get(path, AUDITOR, AUDITOR_TOKEN);
        assertThat(answer.status()).as(path).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("sessions").forEach(session -> ids.add(session.get("id").asText()));
        return ids;
    }

    /** What {@code warden export} prints for the session, reading the gateway's store file itself. */
    private static String cliExport(String sessionId) {
        java.nio.file.Path file = ((dev.warden.store.StoreLocation.Sqlite) dev.warden.proxy.AuditTrail.storeLocation(
                gateway.config().audit())).file();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = dev.warden.cli.WardenCli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "export",
                "--format", "jsonl", "--session", sessionId, "--store", "sqlite:" + file);
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void sessionsAreForAuditorsNotForApproversOrStrangers() throws Exception {
        assertThat(get("/api/v1/sessions", DBA, DBA_TOKEN).status()).isEqualTo(403);
        assertThat(get("/api/v1/sessions", null, null).status()).isEqualTo(401);
        assertThat(get("/api/v1/sessions", AUDITOR, "wrong").status()).isEqualTo(401);
        assertThat(get("/api/v1/policy", null, null).status()).isEqualTo(401);
    }

    @Test
    void thePolicyIsShownAndExplainsStatementsForAnIdentityWithItsConfiguredGroups() throws Exception {
        JsonNode policy = get("/api/v1/policy", AUDITOR, AUDITOR_TOKEN).json();
        assertThat(policy.get("version").asText()).isEqualTo(gateway.policies().policy().version());
        assertThat(policy.get("yaml").asText()).isEqualTo(ApprovalIT.POLICY);
        assertThat(policy.get("file_is_active").asBoolean()).isTrue();
        assertThat(policy.get("last_reload").get("result").asText()).isEqualTo("loaded");

        JsonNode drop = post("/api/v1/policy/explain", AUDITOR, AUDITOR_TOKEN,
                "{\"identity\": \"agent\", \"target\": \"app\", \"sql\": \"DROP TABLE accounts\"}").json();
        assertThat(drop.get("overall").get("outcome").asText()).isEqualTo("deny");
        assertThat(drop.get("explanation").asText()).contains("statement 1: DROP TABLE accounts", "decision: deny");

        JsonNode update = post("/api/v1/policy/explain", DBA, DBA_TOKEN,
                "{\"identity\": \"agent\", \"target\": \"app\", \"sql\": \"UPDATE accounts SET balance = 1 WHERE id = 1; SELECT 1\"}")
                .json();
        assertThat(update.get("overall").get("outcome").asText()).isEqualTo("require_approval");
        assertThat(update.get("overall").get("rule").asText()).isEqualTo("approve-account-writes");
        assertThat(update.get("statements")).hasSize(2);
        assertThat(update.get("statements").get(1).get("outcome").asText()).isEqualTo("allow");

        assertThat(post("/api/v1/policy/explain", DBA, DBA_TOKEN, "{\"identity\": \"agent\"}").status()).isEqualTo(400);
        assertThat(post("/api/v1/policy/explain", DBA, DBA_TOKEN, "not json").status()).isEqualTo(400);
    }

    @Test
    void basicCallersFromAnotherSiteAreRefusedWhateverTheirCredentials() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 2 /* api-csrf */"));
            String id = awaitPending("api-csrf");
            String path = "/api/v1/approvals/" + id + "/approve";
            Response foreignOrigin = send(request(path, DBA, DBA_TOKEN).header("Origin", "https://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(foreignOrigin.status()).isEqualTo(403);
            assertThat(foreignOrigin.text()).contains("cross-origin");
            Response crossSite = send(request(path, DBA, DBA_TOKEN).header("Sec-Fetch-Site", "cross-site")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(crossSite.status()).isEqualTo(403);
            Response nullOrigin = send(request(path, DBA, DBA_TOKEN).header("Origin", "null")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(nullOrigin.status()).isEqualTo(403);
            assertThat(gateway.fullGateway().approvals().orElseThrow().find(id).orElseThrow().votes()).isEmpty();

            // The same request from this origin (or from a script, which sends none) goes through.
            Response sameOrigin = send(request(path, DBA, DBA_TOKEN).header("Origin", base)
                    .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"ok\"}")));
            assertThat(sameOrigin.status()).isEqualTo(200);
            assertThat(update.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void theEventStreamSaysWhichRequestChangedAndNothingMore() throws Exception {
        HttpResponse<InputStream> stream = http.send(request("/api/v1/approvals/events", AUDITOR, AUDITOR_TOKEN)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
                Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            assertThat(lines.readLine()).isEqualTo("event: hello");
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 2 /* api-events */"));
            String id = awaitPending("api-events");
            String data = null;
            for (int i = 0; i < 20 && data == null; i++) {
                String line = lines.readLine();
                if (line.startsWith("data: ") && line.contains(id)) {
                    data = line;
                }
            }
            assertThat(data).isNotNull().contains("\"status\":\"pending\"").doesNotContain("api-events", "accounts");
            assertThat(post("/api/v1/approvals/" + id + "/deny", DBA, DBA_TOKEN, "{\"reason\": \"no\"}").status()).isEqualTo(200);
            String decided = null;
            for (int i = 0; i < 20 && decided == null; i++) {
                String line = lines.readLine();
                if (line.startsWith("data: ") && line.contains(id)) {
                    decided = line;
                }
            }
            assertThat(decided).contains("\"status\":\"denied\"");
            assertThat(update).failsWithin(Duration.ofSeconds(20));
        }
        assertThat(get("/api/v1/approvals/events", null, null).status()).isEqualTo(401);
    }

    @Test
    void metricsReadinessAndTheApiDescriptionAreServed() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            Response metrics = get("/metrics", null, null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.text()).contains("warden_store_up 1.0", "warden_approvals_pending ",
                    "warden_statements_total{decision=\"allow\",target=\"app\"}");
            assertThat(metric(metrics.text(), "warden_connections_active{target=\"app\"}")).isGreaterThanOrEqualTo(1);
            assertThat(metric(metrics.text(), "warden_connections_total{target=\"app\"}")).isGreaterThanOrEqualTo(1);
            assertThat(metrics.text()).as("labels carry configured targets and outcomes, never identities")
                    .doesNotContain(GatewayFixture.IDENTITY + "\"", AUDITOR + "\"", "SELECT");
        }
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 2 /* api-metrics */"));
            String id = awaitPending("api-metrics");
            assertThat(metric(get("/metrics", null, null).text(), "warden_approvals_pending")).isGreaterThanOrEqualTo(1);
            assertThat(post("/api/v1/approvals/" + id + "/deny", DBA, DBA_TOKEN, "{\"reason\": \"no\"}").status()).isEqualTo(200);
            assertThat(update).failsWithin(Duration.ofSeconds(20));
        }
        String metrics = get("/metrics", null, null).text();
        assertThat(metric(metrics, "warden_approvals_decided_total{status=\"denied\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "warden_approval_wait_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "warden_statements_total{decision=\"require_approval\",target=\"app\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(get("/readyz", null, null).text()).contains("ready");
        Response openApi = get("/api/v1/openapi.yaml", null, null);
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.text()).contains("/api/v1/sessions/{id}/records:", "/api/v1/policy/explain:",
                "/api/v1/approvals/events:", "/api/v1/me:", "/metrics:", "/readyz:");
    }

    @Test
    void withoutAnOidcLoginTheBrowserIsAskedForBasicCredentials() throws Exception {
        Response me = get("/api/v1/me", null, null);
        assertThat(me.status()).isEqualTo(401);
        HttpResponse<String> raw = http.send(request("/api/v1/me", null, null).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
        JsonNode auditor = get("/api/v1/me", AUDITOR, AUDITOR_TOKEN).json();
        assertThat(auditor.get("identity").asText()).isEqualTo(AUDITOR);
        assertThat(auditor.get("roles").toString()).isEqualTo("[\"auditor\"]");
        assertThat(auditor.get("csrf_token").isNull()).isTrue();
        assertThat(get("/login", null, null).status()).isEqualTo(404);
        HttpResponse<String> page = http.send(request("/ui/", null, null).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
        assertThat(get("/ui/../pom.xml", null, null).status()).isEqualTo(404);
    }

    private static double metric(String text, String name) {
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.split(" ")[1]))
                .findFirst().orElseThrow();
    }
}
