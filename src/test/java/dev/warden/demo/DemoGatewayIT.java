package dev.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.warden.control.SystemChromium;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
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
        assertThat(run("sessions", "--store", demo.storeSpec())).contains("demo-agent");
        assertThat(sessionShowing("SELECT 'recorded' AS marker")).as("a replay shows the marker statement").isNotNull();
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

    @Test
    void theTourEndsOnTheReplayPageWhereAliceSeesTheAgentsSessionMaskedOnly() throws Exception {
        SystemChromium.assumeInstalled();
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        String raw;
        try (Connection direct = demo.database().connect(DemoDatabase.READ_ONLY_ROLE, demo.database().readOnlyPassword());
                Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT email || ' ' || ssn || ' ' || phone FROM customers WHERE id = 2")) {
            rows.next();
            raw = rows.getString(1);
        }
        ProcessResult agent = ProcessRunner.program("psql").args("-X", "-c",
                "SELECT full_name, email, ssn, phone FROM customers WHERE id = 2 /* tour-replay */", printedUri()).run();
        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        String sessionId = sessionShowing("tour-replay");
        assertThat(sessionId).isNotNull();

        Matcher replayPage = Pattern.compile("in the web UI \\(as alice\\): (\\S+)").matcher(printed);
        assertThat(replayPage.find()).as(printed).isTrue();
        Matcher login = Pattern.compile("WARDEN_USER=(\\S+) WARDEN_TOKEN=(\\S+)").matcher(printed);
        assertThat(login.find()).isTrue();
        URI page = URI.create(replayPage.group(1));
        try (SystemChromium chromium = SystemChromium.launch();
                BrowserContext context = chromium.browser().newContext()) {
            context.setDefaultTimeout(15_000);
            Page browser = context.newPage();
            // The demo's login: the browser's own prompt, answered with alice and her printed token.
            browser.navigate("http://" + login.group(1) + ":"
                    + java.net.URLEncoder.encode(login.group(2), java.nio.charset.StandardCharsets.UTF_8) + "@" + page.getAuthority() + "/api/v1/me");
            browser.navigate(page.toString());
            browser.locator("tr[data-id='" + sessionId + "']").click();
            PlaywrightAssertions.assertThat(browser.locator("[data-kind=statement]")).containsText("tour-replay");
            PlaywrightAssertions.assertThat(browser.locator("table.result")).containsText("****");
            String shown = browser.locator("table.result").textContent();
            for (String value : raw.split(" ")) {
                assertThat(shown).as("the replay never shows " + value).doesNotContain(value);
                assertThat(browser.content()).doesNotContain(value);
            }
        }
    }

    /** The id of a session whose replay shows {@code text}, waiting a little for the recording. */
    private static String sessionShowing(String text) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher id = Pattern.compile("([0-9a-f]{8}-[0-9a-f-]{27})").matcher(run("sessions", "--store", demo.storeSpec()));
            while (id.find()) {
                if (run("replay", id.group(1), "--store", demo.storeSpec()).contains(text)) {
                    return id.group(1);
                }
            }
            Thread.sleep(100);
        }
        return null;
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
