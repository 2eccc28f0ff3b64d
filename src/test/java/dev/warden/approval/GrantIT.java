package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordKind;
import dev.warden.testing.GatewayFixture;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
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

/** Time-boxed grants: statements a rule would hold run without per-query approval while a grant stands. */
class GrantIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static final String ADMIN_TOKEN = ServiceTokens.newToken(RANDOM);
    static GatewayFixture gateway;
    static ControlClient control;
    static final ExecutorService agents = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.startWithPolicy(config -> {
            config = GatewayFixture.withIdentity(config, new Identity("dba", ScramVerifier.create(DBA_TOKEN, RANDOM),
                    List.of("dbas"), UpstreamAccess.READ_WRITE));
            config = GatewayFixture.withIdentity(config, new Identity("root", ScramVerifier.create(ADMIN_TOKEN, RANDOM),
                    List.of("admins"), UpstreamAccess.READ_ONLY));
            return config.withControl(ControlConfig.onLoopback(0, Map.of("admin", Set.of("admins"))));
        }, ApprovalIT.POLICY, ApprovalIT.SETUP);
        control = new ControlClient(gateway.fullGateway().controlPort().orElseThrow());
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        gateway.close();
    }

    private ApprovalService approvals() {
        return gateway.fullGateway().approvals().orElseThrow();
    }

    /** Runs the update; returns true when it completed without waiting for approval. */
    private boolean runsWithoutApproval(Statement statement, String marker) throws Exception {
        Future<Integer> update = agents.submit(
                () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 1 /* " + marker + " */"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (update.isDone()) {
                return update.get() == 1;
            }
            for (ApprovalSnapshot pending : approvals().pending()) {
                if (pending.request().draft().statement().contains(marker)) {
                    approvals().voidRequest(pending.request().id(), "test: it parked");
                    try {
                        update.get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException expected) {
                        // voided: 57014
                    }
                    return false;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("neither completed nor parked: " + marker);
    }

    private JsonNode grant(String who, String token, String body, int expectedStatus) throws Exception {
        ControlClient.Response response = control.post("/api/v1/grants", who, token, body);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(expectedStatus);
        return response.body();
    }

    @Test
    void aGrantLetsMatchingStatementsThroughUntilItIsRevoked() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            assertThat(runsWithoutApproval(statement, "before-grant")).isFalse();
            JsonNode created = grant("dba", DBA_TOKEN, """
                    {"identity": "agent", "target": "app", "rule": "approve-account-writes", "duration": "30m",
                     "reason": "month-end corrections"}""", 201);
            String id = created.get("id").asText();
            assertThat(id).startsWith("grt_");
            assertThat(created.get("created_by").asText()).isEqualTo("dba");
            assertThat(runsWithoutApproval(statement, "under-grant")).isTrue();
            // Another rule is not covered.
            Future<Integer> other = agents.submit(() -> statement.executeUpdate("INSERT INTO audit_notes (note) VALUES ('x')"));
            assertThat(ApprovalIT.catchCause(other)).hasMessageContaining("expired");

            ControlClient.Response revoked = control.post("/api/v1/grants/" + id + "/revoke", "root", ADMIN_TOKEN, "");
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.body().get("revoked_by").asText()).isEqualTo("root");
            assertThat(runsWithoutApproval(statement, "after-revoke")).isFalse();
            assertThat(control.post("/api/v1/grants/" + id + "/revoke", "root", ADMIN_TOKEN, "").status()).isEqualTo(409);
        }
    }

    @Test
    void aGrantExpires() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            grant("root", ADMIN_TOKEN, """
                    {"group": "agents", "target": "app", "rule": "approve-account-writes", "duration": "1s",
                     "reason": "one quick fix"}""", 201);
            assertThat(runsWithoutApproval(statement, "within-second")).isTrue();
            Thread.sleep(1200);
            assertThat(runsWithoutApproval(statement, "after-expiry")).isFalse();
        }
    }

    @Test
    void anAgentCanAskForAGrantFromItsSession() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> asking = agents.submit(() -> statement.executeUpdate(
                    "/* warden:request-grant 20m reconcile ledger */ UPDATE accounts SET balance = balance WHERE id = 2"));
            String id = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (id == null && System.nanoTime() < deadline) {
                for (ApprovalSnapshot pending : approvals().pending()) {
                    if (pending.request().draft().grant().isPresent()) {
                        id = pending.request().id();
                    }
                }
                Thread.sleep(20);
            }
            assertThat(id).isNotNull();
            assertThat(control.approve(id, "dba", DBA_TOKEN, "ok for the afternoon").status()).isEqualTo(200);
            assertThat(asking.get(10, TimeUnit.SECONDS)).isEqualTo(1);

            JsonNode grants = control.get("/api/v1/grants", "dba", DBA_TOKEN).body().get("grants");
            String approvalId = id;
            JsonNode fromSession = null;
            for (JsonNode grant : grants) {
                if (approvalId.equals(grant.path("approval_id").asText())) {
                    fromSession = grant;
                }
            }
            assertThat(fromSession).isNotNull();
            assertThat(fromSession.get("identity").asText()).isEqualTo("agent");
            assertThat(fromSession.get("created_by").asText()).isEqualTo("dba");
            assertThat(fromSession.get("reason").asText()).isEqualTo("reconcile ledger");
            assertThat(runsWithoutApproval(statement, "after-asking")).isTrue();

            // The record marks the statement that ran under the grant.
            String sessionId = approvals().find(id).orElseThrow().request().draft().sessionId();
            String grantId = fromSession.get("id").asText();
            Thread.sleep(100);
            boolean marked = false;
            for (ChainedRecord record : gateway.audit().store().records(sessionId, 0, 1000)) {
                JsonNode body = ControlClient.JSON.readTree(record.body());
                if (record.kind() == RecordKind.STATEMENT && body.get("text").asText().contains("after-asking")) {
                    assertThat(body.get("approval_id").asText()).isEqualTo(grantId);
                }
                marked |= record.kind() == RecordKind.APPROVAL && "granted".equals(body.get("event").asText())
                        && grantId.equals(body.get("approval_id").asText());
            }
            assertThat(marked).isTrue();
            control.post("/api/v1/grants/" + grantId + "/revoke", "root", ADMIN_TOKEN, "");
        }
    }

    @Test
    void badGrantRequestsGetClearErrors() throws Exception {
        String valid = "\"target\": \"app\", \"rule\": \"approve-account-writes\", \"duration\": \"30m\", \"reason\": \"r\"";
        assertThat(grant("dba", DBA_TOKEN, "{\"identity\": \"dba\", " + valid + "}", 403).get("error").asText())
                .contains("cannot grant yourself");
        assertThat(grant("dba", DBA_TOKEN, "{\"group\": \"dbas\", " + valid + "}", 403).get("error").asText())
                .contains("cannot grant yourself");
        grant("dba", DBA_TOKEN, "{\"identity\": \"agent\", \"target\": \"app\", \"rule\": \"allow-the-rest\", "
                + "\"duration\": \"30m\", \"reason\": \"r\"}", 400);
        grant("dba", DBA_TOKEN, "{\"identity\": \"agent\", \"target\": \"elsewhere\", \"rule\": \"approve-account-writes\", "
                + "\"duration\": \"30m\", \"reason\": \"r\"}", 400);
        assertThat(grant("dba", DBA_TOKEN, "{\"identity\": \"agent\", \"target\": \"app\", "
                + "\"rule\": \"approve-account-writes\", \"duration\": \"8d\", \"reason\": \"r\"}", 400).get("error").asText())
                .contains("at most 7 days");
        grant("dba", DBA_TOKEN, "{\"identity\": \"agent\", \"group\": \"x\", " + valid + "}", 400);
        grant("dba", DBA_TOKEN, "{\"identity\": \"agent\", \"target\": \"app\", \"rule\": \"approve-account-writes\", "
                + "\"duration\": \"soon\", \"reason\": \"r\"}", 400);
        grant("dba", DBA_TOKEN, "[1, 2]", 400);
        assertThat(control.post("/api/v1/grants", "agent", gateway.token(), "{\"identity\": \"agent\", " + valid + "}")
                .status()).isEqualTo(403);
        assertThat(control.post("/api/v1/grants/grt_nope/revoke", "dba", DBA_TOKEN, "").status()).isEqualTo(404);
    }
}
