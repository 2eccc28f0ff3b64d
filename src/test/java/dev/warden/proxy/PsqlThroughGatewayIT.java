package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * psql through the gateway prints exactly what it prints against PostgreSQL itself: the same script,
 * run both ways, must give the same standard output and standard error. The script avoids printing
 * the database name, the one thing that differs by design (clients ask for the target name, the
 * server knows its own).
 */
class PsqlThroughGatewayIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    // Mixes everything psql does differently from a driver: its own statement splitting, several
    // statements in one Query message (\;), \copy over the COPY sub-protocol, \gdesc (Parse and
    // Describe without Execute), catalog queries behind \d, a cursor fetched in steps (FETCH_COUNT),
    // errors that do not stop the script.
    private static final String SCRIPT = """
            \\set VERBOSITY verbose
            \\pset null '(null)'
            SELECT 1 AS one; SELECT 'two' AS two;
            SELECT 1 AS first \\; SELECT 2 AS second \\; SELECT 3 AS third;
            CREATE TABLE gadgets (id int PRIMARY KEY, name text NOT NULL, price numeric(8, 2), made date);
            COMMENT ON TABLE gadgets IS 'things';
            CREATE INDEX gadgets_name ON gadgets (name);
            INSERT INTO gadgets VALUES (1, 'lever', 1.50, '2020-01-01'), (2, 'pulley', NULL, NULL);
            \\copy gadgets FROM stdin
            3	wheel	3.25	2021-02-03
            4	axle	\\N	\\N
            5	tab\\there	0	1999-12-31
            \\.
            \\copy gadgets TO stdout
            \\copy (SELECT * FROM gadgets ORDER BY id) TO stdout WITH (FORMAT csv, HEADER)
            SELECT id, name, price * 2 AS doubled FROM gadgets WHERE id > 1 ORDER BY id \\gdesc
            SELECT * FROM gadgets ORDER BY id;
            SELECT 1 / 0;
            SELECT * FROM no_such_table;
            SELEC 1;
            \\d gadgets
            \\dt+ gadgets
            BEGIN;
            INSERT INTO gadgets VALUES (6, 'gear', 6, NULL);
            INSERT INTO gadgets VALUES (1, 'duplicate', 0, NULL);
            SELECT 'ignored';
            ROLLBACK;
            BEGIN;
            UPDATE gadgets SET price = 9.99 WHERE id = 1;
            SAVEPOINT before_delete;
            DELETE FROM gadgets;
            ROLLBACK TO SAVEPOINT before_delete;
            COMMIT;
            SELECT count(*), sum(price) FROM gadgets;
            DO $$ BEGIN RAISE NOTICE 'notice from %', 'plpgsql'; END $$;
            SELECT current_user = session_user AS same_user, current_setting('application_name') AS app;
            \\set FETCH_COUNT 3
            SELECT g AS n, repeat('x', g % 7) AS pad FROM generate_series(1, 10) AS g;
            \\unset FETCH_COUNT
            \\x on
            SELECT * FROM gadgets WHERE id = 1;
            \\x off
            DROP TABLE gadgets;
            \\echo done
            """;

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aScriptPrintsTheSameThroughTheGatewayAsDirectly() throws Exception {
        ProcessResult direct = psql(gateway.directLibpqUri(), SCRIPT);
        ProcessResult throughGateway = psql(gateway.libpqUri(), SCRIPT);

        assertThat(direct.stdout()).contains("done", "Table \"public.gadgets\"", "tab\\there");
        assertThat(direct.stderr()).contains("ERROR:  22012: division by zero", "ERROR:  23505",
                "ERROR:  25P02", "NOTICE:  00000: notice from plpgsql");
        assertThat(throughGateway.exitCode()).isEqualTo(direct.exitCode());
        assertThat(throughGateway.stdout()).isEqualTo(direct.stdout());
        assertThat(throughGateway.stderr()).isEqualTo(direct.stderr());
    }

    @Test
    void aSingleCommandWithSeveralStatementsPrintsEveryResult() throws Exception {
        String command = "CREATE TEMP TABLE t (x int); INSERT INTO t SELECT generate_series(1, 3); SELECT sum(x) FROM t";
        ProcessResult direct = run(ProcessRunner.program("psql").args("-X", "-A", "-t", "-c", command, gateway.directLibpqUri()));
        ProcessResult throughGateway = run(ProcessRunner.program("psql").args("-X", "-A", "-t", "-c", command, gateway.libpqUri()));

        // One Query message with three statements; psql 15 and later print each result.
        assertThat(direct.stdout()).endsWith("6\n");
        assertThat(throughGateway.exitCode()).isZero();
        assertThat(throughGateway.stdout()).isEqualTo(direct.stdout());
        assertThat(throughGateway.stderr()).isEqualTo(direct.stderr());
    }

    @Test
    void libpqsDefaultSslModeFallsBackToPlaintext() throws Exception {
        // No sslmode: libpq prefers TLS, sends SSLRequest, and must carry on in plaintext after 'N'.
        String uri = "postgresql://" + GatewayFixture.IDENTITY + ":" + gateway.token() + "@127.0.0.1:" + gateway.port() + "/"
                + GatewayFixture.TARGET;
        ProcessResult result = run(ProcessRunner.program("psql").args("-X", "-A", "-t", "-c", "SELECT 'plain'", uri));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("plain\n");
    }

    @Test
    void aWrongTokenFailsLikeAWrongPassword() throws Exception {
        String wrong = "postgresql://" + GatewayFixture.IDENTITY + ":not-the-token@127.0.0.1:" + gateway.port() + "/"
                + GatewayFixture.TARGET + "?sslmode=disable";
        ProcessResult result = run(ProcessRunner.program("psql").args("-X", "-c", "SELECT 1", wrong));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("FATAL:  password authentication failed for user \"agent\"");

        // libpq words it exactly as it does for PostgreSQL's own refusal (28P01).
        String wrongDirect = "postgresql://" + gateway.upstreamRole().name() + ":not-the-password@127.0.0.1:"
                + gateway.postgres().port() + "/" + gateway.upstreamDatabase() + "?sslmode=disable";
        ProcessResult direct = run(ProcessRunner.program("psql").args("-X", "-c", "SELECT 1", wrongDirect));
        assertThat(direct.exitCode()).isEqualTo(2);
        assertThat(result.stderr().replace(String.valueOf(gateway.port()), "PORT").replace("\"agent\"", "\"USER\""))
                .isEqualTo(direct.stderr().replace(String.valueOf(gateway.postgres().port()), "PORT")
                        .replace("\"" + gateway.upstreamRole().name() + "\"", "\"USER\""));
    }

    private static ProcessResult psql(String uri, String script) throws Exception {
        return run(ProcessRunner.program("psql").args("-X", "-v", "ON_ERROR_STOP=0", "-d", uri).stdin(script));
    }

    private static ProcessResult run(ProcessRunner runner) throws Exception {
        return runner.timeout(TIMEOUT).run();
    }
}
