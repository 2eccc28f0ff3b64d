package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.approval.ApprovalIT;
import dev.warden.approval.ApprovalService;
import dev.warden.approval.ApprovalSnapshot;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code warden approvals}, {@code warden approve} and {@code warden deny} against a running gateway, with psql as the agent. */
class ApprovalCommandsIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);
    static GatewayFixture gateway;
    static Path tokenFile;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                new Identity("dba", ScramVerifier.create(DBA_TOKEN, RANDOM), List.of("dbas"), UpstreamAccess.READ_WRITE))
                .withControl(ControlConfig.onLoopback(0, Map.of())), ApprovalIT.POLICY, ApprovalIT.SETUP);
        tokenFile = gateway.directory().resolve("dba-token");
        Files.writeString(tokenFile, DBA_TOKEN + "\n");
        url = "http://127.0.0.1:" + gateway.fullGateway().controlPort().orElseThrow();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private String awaitPending(String marker) throws InterruptedException {
        ApprovalService approvals = gateway.fullGateway().approvals().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ApprovalSnapshot snapshot : approvals.pending()) {
                if (snapshot.request().draft().statement().contains(marker)) {
                    return snapshot.request().id();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing pending for " + marker);
    }

    private CompletableFuture<ProcessResult> psql(String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ProcessRunner.program("psql").args("-X", "-v", "ON_ERROR_STOP=1", "-c", sql, gateway.libpqUri())
                        .timeout(Duration.ofSeconds(60)).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void psqlWaitsUntilAnApproverApprovesWithTheCli() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        CompletableFuture<ProcessResult> agent = psql("UPDATE accounts SET balance = balance + 1 WHERE id = 1 /* cli-approve */");
        String id = awaitPending("cli-approve");

        CommandResult listed = CommandResult.run("approvals", "--url", url, "--user", "dba", "--token-file", tokenFile.toString());
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(id).contains("agent").contains("approve-account-writes").contains("UPDATE accounts");

        CommandResult approved = CommandResult.run("approve", id, "--reason", "ticket 12", "--url", url, "--user", "dba",
                "--token-file", tokenFile.toString());
        assertThat(approved.exitCode()).as(approved.err()).isZero();
        assertThat(approved.out()).contains(id + ": approved");

        ProcessResult result = agent.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("UPDATE 1");
        assertThat(result.stderr()).contains("NOTICE:  approval required: request " + id);

        CommandResult again = CommandResult.run("approve", id, "--url", url, "--user", "dba", "--token-file", tokenFile.toString());
        assertThat(again.exitCode()).isEqualTo(ControlCall.REFUSED);
        assertThat(again.err()).contains("already approved");
    }

    @Test
    void psqlGetsTheDenialAndTheDatabaseIsUnchanged() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        CompletableFuture<ProcessResult> agent = psql("UPDATE accounts SET balance = 0 WHERE id = 2 /* cli-deny */");
        String id = awaitPending("cli-deny");
        CommandResult denied = CommandResult.run("deny", id, "--reason", "use the refund flow", "--url", url, "--user", "dba",
                "--token-file", tokenFile.toString());
        assertThat(denied.exitCode()).as(denied.err()).isZero();
        ProcessResult result = agent.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR:  Approval denied for request " + id + " by dba: use the refund flow");
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT balance FROM accounts WHERE id = 2")) {
            rows.next();
            assertThat(rows.getInt(1)).isNotZero();
        }
    }

    @Test
    void grantsAreCreatedListedAndRevokedFromTheCli() {
        String[] auth = {"--url", url, "--user", "dba", "--token-file", tokenFile.toString()};
        CommandResult created = CommandResult.run(concat(new String[] {"grant", "create", "--identity", "agent", "--target",
                "app", "--rule", "approve-account-writes", "--for", "45m", "--reason", "quarter close"}, auth));
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("identity agent may run rule approve-account-writes on app until");
        String id = created.out().substring(0, created.out().indexOf(':'));
        CommandResult listed = CommandResult.run(concat(new String[] {"grant", "list"}, auth));
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains(id).contains("quarter close");
        CommandResult revoked = CommandResult.run(concat(new String[] {"grant", "revoke", id}, auth));
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(CommandResult.run(concat(new String[] {"grant", "list"}, auth)).out()).doesNotContain(id);
        assertThat(CommandResult.run(concat(new String[] {"grant", "list", "--all"}, auth)).out()).contains(id).contains("by dba");
        CommandResult both = CommandResult.run(concat(new String[] {"grant", "create", "--identity", "a", "--group", "b",
                "--target", "app", "--rule", "r", "--for", "1m", "--reason", "x"}, auth));
        assertThat(both.exitCode()).isEqualTo(2);
        CommandResult tooLong = CommandResult.run(concat(new String[] {"grant", "create", "--identity", "agent", "--target",
                "app", "--rule", "approve-account-writes", "--for", "30d", "--reason", "x"}, auth));
        assertThat(tooLong.exitCode()).isEqualTo(ControlCall.REFUSED);
        assertThat(tooLong.err()).contains("at most 7 days");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void statusSaysWhetherTheGatewayAnswersAndWhatWaits() throws Exception {
        CommandResult idle = CommandResult.run("status", "--url", url, "--user", "dba", "--token-file", tokenFile.toString());
        assertThat(idle.exitCode()).as(idle.err()).isZero();
        assertThat(idle.out()).contains("gateway: ok").contains("statements waiting for approval: 0");
        CommandResult down = CommandResult.run("status", "--url", "http://127.0.0.1:1", "--user", "dba", "--token-file",
                tokenFile.toString());
        assertThat(down.exitCode()).isEqualTo(ControlCall.UNREACHABLE);
    }

    @Test
    void badInputGetsClearErrorsAndExitCodes() {
        CommandResult noUser = CommandResult.run("approvals", "--url", url, "--token-file", tokenFile.toString());
        // WARDEN_USER is not set in the test JVM's environment.
        Assumptions.assumeTrue(System.getenv("WARDEN_USER") == null);
        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(noUser.err()).contains("--user");
        CommandResult wrongToken = CommandResult.run("approvals", "--url", url, "--user", "dba", "--token-file",
                gateway.directory().resolve("upstream-password").toString());
        assertThat(wrongToken.exitCode()).isEqualTo(ControlCall.REFUSED);
        assertThat(wrongToken.err()).contains("authentication required");
        CommandResult unknown = CommandResult.run("approve", "apr_nope", "--url", url, "--user", "dba", "--token-file",
                tokenFile.toString());
        assertThat(unknown.exitCode()).isEqualTo(ControlCall.REFUSED);
        assertThat(unknown.err()).contains("no approval request");
        CommandResult malformed = CommandResult.run("approve", "../../etc", "--url", url, "--user", "dba", "--token-file",
                tokenFile.toString());
        assertThat(malformed.exitCode()).isEqualTo(2);
        CommandResult noReason = CommandResult.run("deny", "apr_x", "--url", url, "--user", "dba", "--token-file",
                tokenFile.toString());
        assertThat(noReason.exitCode()).isEqualTo(2);
        CommandResult unreachable = CommandResult.run("approvals", "--url", "http://127.0.0.1:1", "--user", "dba",
                "--token-file", tokenFile.toString());
        assertThat(unreachable.exitCode()).isEqualTo(ControlCall.UNREACHABLE);
        assertThat(unreachable.err()).contains("cannot reach the control plane");
    }
}
