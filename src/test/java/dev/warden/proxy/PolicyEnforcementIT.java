package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.policy.PolicyHolder;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The sample policy enforced end to end: pgJDBC (and psql) through a real gateway to a real
 * PostgreSQL. Every refused statement comes back as 42501 naming its rule, with a hint; the
 * database is exactly as before (schema, rows, roles, functions, large objects); the session goes on.
 */
class PolicyEnforcementIT {
    static final Path SAMPLE_POLICY = Path.of("src/main/resources/policy/sample-policy.yaml");
    static final String[] SHOP_SCHEMA = {
        "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text)",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, note text, drop_date date)",
        "CREATE TABLE payments (id int PRIMARY KEY, order_id int REFERENCES orders, amount numeric NOT NULL)",
        "CREATE VIEW customer_emails AS SELECT id, email FROM customers",
        "INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 20) i",
        "INSERT INTO orders SELECT i, 1 + i % 20, 'order ' || i, NULL FROM generate_series(1, 50) i",
        "INSERT INTO payments SELECT i, i, i * 10.5 FROM generate_series(1, 50) i",
    };

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.startWithPolicy(Files.readString(SAMPLE_POLICY), SHOP_SCHEMA);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Stream<Arguments> denied() {
        return Stream.of(
                Arguments.of("DROP TABLE orders CASCADE", "no-drop-or-truncate"),
                Arguments.of("DROP VIEW customer_emails", "no-drop-or-truncate"),
                Arguments.of("TRUNCATE payments", "no-drop-or-truncate"),
                Arguments.of("ALTER TABLE orders DROP COLUMN note", "no-alter-table"),
                Arguments.of("ALTER TABLE customers ADD COLUMN ssn text", "no-alter-table"),
                Arguments.of("UPDATE orders SET note = 'gone'", "no-unbounded-writes"),
                Arguments.of("DELETE FROM orders WHERE 1=1", "no-unbounded-writes"),
                Arguments.of("delete /* where id = 1 */ from \"payments\"", "no-unbounded-writes"),
                Arguments.of("UPDATE customers SET email = NULL WHERE 'a' = 'a'", "no-unbounded-writes"),
                Arguments.of("GRANT ALL ON customers TO PUBLIC", "no-privilege-changes"),
                Arguments.of("CREATE ROLE intruder LOGIN", "no-privilege-changes"),
                Arguments.of("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC", "no-default-privileges"),
                Arguments.of("COPY orders TO PROGRAM 'id'", "no-server-files-or-programs"),
                Arguments.of("COPY orders FROM '/etc/passwd'", "no-server-files-or-programs"),
                Arguments.of("SELECT pg_read_file('/etc/passwd')", "no-server-file-functions"),
                Arguments.of("SELECT lo_import('/etc/hostname')", "no-server-file-functions"),
                Arguments.of("DO $$ BEGIN DELETE FROM orders; END $$", "no-opaque-code"),
                Arguments.of("CREATE FUNCTION wipe() RETURNS void LANGUAGE sql AS $$ DELETE FROM orders $$", "no-code-objects"),
                Arguments.of("SELECT dblink_exec('dbname=postgres', 'DROP TABLE orders')", "no-dblink"),
                Arguments.of("SELECT pg_terminate_backend(pg_backend_pid())", "no-backend-control"),
                Arguments.of("VACUUM FULL orders", "no-server-administration"),
                Arguments.of("SELECT setval(pg_get_serial_sequence('orders', 'id'), 1)", "no-sequence-tampering"),
                Arguments.of("SET ROLE postgres", "warden-identity-switch"),
                Arguments.of("SELECT set_config('role', 'postgres', false)", "warden-identity-switch"),
                Arguments.of("WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d", "no-unbounded-writes"),
                Arguments.of("EXPLAIN ANALYZE DELETE FROM payments", "no-unbounded-writes"),
                Arguments.of("PREPARE wipe AS DELETE FROM orders", "no-unbounded-writes"),
                Arguments.of("FROBNICATE orders", "warden-unknown-statement"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("denied")
    void refusedQueryMessagesChangeNothingAndLeaveTheSessionUsable(String sql, String rule) throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        try (Connection connection = gateway.connect(simpleQueryMode()); Statement statement = connection.createStatement()) {
            assertRefused(() -> statement.execute(sql), rule);

            assertThat(selectOne(statement)).isEqualTo(1);
            assertThat(scalar(statement, "SELECT current_user")).isEqualTo(gateway.upstreamRole().name());
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("denied")
    void refusedExtendedProtocolStatementsChangeNothingAndLeaveTheSessionUsable(String sql, String rule) throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            // Denied outright at Parse: the server never sees (or plans) the statement, so the
            // client gets Warden's refusal even for statements the server would reject itself.
            assertRefused(() -> statement.execute(sql), rule);

            assertThat(selectOne(statement)).isEqualTo(1);
            assertThat(scalar(statement, "SELECT current_user")).isEqualTo(gateway.upstreamRole().name());
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void aRefusalInsideATransactionAbortsItAndRollbackRecovers() throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("UPDATE orders SET note = 'changed in the transaction' WHERE id = 1");

            assertRefused(() -> statement.execute("DELETE FROM orders"), "no-unbounded-writes");

            assertThatThrownBy(() -> selectOne(statement)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            connection.rollback();
            assertThat(selectOne(statement)).isEqualTo(1);
            assertThat(scalar(statement, "SELECT note FROM orders WHERE id = 1")).isEqualTo("order 1");
            connection.commit();
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void sqlLevelPrepareOfAnUnboundedDeleteIsRefusedAndItsExecuteIsNotUnderstood() throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            assertRefused(() -> statement.execute("PREPARE wipe AS DELETE FROM orders"), "no-unbounded-writes");
            // The PREPARE never ran, so Warden knows no statement "wipe": EXECUTE fails closed.
            assertRefused(() -> statement.execute("EXECUTE wipe"), "warden-unknown-statement");

            statement.execute("PREPARE one_order(int) AS SELECT note FROM orders WHERE id = $1");
            assertThat(scalar(statement, "EXECUTE one_order(2)")).isEqualTo("order 2");
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void anExtendedProtocolPreparedStatementIsDecidedAtExecute() throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        Properties serverPrepared = new Properties();
        serverPrepared.setProperty("prepareThreshold", "1");
        try (Connection connection = gateway.connect(serverPrepared)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM orders WHERE id = ? OR true")) {
                delete.setInt(1, 1);
                assertRefused(delete::executeUpdate, "no-unbounded-writes");
                assertRefused(delete::executeUpdate, "no-unbounded-writes");
            }
            try (PreparedStatement read = connection.prepareStatement("SELECT note FROM orders WHERE id = ?")) {
                for (int i = 1; i <= 3; i++) {
                    read.setInt(1, i);
                    try (ResultSet rows = read.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getString(1)).isEqualTo("order " + i);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                assertThat(selectOne(statement)).isEqualTo(1);
            }
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void aMultiStatementQueryWithOneDeniedPartRunsNoneOfIt() throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        String sql = "INSERT INTO orders (id, customer_id, note) VALUES (900, 1, 'new'); DELETE FROM payments; SELECT 1";
        try (Connection connection = gateway.connect(simpleQueryMode()); Statement statement = connection.createStatement()) {
            assertRefused(() -> statement.execute(sql), "no-unbounded-writes");
            assertThat(selectOne(statement)).isEqualTo(1);
        }
        assertThat(DatabaseFingerprint.of(gateway)).as("simple Query message").isEqualTo(before);

        // pgJDBC's default mode sends the same text as one pipeline of Parse/Bind/Execute with one Sync: the
        // INSERT runs upstream before the DELETE is refused, and must be rolled back with the implicit transaction.
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            assertRefused(() -> statement.execute(sql), "no-unbounded-writes");
            assertThat(selectOne(statement)).isEqualTo(1);
        }
        assertThat(DatabaseFingerprint.of(gateway)).as("extended-protocol pipeline").isEqualTo(before);
    }

    @Test
    void allowedStatementsRun() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            assertThat(scalar(statement, "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id")).isEqualTo("50");
            assertThat(scalar(statement, "SELECT count(*) FROM customer_emails")).isEqualTo("20");
            assertThat(scalar(statement, "SELECT 'DROP TABLE x'")).isEqualTo("DROP TABLE x");
            assertThat(scalar(statement, "-- DELETE FROM orders\nSELECT count(drop_date) FROM orders")).isEqualTo("0");

            assertThat(statement.executeUpdate("UPDATE orders SET note = 'bounded' WHERE id = 3")).isEqualTo(1);
            assertThat(scalar(statement, "SELECT note FROM orders WHERE id = 3")).isEqualTo("bounded");
            assertThat(statement.executeUpdate("UPDATE orders SET note = 'order 3' WHERE id = 3")).isEqualTo(1);

            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long copied = copy.copyIn("COPY orders (id, customer_id, note) FROM STDIN WITH (FORMAT csv)",
                    new StringReader("700,1,copied\n701,2,copied\n"));
            assertThat(copied).isEqualTo(2);
            assertThat(statement.executeUpdate("DELETE FROM orders WHERE note = 'copied'")).isEqualTo(2);
        }
    }

    @Test
    void writesToSensitiveTablesNeedApprovalWhichDoesNotExistYet() throws Exception {
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            PSQLException refusal = catchThrowableOfType(
                    () -> statement.executeUpdate("UPDATE customers SET email = 'x@example.com' WHERE id = 1"), PSQLException.class);

            assertThat((Throwable) refusal).isNotNull();
            assertThat(refusal.getSQLState()).isEqualTo("42501");
            assertThat(refusal.getServerErrorMessage().getMessage()).startsWith("Approval required by rule \"approve-sensitive-writes\"");
            assertThat(selectOne(statement)).isEqualTo(1);
        }
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void psqlGetsTheSameRefusalsAndCopiesThroughStdin() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        DatabaseFingerprint before = DatabaseFingerprint.of(gateway);

        ProcessResult refused = ProcessRunner.program("psql").args("-X", "-v", "VERBOSITY=verbose", "-c",
                "SELECT 1; TRUNCATE orders", gateway.libpqUri()).timeout(Duration.ofSeconds(30)).run();

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("42501", "Access denied by rule \"no-drop-or-truncate\"", "HINT:", "DETAIL:");
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);

        ProcessResult copied = ProcessRunner.program("psql").args("-X", "-v", "ON_ERROR_STOP=1", "-d", gateway.libpqUri())
                .stdin("\\copy orders (id, customer_id, note) FROM STDIN\n800\t1\tpsql\n\\.\n"
                        + "SELECT count(*) FROM orders WHERE note = 'psql';\n"
                        + "DELETE FROM orders WHERE note = 'psql';\n")
                .timeout(Duration.ofSeconds(30)).run();
        assertThat(copied.exitCode()).as(copied.stderr()).isZero();
        assertThat(copied.stdout()).contains("COPY 1", "DELETE 1");
        assertThat(DatabaseFingerprint.of(gateway)).isEqualTo(before);
    }

    @Test
    void aChangedPolicyFileIsReloadedForOpenSessionsAndAnInvalidOneKeepsThePreviousPolicy() throws Exception {
        try (GatewayFixture reloading = GatewayFixture.startWithPolicy(Files.readString(SAMPLE_POLICY), SHOP_SCHEMA);
                Connection connection = reloading.connect(); Statement statement = connection.createStatement()) {
            PolicyHolder policies = reloading.policies();
            assertThat(scalar(statement, "SELECT count(*) FROM orders")).isEqualTo("50");
            String sampleVersion = policies.policy().version();

            Files.writeString(reloading.policyFile(), """
                    rules:
                      - name: no-orders
                        outcome: deny
                        match:
                          tables: [public.orders]
                        reason: "Orders are closed for the audit."
                        hint: "Try again tomorrow."
                      - name: allow-reads
                        outcome: allow
                        match:
                          statements: [select]
                    """);
            awaitUntil(() -> !policies.policy().version().equals(sampleVersion), "the new policy is active");

            ServerErrorMessage refusal = assertRefused(() -> statement.executeQuery("SELECT count(*) FROM orders"), "no-orders");
            assertThat(refusal.getDetail()).contains(policies.policy().shortVersion());
            assertThat(refusal.getHint()).isEqualTo("Try again tomorrow.");
            assertThat(scalar(statement, "SELECT count(*) FROM customers")).isEqualTo("20");
            String auditVersion = policies.policy().version();

            Instant invalidWritten = Instant.now();
            Files.writeString(reloading.policyFile(), "rules:\n  - name: Not A Valid Name\n    outcome: obliterate\n");
            awaitUntil(() -> policies.lastReload().result() == PolicyHolder.ReloadStatus.Result.REJECTED
                    && !policies.lastReload().at().isBefore(invalidWritten), "the invalid policy is rejected");

            assertThat(policies.policy().version()).isEqualTo(auditVersion);
            assertThat(policies.lastReload().error()).hasValueSatisfying(error -> assertThat(error).contains("name"));
            assertRefused(() -> statement.executeQuery("SELECT count(*) FROM orders"), "no-orders");
            assertThat(scalar(statement, "SELECT count(*) FROM customers")).isEqualTo("20");
        }
    }

    @Test
    void aGatewayWithoutAPolicyRefusesEveryStatement() throws Exception {
        // Without assumeMinServerVersion pgJDBC sends SET statements while connecting, which are refused too.
        Properties noSetupQueries = new Properties();
        noSetupQueries.setProperty("assumeMinServerVersion", "12");
        try (GatewayFixture unprotected = GatewayFixture.startWithoutPolicy();
                Connection connection = unprotected.connect(noSetupQueries); Statement statement = connection.createStatement()) {
            for (String sql : List.of("SELECT 1", "SHOW search_path", "BEGIN", "CREATE TABLE t (id int)", "SET application_name = 'x'")) {
                assertRefusedWithoutDetail(() -> statement.execute(sql), "warden-no-policy");
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private interface SqlAction {
        void run() throws Exception;
    }

    /** 42501 with the rule in the message, a hint, and the statement and policy version in the detail. */
    static ServerErrorMessage assertRefused(SqlAction action, String rule) {
        ServerErrorMessage error = assertRefusedWithoutDetail(action, rule);
        assertThat(error.getDetail()).as("detail").startsWith("Statement").contains("Policy version: ");
        return error;
    }

    static ServerErrorMessage assertRefusedWithoutDetail(SqlAction action, String rule) {
        PSQLException refusal = catchThrowableOfType(action::run, PSQLException.class);

        assertThat((Throwable) refusal).as("refusal by %s", rule).isNotNull();
        ServerErrorMessage error = refusal.getServerErrorMessage();
        assertThat(refusal.getSQLState()).as(refusal.getMessage()).isEqualTo("42501");
        assertThat(error.getMessage()).contains("rule \"" + rule + "\"");
        assertThat(error.getHint()).as("hint").isNotBlank();
        return error;
    }

    /** pgJDBC sends each statement text as one Query message, as psql does. */
    static Properties simpleQueryMode() {
        Properties properties = new Properties();
        properties.setProperty("preferQueryMode", "simple");
        return properties;
    }

    static int selectOne(Statement statement) throws SQLException {
        return Integer.parseInt(scalar(statement, "SELECT 1"));
    }

    static String scalar(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getString(1);
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after 5 s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * What a refused statement must not change, read straight from the database as its owner: the public
     * schema's columns, each table's row count and content checksum, and the number of roles, functions and
     * large objects.
     */
    record DatabaseFingerprint(List<String> columns, List<String> tables, long roles, long functions, long largeObjects) {
        static DatabaseFingerprint of(GatewayFixture fixture) throws SQLException {
            try (Connection direct = fixture.connectDirect(); Statement statement = direct.createStatement()) {
                List<String> columns = rows(statement, "SELECT table_name || '.' || column_name || ' ' || data_type"
                        + " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name");
                List<String> tables = new ArrayList<>();
                for (String table : rows(statement, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                    tables.add(table + " " + rows(statement, "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|'"
                            + " ORDER BY t::text)), '-') FROM public.\"" + table + "\" t").get(0));
                }
                return new DatabaseFingerprint(columns, tables,
                        Long.parseLong(rows(statement, "SELECT count(*) FROM pg_roles").get(0)),
                        Long.parseLong(rows(statement, "SELECT count(*) FROM pg_proc").get(0)),
                        Long.parseLong(rows(statement, "SELECT count(*) FROM pg_largeobject_metadata").get(0)));
            }
        }

        private static List<String> rows(Statement statement, String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
