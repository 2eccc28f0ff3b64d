package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pgbench through the gateway: initialisation (DDL, a client-side COPY of 100,000 rows, VACUUM),
 * then concurrent TPC-B-like load in each of libpq's query modes, including named prepared
 * statements, and with a fresh connection (and so a full SCRAM login both sides) per transaction.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgbenchThroughGatewayIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern TPS = Pattern.compile("tps = ([0-9]+(?:\\.[0-9]+)?)");

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(ProcessRunner.available("pgbench"), "pgbench is not installed");
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void initialisesThroughTheGateway() throws Exception {
        ProcessResult result = pgbench("-i", "-s", "1", "-q");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("done in");
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_branches),"
                                + " (SELECT count(*) FROM pgbench_tellers)")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(100_000);
            assertThat(rows.getLong(2)).isEqualTo(1);
            assertThat(rows.getLong(3)).isEqualTo(10);
        }
    }

    @ParameterizedTest(name = "-M {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    @Order(2)
    void runsConcurrentLoadInEveryQueryMode(String mode) throws Exception {
        ProcessResult result = pgbench("-M", mode, "-c", "4", "-j", "2", "-T", "3");

        assertRunSucceeded(result);
        assertThat(result.stdout()).contains("query mode: " + mode);
    }

    @Test
    @Order(3)
    void runsWithANewConnectionPerTransaction() throws Exception {
        ProcessResult result = pgbench("-C", "-c", "2", "-j", "2", "-T", "2");

        assertRunSucceeded(result);
    }

    private static void assertRunSucceeded(ProcessResult result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("number of failed transactions: 0 ");
        Matcher tps = TPS.matcher(result.stdout());
        assertThat(tps.find()).as(result.stdout()).isTrue();
        assertThat(Double.parseDouble(tps.group(1))).isPositive();
    }

    private static ProcessResult pgbench(String... args) throws Exception {
        return ProcessRunner.program("pgbench").args((Object[]) args).args(gateway.libpqUri()).timeout(TIMEOUT).run();
    }
}
