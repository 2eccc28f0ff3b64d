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
import dev.warden.store.RecordStore;
import dev.warden.testing.GatewayFixture;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Just-in-time approval end to end: an agent's statement that needs approval parks its session, an
 * approver decides through the REST API, and the agent's statement runs once (or fails) as decided.
 */
public class ApprovalIT {
    public static final String POLICY = """
            targets:
              "*": { default: deny }
            rules:
              - name: approve-account-writes
                outcome: require_approval
                match: { written_tables: [public.accounts] }
                reason: "Writes to accounts move money."
                approvers: { groups: [dbas], count: 1 }
                approval_timeout: 60s
              - name: approve-audit-writes-quickly
                outcome: require_approval
                match: { written_tables: [public.audit_notes] }
                reason: "Audit notes are evidence."
                approvers: { groups: [dbas], count: 1 }
                approval_timeout: 2s
              - name: allow-the-rest
                outcome: allow
                match:
                  statements: [select, insert, update, delete, transaction, set, show]
                  where: [present, not_applicable]
                reason: "Bounded reads and writes are fine."
            """;
    public static final String[] SETUP = {
        "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL)",
        "INSERT INTO accounts VALUES (1, 'ada', 100), (2, 'bob', 50)",
        "CREATE TABLE audit_notes (id serial PRIMARY KEY, note text)",
        "CREATE TABLE scratch (id int PRIMARY KEY, value int)",
        "INSERT INTO scratch VALUES (1, 0)"
    };

    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA = "dba";
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static final String AUDITOR = "auditor";
    static final String AUDITOR_TOKEN = ServiceTokens.newToken(RANDOM);

    static final String READER = "reader";
    static final String READER_TOKEN = ServiceTokens.newToken(RANDOM);
    static GatewayFixture gateway;
    static ControlClient control;
    static ExecutorService agents = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.startWithPolicy(config -> {
            config = GatewayFixture.withIdentity(config, new Identity(DBA, ScramVerifier.create(DBA_TOKEN, RANDOM),
                    List.of("dbas"), UpstreamAccess.READ_WRITE));
            config = GatewayFixture.withIdentity(config, new Identity(AUDITOR, ScramVerifier.create(AUDITOR_TOKEN, RANDOM),
                    List.of("auditors"), UpstreamAccess.READ_ONLY));
            config = GatewayFixture.withIdentity(config, new Identity(READER, ScramVerifier.create(READER_TOKEN, RANDOM),
                    List.of("agents"), UpstreamAccess.READ_ONLY));
            return config.withControl(ControlConfig.onLoopback(0, Map.of("auditor", Set.of("auditors"))));
        }, POLICY, SETUP);
        control = new ControlClient(gateway.fullGateway().controlPort().orElseThrow());
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        gateway.close();
    }

    ApprovalService approvals() {
        return gateway.fullGateway().approvals().orElseThrow();
    }

    /** Waits until a request for a statement containing {@code marker} is pending; returns its id. */
    String awaitPending(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (ApprovalSnapshot snapshot : approvals().pending()) {
                if (snapshot.request().draft().statement().contains(marker)) {
                    return snapshot.request().id();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pending approval for a statement containing " + marker);
    }

    int balance(int id) throws SQLException {
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT balance FROM accounts WHERE id = " + id)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void anApprovedStatementRunsOnceAndTheAgentGetsItsResult() throws Exception {
        int before = balance(1);
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance - 10 WHERE id = 1 /* approve-me */"));
            String id = awaitPending("approve-me");
            // Parked: not run yet, and the agent keeps waiting.
            assertThat(balance(1)).isEqualTo(before);
            assertThatThrownBy(() -> update.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            ControlClient.Response listed = control.get("/api/v1/approvals", DBA, DBA_TOKEN);
            assertThat(listed.status()).isEqualTo(200);
            JsonNode item = findById(listed.body().get("approvals"), id);
            assertThat(item.get("requester").asText()).isEqualTo(GatewayFixture.IDENTITY);
            assertThat(item.get("rule").asText()).isEqualTo("approve-account-writes");
            assertThat(item.get("statement").asText()).contains("UPDATE accounts SET balance = balance - 10");
            assertThat(item.get("you_may_decide").asBoolean()).isTrue();

            ControlClient.Response approved = control.approve(id, DBA, DBA_TOKEN, "ticket FIN-7");
            assertThat(approved.status()).isEqualTo(200);
            assertThat(approved.body().get("status").asText()).isEqualTo("approved");

            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(balance(1)).isEqualTo(before - 10);
            SQLWarning warning = statement.getWarnings();
            assertThat((Object) warning).isNotNull();
            assertThat(warning.getMessage()).contains("approval required: request " + id)
                    .contains("approve-account-writes").contains("warden approve " + id);

            // Single use: the same statement again needs a new approval.
            Future<Integer> again = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance - 10 WHERE id = 1 /* approve-me */"));
            String second = awaitPending("approve-me");
            assertThat(second).isNotEqualTo(id);
            assertThat(control.approve(id, DBA, DBA_TOKEN, "again").status()).isEqualTo(409);
            assertThat(control.deny(second, DBA, DBA_TOKEN, "once is enough").status()).isEqualTo(200);
            assertThatThrownBy(() -> again.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
            assertThat(balance(1)).isEqualTo(before - 10);

            // The session goes on normally afterwards.
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM accounts")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aDeniedStatementFailsWith42501NamingTheApproverAndReason() throws Exception {
        int before = balance(2);
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = 0 WHERE id = 2 /* deny-me */"));
            String id = awaitPending("deny-me");
            assertThat(control.deny(id, DBA, DBA_TOKEN, "not during the audit").status()).isEqualTo(200);
            SQLException failure = (SQLException) catchCause(update);
            assertThat(failure.getSQLState()).isEqualTo("42501");
            assertThat(failure.getMessage()).contains("Approval denied for request " + id).contains(DBA)
                    .contains("not during the audit");
            assertThat(balance(2)).isEqualTo(before);
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void aStatementNobodyDecidesExpiresWithAClearError() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO audit_notes (note) VALUES ('expire-me')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57014");
                        assertThat(e.getMessage()).contains("expired");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_notes")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }

    @Test
    void theRequesterCannotApproveItsOwnStatement() throws Exception {
        try (Connection dbaSession = gateway.connect(DBA, DBA_TOKEN); Statement statement = dbaSession.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET owner = 'ada' WHERE id = 1 /* self-approve */"));
            String id = awaitPending("self-approve");
            ControlClient.Response self = control.approve(id, DBA, DBA_TOKEN, "trust me");
            assertThat(self.status()).isEqualTo(403);
            assertThat(self.body().get("error").asText()).contains("another approver");
            approvals().voidRequest(id, "test over");
            assertThat(((SQLException) catchCause(update)).getSQLState()).isEqualTo("57014");
        }
    }

    @Test
    void anApprovalForAnotherStatementOrParametersIsRefused() throws Exception {
        try (Connection agent = gateway.connect();
                java.sql.PreparedStatement update = agent.prepareStatement(
                        "UPDATE accounts SET balance = balance + ? WHERE id = ? /* bound */")) {
            update.setInt(1, 5);
            update.setInt(2, 1);
            Future<Integer> running = agents.submit(() -> update.executeUpdate());
            String id = awaitPending("bound");
            ApprovalSnapshot pending = approvals().find(id).orElseThrow();
            assertThat(pending.request().draft().parameters()).containsExactly("5", "1");
            String otherParameters = ApprovalBinding.of(GatewayFixture.IDENTITY, GatewayFixture.TARGET,
                    pending.request().draft().statement(), List.of("5000", "1"));
            ControlClient.Response mismatch = control.post("/api/v1/approvals/" + id + "/approve", DBA, DBA_TOKEN,
                    "{\"reason\": \"ok\", \"binding\": \"" + otherParameters + "\"}");
            assertThat(mismatch.status()).isEqualTo(409);
            assertThat(mismatch.body().get("error").asText()).contains("binding mismatch");
            ControlClient.Response matching = control.post("/api/v1/approvals/" + id + "/approve", DBA, DBA_TOKEN,
                    "{\"reason\": \"ok\", \"binding\": \"" + pending.request().binding() + "\"}");
            assertThat(matching.status()).isEqualTo(200);
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aClientThatDisconnectsWhileParkedVoidsItsRequest() throws Exception {
        int before = balance(2);
        Connection agent = gateway.connect();
        Statement statement = agent.createStatement();
        Future<Integer> update = agents.submit(
                () -> statement.executeUpdate("UPDATE accounts SET balance = 1 WHERE id = 2 /* walk-away */"));
        String id = awaitPending("walk-away");
        agent.abort(Runnable::run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (approvals().find(id).orElseThrow().status() == ApprovalStatus.PENDING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.VOIDED);
        assertThat(control.approve(id, DBA, DBA_TOKEN, "too late").status()).isEqualTo(409);
        assertThat(balance(2)).isEqualTo(before);
        update.cancel(true);
    }

    @Test
    void aCancelRequestWithdrawsTheParkedStatement() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = 2 WHERE id = 2 /* cancel-me */"));
            String id = awaitPending("cancel-me");
            statement.cancel();
            SQLException failure = (SQLException) catchCause(update);
            assertThat(failure.getSQLState()).isEqualTo("57014");
            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.VOIDED);
        }
    }

    @Test
    void pipelinedStatementsBehindAParkedOneWaitForIt() throws Exception {
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            // pgJDBC sends a batch as one pipeline: Parse/Bind/Execute twice, then one Sync.
            statement.addBatch("UPDATE accounts SET balance = balance + 1 WHERE id = 2 /* pipelined */");
            statement.addBatch("UPDATE scratch SET value = value + 1 WHERE id = 1");
            Future<int[]> batch = agents.submit(() -> statement.executeBatch());
            String id = awaitPending("pipelined");
            Thread.sleep(300);
            try (Connection direct = gateway.connectDirect(); Statement check = direct.createStatement();
                    ResultSet rows = check.executeQuery("SELECT value FROM scratch WHERE id = 1")) {
                rows.next();
                assertThat(rows.getInt(1)).as("the statement behind the parked one has not run").isZero();
            }
            assertThat(control.approve(id, DBA, DBA_TOKEN, "fine").status()).isEqualTo(200);
            assertThat(batch.get(10, TimeUnit.SECONDS)).containsExactly(1, 1);
        }
    }

    @Test
    void twentyParkedSessionsAreHeldAndReleasedIndependently() throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Future<Integer>> updates = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Connection agent = gateway.connect();
                connections.add(agent);
                int n = i;
                updates.add(agents.submit(() -> {
                    try (Statement statement = agent.createStatement()) {
                        return statement.executeUpdate("UPDATE accounts SET owner = owner WHERE id = 1 /* crowd-" + n + " */");
                    }
                }));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(awaitPending("crowd-" + i + " "));
            }
            for (int i = 0; i < 20; i++) {
                ControlClient.Response decided = i % 2 == 0 ? control.approve(ids.get(i), DBA, DBA_TOKEN, "even")
                        : control.deny(ids.get(i), DBA, DBA_TOKEN, "odd");
                assertThat(decided.status()).isEqualTo(200);
            }
            for (int i = 0; i < 20; i++) {
                if (i % 2 == 0) {
                    assertThat(updates.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(1);
                } else {
                    assertThat(((SQLException) catchCause(updates.get(i))).getSQLState()).isEqualTo("42501");
                }
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    @Test
    void everyStepIsInTheSessionRecord() throws Exception {
        String id;
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET owner = 'ada' WHERE id = 1 /* on-record */"));
            id = awaitPending("on-record");
            control.approve(id, DBA, DBA_TOKEN, "looks right");
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        RecordStore store = gateway.audit().store();
        String sessionId = approvals().find(id).orElseThrow().request().draft().sessionId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.records(sessionId, 0, 1000).stream().noneMatch(record -> record.kind() == RecordKind.SESSION_END)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> steps = new ArrayList<>();
        String statementApproval = null;
        for (ChainedRecord record : store.records(sessionId, 0, 1000)) {
            JsonNode body = ControlClient.JSON.readTree(record.body());
            if (record.kind() == RecordKind.APPROVAL) {
                steps.add(body.get("event").asText() + ":" + body.path("actor").asText(""));
            } else if (record.kind() == RecordKind.STATEMENT && body.get("text").asText().contains("on-record")) {
                statementApproval = body.path("approval_id").asText(null);
                steps.add("statement");
            } else if (record.kind() == RecordKind.COMPLETION && !steps.isEmpty() && steps.get(steps.size() - 1).startsWith("approved")) {
                steps.add("completed:" + body.path("command_tag").asText());
            }
        }
        assertThat(statementApproval).isEqualTo(id);
        assertThat(steps).containsSubsequence("statement", "requested:" + GatewayFixture.IDENTITY, "approved:" + DBA,
                "completed:UPDATE 1");
    }

    @Test
    void badCallsGetClearErrors() throws Exception {
        assertThat(control.get("/api/v1/approvals", null, null).status()).isEqualTo(401);
        assertThat(control.get("/api/v1/approvals", DBA, "wdn_wrong").status()).isEqualTo(401);
        assertThat(control.get("/api/v1/approvals", "nobody", DBA_TOKEN).status()).isEqualTo(401);
        // The agent holds no control-plane role and is no named approver.
        ControlClient.Response agentCall = control.get("/api/v1/approvals", GatewayFixture.IDENTITY, gateway.token());
        assertThat(agentCall.status()).isEqualTo(403);
        // Auditors may look but not decide.
        assertThat(control.get("/api/v1/approvals", AUDITOR, AUDITOR_TOKEN).status()).isEqualTo(200);
        assertThat(control.approve("apr_unknown", AUDITOR, AUDITOR_TOKEN, "x").status()).isEqualTo(403);
        ControlClient.Response unknown = control.approve("apr_doesnotexist", DBA, DBA_TOKEN, "ok");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).contains("no approval request");
        assertThat(control.post("/api/v1/approvals/apr_x/deny", DBA, DBA_TOKEN, "not json").status()).isEqualTo(400);
        assertThat(control.post("/api/v1/approvals/apr_x/deny", DBA, DBA_TOKEN, "{\"reason\": 5}").status()).isEqualTo(400);
        assertThat(control.get("/api/v1/nothing-here", DBA, DBA_TOKEN).status()).isEqualTo(404);
        assertThat(control.get("/healthz", null, null).status()).isEqualTo(200);

        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET owner = 'bob' WHERE id = 2 /* bad-reasons */"));
            String id = awaitPending("bad-reasons");
            assertThat(control.deny(id, DBA, DBA_TOKEN, "").status()).as("a denial needs a reason").isEqualTo(400);
            assertThat(control.deny(id, DBA, DBA_TOKEN, "bell\u0007").status()).isEqualTo(400);
            assertThat(control.deny(id, DBA, DBA_TOKEN, "x".repeat(1001)).status()).isEqualTo(400);
            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
            assertThat(control.approve(id, DBA, DBA_TOKEN, "fine").status()).isEqualTo(200);
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    private static Connection readerConnection(String queryMode) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", READER);
        properties.setProperty("password", READER_TOKEN);
        properties.setProperty("preferQueryMode", queryMode);
        return java.sql.DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }

    @Test
    void aReadOnlyIdentitysApprovedWriteRunsWithTheWriterCredentialOnce() throws Exception {
        int before = balance(2);
        try (Connection reader = readerConnection("simple"); Statement statement = reader.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance + 3 WHERE id = 2 /* jit-write */"));
            String id = awaitPending("jit-write");
            assertThat(control.approve(id, DBA, DBA_TOKEN, "one-off correction").status()).isEqualTo(200);
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(balance(2)).isEqualTo(before + 3);
            // The session itself stays read-only in the database: the writer credential was used once.
            try (ResultSet rows = statement.executeQuery("SHOW default_transaction_read_only")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("on");
            }
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE scratch SET value = 9 WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        }
    }

    @Test
    void aReadOnlyIdentitysWriteThatCannotMoveToTheWriterIsRefusedUpfrontOrAfterApproval() throws Exception {
        try (Connection reader = readerConnection("extended");
                java.sql.PreparedStatement update = reader.prepareStatement("UPDATE accounts SET owner = ? WHERE id = 1")) {
            update.setString(1, "mallory");
            assertThatThrownBy(update::executeUpdate).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("warden-read-only").contains("only a simple query");
            });
            assertThat(approvals().pending()).noneMatch(p -> p.request().requester().equals(READER));
        }
        try (Connection reader = readerConnection("simple"); Statement statement = reader.createStatement()) {
            statement.execute("BEGIN");
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET owner = 'x' WHERE id = 1 /* in-transaction */"));
            String id = awaitPending("in-transaction");
            control.approve(id, DBA, DBA_TOKEN, "fine");
            SQLException failure = (SQLException) catchCause(update);
            assertThat(failure.getSQLState()).isEqualTo("25001");
            statement.execute("ROLLBACK");
        }
    }

    private static JsonNode findById(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("approval " + id + " not listed");
    }

    static Throwable catchCause(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the statement to fail");
    }
}
