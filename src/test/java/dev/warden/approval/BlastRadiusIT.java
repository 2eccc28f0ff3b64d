package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner's row estimate drives decisions: small writes run, medium ones wait for approval, bulk ones are denied. */
class BlastRadiusIT {
    static final String POLICY = """
            targets:
              "*": { default: deny }
            rules:
              - name: no-bulk-parity-deletes
                outcome: deny
                match: { statements: [delete], tables: [public.parity], estimated_rows: { over: 1000, exact: true } }
                reason: "Counted exactly: more than 1000 rows."
              - name: no-bulk-changes
                outcome: deny
                match: { statements: [update, delete], estimated_rows: { over: 1000 } }
                reason: "More than 1000 rows at once is a bulk change."
                hint: "Change fewer rows per statement, or ask a DBA."
              - name: approve-medium-deletes
                outcome: require_approval
                match: { statements: [delete], tables: [public.big], estimated_rows: { over: 10 } }
                reason: "Deleting more than a handful of rows needs a second look."
                approvers: { groups: [dbas] }
                approval_timeout: 30s
              - name: allow-the-rest
                outcome: allow
                match:
                  statements: [select, insert, update, delete, transaction, set, show]
                  where: [present, not_applicable]
                reason: "Bounded reads and writes are fine."
            """;
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static GatewayFixture gateway;
    static final ExecutorService agents = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                        new Identity("dba", ScramVerifier.create(DBA_TOKEN, RANDOM), List.of("dbas"), UpstreamAccess.READ_WRITE))
                .withControl(ControlConfig.onLoopback(0, Map.of())), POLICY,
                "CREATE TABLE big (id int PRIMARY KEY, note text)",
                "INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 5000) g",
                "CREATE TABLE small (id serial PRIMARY KEY, note text)",
                "CREATE TABLE parity (id int PRIMARY KEY)",
                "INSERT INTO parity SELECT g FROM generate_series(1, 5000) g",
                "ANALYZE big",
                "ANALYZE parity");
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        gateway.close();
    }

    private static int count(String where) throws SQLException {
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM big WHERE " + where)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void aSmallDeleteRunsAtOnce() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM big WHERE id = 4999")).isEqualTo(1);
        }
    }

    @Test
    void aTautologyTheSyntaxCannotSeeIsCaughtByTheEstimate() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM big WHERE id IS NOT NULL"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("no-bulk-changes");
                    });
            assertThat(count("true")).isGreaterThan(4000);
            // The session is still usable, and a bounded statement still runs.
            assertThat(statement.executeUpdate("UPDATE big SET note = 'x' WHERE id = 10")).isEqualTo(1);
        }
    }

    @Test
    void boundParametersAreEstimatedWithTheirValues() throws Exception {
        try (Connection agent = gateway.connect();
                PreparedStatement bulk = agent.prepareStatement("UPDATE big SET note = ? WHERE id > ?")) {
            bulk.setString(1, "bulk");
            bulk.setInt(2, 100);
            assertThatThrownBy(bulk::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("no-bulk-changes"));
            bulk.setInt(2, 4990);
            assertThat(bulk.executeUpdate()).isBetween(1, 10);
        }
    }

    @Test
    void aMediumDeleteWaitsForApprovalAndTheApproverSeesTheEstimate() throws Exception {
        ApprovalService approvals = gateway.fullGateway().approvals().orElseThrow();
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> delete = agents.submit(() -> statement.executeUpdate("DELETE FROM big WHERE id BETWEEN 2001 AND 2050"));
            ApprovalSnapshot pending = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pending == null && System.nanoTime() < deadline) {
                pending = approvals.pending().stream()
                        .filter(p -> p.request().draft().statement().contains("2001 AND 2050")).findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertThat(pending).isNotNull();
            assertThat(pending.request().draft().rule()).isEqualTo("approve-medium-deletes");
            assertThat(pending.request().draft().estimatedRows()).hasValueSatisfying(rows -> assertThat(rows).isBetween(11L, 1000L));
            ControlClient control = new ControlClient(gateway.fullGateway().controlPort().orElseThrow());
            JsonNode listed = control.get("/api/v1/approvals/" + pending.request().id(), "dba", DBA_TOKEN).body();
            assertThat(listed.get("estimated_rows").asLong()).isBetween(11L, 1000L);
            control.approve(pending.request().id(), "dba", DBA_TOKEN, "cleanup of test rows");
            assertThat(delete.get(10, TimeUnit.SECONDS)).isEqualTo(50);
        }
    }

    @Test
    void aRuleThatAsksForAnExactCountGetsItFromADryRunThatIsRolledBack() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            // The planner guesses about 25 rows for this expression; the dry run counts 2500.
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM parity WHERE id % 2 = 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("no-bulk-parity-deletes"));
            assertThat(statement.executeUpdate("DELETE FROM parity WHERE id % 1000 = 0")).isEqualTo(5);
        }
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM parity")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the dry run was rolled back; only the allowed delete ran").isEqualTo(4995);
        }
    }

    @Test
    void statementsBehindAnEstimatedOneAreDecidedAndRecordedAfterIt() throws Exception {
        String sessionId;
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            statement.addBatch("DELETE FROM big WHERE id = 3001");
            statement.addBatch("INSERT INTO small (note) VALUES ('after the delete')");
            statement.addBatch("DELETE FROM big WHERE id = 3002");
            assertThat(statement.executeBatch()).containsExactly(1, 1, 1);
            try (ResultSet rows = statement.executeQuery("SELECT current_setting('application_name')")) {
                rows.next();
            }
        }
        Thread.sleep(200);
        List<String> order = new ArrayList<>();
        String estimateLine = null;
        for (var session : gateway.audit().store().sessions(dev.warden.store.SessionQuery.all())) {
            for (ChainedRecord record : gateway.audit().store().records(session.id(), 0, 1000)) {
                if (record.kind() != RecordKind.STATEMENT) {
                    continue;
                }
                JsonNode body = ControlClient.JSON.readTree(record.body());
                String text = body.get("text").asText();
                if (text.contains("3001") || text.contains("after the delete") || text.contains("3002")) {
                    order.add(text);
                    if (text.contains("3001")) {
                        estimateLine = body.toString();
                    }
                }
            }
        }
        assertThat(order).containsExactly("DELETE FROM big WHERE id = 3001", "INSERT INTO small (note) VALUES ('after the delete')",
                "DELETE FROM big WHERE id = 3002");
        assertThat(estimateLine).contains("\"estimated_rows\":1");
    }
}
