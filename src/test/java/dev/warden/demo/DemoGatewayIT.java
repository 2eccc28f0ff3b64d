package dev.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a new user does first: start the demo and paste the printed psql command. */
class DemoGatewayIT {
    private static DemoGateway demo;
    private static String printed;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoGateway.start(0);
        StringWriter out = new StringWriter();
        demo.printWelcome(new PrintWriter(out, true));
        printed = out.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void printsAReadyPsqlCommandOnOneLine() {
        assertThat(printed).containsPattern("(?m)^  psql \"postgresql://demo-agent:wdn_[A-Za-z0-9_-]+@127\\.0\\.0\\.1:\\d+/shop\\?sslmode=disable\"$");
    }

    @Test
    void thePrintedCommandWorksInPsqlAndReadsTheSampleData() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        ProcessResult result = ProcessRunner.program("psql")
                .args("-X", "-A", "-t", "-c", "SELECT count(*) FROM customers", "-c",
                        "SELECT email, ssn, phone FROM customers WHERE id = 1", printedUri())
                .timeout(Duration.ofSeconds(30))
                .run();
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("50");
        // The sample policy masks personal data: a keyed hash, stars, the last four digits.
        assertThat(lines.get(1)).matches("[0-9a-f]{24}\\|\\*\\*\\*\\*\\|\\*\\*\\*\\*\\d{4}");
    }

    @Test
    void theAgentReadsButThePolicyAndTheDatabaseBothStopItsWrites() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + demo.port() + "/shop?sslmode=disable", DemoGateway.AGENT,
                        demo.agentToken());
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT current_user, count(*) FROM orders GROUP BY 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(DemoDatabase.READ_ONLY_ROLE);
                assertThat(rows.getInt(2)).isPositive();
            }
            // First wall: the gateway's policy.
            assertThatThrownBy(() -> statement.executeUpdate("DROP TABLE orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("Access denied by rule \"no-drop-or-truncate\"");
                    });
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                            .contains("Access denied by rule \"no-unbounded-writes\""));
            // Second wall: a write the policy allows still meets a read-only session in the database.
            try (ResultSet rows = statement.executeQuery("SHOW default_transaction_read_only")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("on");
            }
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE orders SET status = 'shipped' WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            assertThatThrownBy(() -> statement.execute("SET default_transaction_read_only = off"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                            .contains("Access denied by rule \"warden-read-only\""));
        }
    }

    @Test
    void thePrintedRecordingCommandsListReplayAndVerifyTheAgentsSession() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + demo.port() + "/shop?sslmode=disable", DemoGateway.AGENT,
                        demo.agentToken());
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 'recorded' AS marker");
        }
        String sessions = run("sessions", "--store", demo.storeSpec());
        assertThat(sessions).contains("demo-agent");
        Matcher id = Pattern.compile("([0-9a-f]{8}-[0-9a-f-]{27})").matcher(sessions);
        boolean replayed = false;
        while (id.find() && !replayed) {
            // The newest session ends a moment after the client closes; replay whichever shows the marker.
            String replay = run("replay", id.group(1), "--store", demo.storeSpec());
            replayed = replay.contains("SELECT 'recorded' AS marker") && replay.contains("recorded");
        }
        assertThat(replayed).as("a replay shows the marker statement").isTrue();
        Matcher verify = Pattern.compile("(audit verify --store \\S+ --checkpoint-key \\S+)").matcher(printed);
        assertThat(verify.find()).isTrue();
        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.warden.cli.WardenCli.run(new PrintWriter(out, true), new PrintWriter(new java.io.StringWriter(), true),
                verify.group(1).split(" "));
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("intact");
    }

    @Test
    void theToursHeldUpdateRunsOnceAfterThePrintedApprovalCommands() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        Matcher exports = Pattern.compile("export WARDEN_URL=(\\S+) WARDEN_USER=(\\S+) WARDEN_TOKEN=(\\S+)").matcher(printed);
        assertThat(exports.find()).as(printed).isTrue();
        java.nio.file.Path tokenFile = java.nio.file.Files.createTempFile("approver", ".token");
        java.nio.file.Files.writeString(tokenFile, exports.group(3));
        String[] as = {"--url", exports.group(1), "--user", exports.group(2), "--token-file", tokenFile.toString()};
        java.util.concurrent.CompletableFuture<dev.warden.testing.ProcessResult> agent =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return ProcessRunner.program("psql").args("-X", "-c",
                                "UPDATE customers SET email = 'ada@new.example' WHERE id = 1", printedUri()).run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        String id = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (id == null && System.nanoTime() < deadline) {
            Matcher pending = Pattern.compile("(apr_[a-z0-9]+)").matcher(run(concat(new String[] {"approvals"}, as)));
            id = pending.find() ? pending.group(1) : null;
            Thread.sleep(100);
        }
        assertThat(id).as("the held UPDATE is listed").isNotNull();
        run(concat(new String[] {"approve", id, "--reason", "looks right"}, as));
        dev.warden.testing.ProcessResult result = agent.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("UPDATE 1");
        assertThat(result.stderr()).contains("approval required: request " + id);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static String run(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.warden.cli.WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private static String printedUri() {
        Matcher matcher = Pattern.compile("psql \"(postgresql://[^\"]+)\"").matcher(printed);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
