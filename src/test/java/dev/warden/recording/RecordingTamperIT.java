package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.cli.WardenCli;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import dev.warden.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Tamper evidence end to end: sessions recorded through the gateway, then edited in the store with
 * plain SQL the way an attacker with write access would (a statement's text changed, a record deleted,
 * two records' seq swapped, everything after SESSION_START deleted); {@code warden audit verify} exits 1
 * and names the record and the kind of tampering for each.
 *
 * <p>Each session is {@code SELECT 1; SELECT 2; SELECT 3}, one at a time, without checkpoints: 1
 * SESSION_START, then STATEMENT, RESULT, COMPLETION at 2-4, 5-7 and 8-10, and SESSION_END at 11.
 */
class RecordingTamperIT {
    private static final List<String> CASES = List.of("untouched", "modified", "deleted", "swapped", "truncated");

    @Test
    void editsOfAnSqliteStoreAreNamedByAuditVerify() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            Map<String, String> sessions = recordSessions(gateway);
            Path file = gateway.config().audit().dataDirectory().resolve("warden.db");
            try (Connection attacker = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                tamper(attacker, sessions);
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "audit", "verify", "--store",
                    "sqlite:" + file);
            assertThat(exit).as(out + "\n" + err).isEqualTo(1);
            assertNamesEveryTampering(out.toString(), sessions);
        }
    }

    @Test
    void editsOfAPostgresStoreAreNamedByAuditVerify() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String database = postgres.createDatabase("tamper_store");
        TestPostgres.TestRole role = postgres.createRole("tamper_store_owner");
        RecordingFailClosedIT.superuser(postgres, database, "ALTER DATABASE " + database + " OWNER TO " + role.name());
        String url = "postgresql://127.0.0.1:" + postgres.port() + "/" + database;
        try (GatewayFixture gateway = GatewayFixture.start(config -> RecordingFailClosedIT.postgresStore(config, url, role))) {
            Map<String, String> sessions = recordSessions(gateway);
            try (Connection attacker = postgres.superuserConnection(database)) {
                tamper(attacker, sessions);
            }
            // As an operator runs it: a separate process, the store login from the environment.
            ProcessResult verify = WardenJvm.command("audit", "verify", "--store", url)
                    .env("WARDEN_STORE_USER", role.name())
                    .env("WARDEN_STORE_PASSWORD", role.password())
                    .run();
            assertThat(verify.exitCode()).as(verify.stdout() + "\n" + verify.stderr()).isEqualTo(1);
            assertNamesEveryTampering(verify.stdout(), sessions);
        }
    }

    /** Records one session per case, named by its application_name; returns case to session id. */
    private static Map<String, String> recordSessions(GatewayFixture gateway) throws Exception {
        for (String name : CASES) {
            Properties properties = new Properties();
            properties.setProperty("ApplicationName", name);
            properties.setProperty("assumeMinServerVersion", "10");
            properties.setProperty("preferQueryMode", "simple");
            try (Connection connection = gateway.connect(properties); Statement statement = connection.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    statement.execute("SELECT " + i);
                }
            }
        }
        RecordStore store = gateway.audit().store();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        List<SessionSummary> ended;
        do {
            ended = store.sessions(SessionQuery.all()).stream().filter(s -> s.endedMicros().isPresent()).toList();
            Thread.sleep(20);
        } while (ended.size() < CASES.size() && Instant.now().isBefore(deadline));
        assertThat(ended).hasSize(CASES.size());
        Map<String, String> sessions = new HashMap<>();
        for (SessionSummary session : ended) {
            sessions.put(session.applicationName().orElseThrow(), session.id());
            assertThat(store.records(session.id(), 0, 100)).extracting(ChainedRecord::kind).containsExactly(
                    RecordKind.SESSION_START,
                    RecordKind.STATEMENT, RecordKind.RESULT, RecordKind.COMPLETION,
                    RecordKind.STATEMENT, RecordKind.RESULT, RecordKind.COMPLETION,
                    RecordKind.STATEMENT, RecordKind.RESULT, RecordKind.COMPLETION,
                    RecordKind.SESSION_END);
        }
        return sessions;
    }

    private static void tamper(Connection attacker, Map<String, String> sessions) throws SQLException {
        update(attacker, "UPDATE warden_records SET body = replace(body, 'SELECT 2', 'SELECT 22') WHERE session_id = ? AND seq = 5",
                sessions.get("modified"));
        update(attacker, "DELETE FROM warden_records WHERE session_id = ? AND seq = 6", sessions.get("deleted"));
        update(attacker, "UPDATE warden_records SET seq = 1000000 WHERE session_id = ? AND seq = 5", sessions.get("swapped"));
        update(attacker, "UPDATE warden_records SET seq = 5 WHERE session_id = ? AND seq = 6", sessions.get("swapped"));
        update(attacker, "UPDATE warden_records SET seq = 6 WHERE session_id = ? AND seq = 1000000", sessions.get("swapped"));
        update(attacker, "DELETE FROM warden_records WHERE session_id = ? AND seq > 1", sessions.get("truncated"));
    }

    private static void update(Connection connection, String sql, String sessionId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, sessionId);
            assertThat(statement.executeUpdate()).as(sql).isPositive();
        }
    }

    private static void assertNamesEveryTampering(String output, Map<String, String> sessions) {
        assertThat(output).contains(sessions.get("untouched") + ": OK (11 records");
        assertThat(problemsOf(output, sessions.get("modified")))
                .contains("record 5 (STATEMENT) modified: its content does not match its hash");
        assertThat(problemsOf(output, sessions.get("deleted"))).contains("record 6 deleted");
        assertThat(problemsOf(output, sessions.get("swapped")))
                .contains("record 5 (RESULT) modified")
                .contains("record 6 (STATEMENT) modified");
        assertThat(problemsOf(output, sessions.get("truncated")))
                .contains("records after 1 deleted (truncated): the session has ended but its records stop at SESSION_START");
        assertThat(output).contains("4 of 5 sessions have problems");
    }

    /** The lines audit verify printed under this session's heading. */
    private static String problemsOf(String output, String sessionId) {
        int start = output.indexOf(sessionId + ": ");
        assertThat(start).as("no report for " + sessionId + " in:\n" + output).isNotNegative();
        int end = output.indexOf("\n", start);
        StringBuilder lines = new StringBuilder(output.substring(start, end + 1));
        for (String line : output.substring(end + 1).split("\n")) {
            if (!line.startsWith("  ")) {
                break;
            }
            lines.append(line).append('\n');
        }
        assertThat(lines.toString()).as(output).contains(" problem");
        return lines.toString();
    }
}
