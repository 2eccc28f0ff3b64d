package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.config.ControlConfig;
import dev.warden.config.WardenConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one PostgreSQL store: an approver on node B releases a statement parked on
 * node A (the vote travels through the store, NOTIFY wakes node A), and a grant made on one node
 * lets statements through on the other.
 */
class TwoNodeApprovalIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static GatewayFixture nodeA;
    static GatewayFixture nodeB;
    static final ExecutorService agents = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        TestPostgres.StoreDatabase store = TestPostgres.shared().createStoreDatabase("shared_store");
        nodeA = GatewayFixture.startWithPolicy(config -> node(config, store.storeUrl(), store.owner()), ApprovalIT.POLICY,
                ApprovalIT.SETUP);
        nodeB = GatewayFixture.startWithPolicy(config -> node(config, store.storeUrl(), store.owner()), ApprovalIT.POLICY,
                ApprovalIT.SETUP);
    }

    private static WardenConfig node(WardenConfig config, String url, TestPostgres.TestRole role) {
        WardenConfig withStore = GatewayFixture.withPostgresStore(config, url, role);
        return GatewayFixture.withIdentity(withStore, new Identity("dba", ScramVerifier.create(DBA_TOKEN, RANDOM),
                List.of("dbas"), UpstreamAccess.READ_WRITE)).withControl(ControlConfig.onLoopback(0, Map.of()));
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        nodeA.close();
        nodeB.close();
    }

    private static ControlClient control(GatewayFixture node) {
        return new ControlClient(node.fullGateway().controlPort().orElseThrow());
    }

    private static int balance(GatewayFixture node) throws Exception {
        try (Connection direct = node.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT balance FROM accounts WHERE id = 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void anApproverOnNodeBReleasesAStatementParkedOnNodeA() throws Exception {
        int before = balance(nodeA);
        try (Connection agent = nodeA.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = 1 /* two-nodes */"));
            String id = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (id == null && System.nanoTime() < deadline) {
                for (JsonNode item : control(nodeB).get("/api/v1/approvals", "dba", DBA_TOKEN).body().path("approvals")) {
                    if (item.get("statement").asText().contains("two-nodes")) {
                        id = item.get("id").asText();
                    }
                }
                Thread.sleep(50);
            }
            assertThat(id).as("node B lists the request node A holds").isNotNull();
            assertThat(control(nodeB).get("/api/v1/approvals/" + id, "dba", DBA_TOKEN).body().get("requester").asText())
                    .isEqualTo(GatewayFixture.IDENTITY);
            ControlClient.Response approved = control(nodeB).approve(id, "dba", DBA_TOKEN, "from the other node");
            assertThat(approved.status()).isEqualTo(200);
            assertThat(approved.body().get("status").asText()).isEqualTo("approved");
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(balance(nodeA)).isEqualTo(before + 1);
            assertThat(control(nodeB).approve(id, "dba", DBA_TOKEN, "again").status()).isEqualTo(409);
        }
    }

    @Test
    void aDenialOnNodeBReachesTheAgentOnNodeA() throws Exception {
        try (Connection agent = nodeA.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = 0 WHERE id = 1 /* deny-across */"));
            String id = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (id == null && System.nanoTime() < deadline) {
                id = control(nodeB).get("/api/v1/approvals", "dba", DBA_TOKEN).body().path("approvals").findValuesAsText("id")
                        .stream().filter(candidate -> nodeA.fullGateway().approvals().orElseThrow().find(candidate)
                                .map(s -> s.request().draft().statement().contains("deny-across")).orElse(false))
                        .findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertThat(id).isNotNull();
            assertThat(control(nodeB).deny(id, "dba", DBA_TOKEN, "not today").status()).isEqualTo(200);
            java.sql.SQLException failure = (java.sql.SQLException) ApprovalIT.catchCause(update);
            assertThat(failure.getSQLState()).isEqualTo("42501");
            assertThat(failure.getMessage()).contains("by dba: not today");
        }
    }

    @Test
    void aGrantMadeOnNodeBLetsStatementsThroughOnNodeA() throws Exception {
        ControlClient.Response created = control(nodeB).post("/api/v1/grants", "dba", DBA_TOKEN, """
                {"identity": "agent", "target": "app", "rule": "approve-account-writes", "duration": "10m",
                 "reason": "two-node grant"}""");
        assertThat(created.status()).isEqualTo(201);
        try (Connection agent = nodeA.connect(); Statement statement = agent.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (nodeA.fullGateway().approvals().isPresent() && System.nanoTime() < deadline
                    && control(nodeA).get("/api/v1/grants", "dba", DBA_TOKEN).body().path("grants").findValuesAsText("id")
                            .stream().noneMatch(created.body().get("id").asText()::equals)) {
                Thread.sleep(50);
            }
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET owner = 'ada' WHERE id = 1 /* granted-elsewhere */"));
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            control(nodeB).post("/api/v1/grants/" + created.body().get("id").asText() + "/revoke", "dba", DBA_TOKEN, "");
        }
    }
}
