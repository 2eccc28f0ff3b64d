package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.GatewayFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

/**
 * pgJDBC, the driver behind most Java tools (DBeaver, IntelliJ, Flyway), used through the gateway the
 * way applications use it: every protocol path the driver has (simple and extended query, named
 * server-side statements, binary transfer, cursors with a fetch size, COPY, cancel, LISTEN/NOTIFY,
 * metadata) must behave exactly as it does against PostgreSQL itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdbcThroughGatewayIT {
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @ParameterizedTest(name = "prepareThreshold={0}")
    @ValueSource(strings = {"0", "1", "5"})
    void simpleAndPreparedStatements(String prepareThreshold) throws Exception {
        String table = "prepared_" + prepareThreshold;
        try (Connection connection = gateway.connect(properties("prepareThreshold", prepareThreshold));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            assertThat(statement.executeUpdate("INSERT INTO " + table + " VALUES (1, 'one'), (2, 'two')")).isEqualTo(2);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)");
                    PreparedStatement select = connection.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
                // Ten executions cross every threshold: unnamed, then a named server-side statement reused.
                for (int id = 3; id < 13; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "name " + id);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                    select.setInt(1, id);
                    try (ResultSet rows = select.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getString(1)).isEqualTo("name " + id);
                        assertThat(rows.next()).isFalse();
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*), sum(id) FROM " + table)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(12);
                assertThat(rows.getLong(2)).isEqualTo(78);
            }
            if (!prepareThreshold.equals("0")) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT name FROM " + table
                                + " WHERE id = $1'")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).as("a named server-side statement was prepared").isEqualTo(1);
                }
            }
        }
    }

    @ParameterizedTest(name = "reWriteBatchedInserts={0}")
    @ValueSource(booleans = {false, true})
    void batches(boolean rewrite) throws Exception {
        String table = "batch_" + rewrite;
        try (Connection connection = gateway.connect(properties("reWriteBatchedInserts", String.valueOf(rewrite)));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, name) VALUES (?, ?)")) {
                for (int id = 1; id <= 500; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "row " + id);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                int total = Arrays.stream(counts).map(count -> count == Statement.SUCCESS_NO_INFO ? 0 : count).sum();
                if (rewrite) {
                    assertThat(counts).containsOnly(Statement.SUCCESS_NO_INFO);
                } else {
                    assertThat(counts).hasSize(500).containsOnly(1);
                    assertThat(total).isEqualTo(500);
                }
            }
            statement.addBatch("UPDATE " + table + " SET name = 'even' WHERE id % 2 = 0");
            statement.addBatch("DELETE FROM " + table + " WHERE id > 400");
            assertThat(statement.executeBatch()).containsExactly(250, 100);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT count(*), count(*) FILTER (WHERE name = 'even'), sum(id) FROM " + table)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(400);
                assertThat(rows.getLong(2)).isEqualTo(200);
                assertThat(rows.getLong(3)).isEqualTo(400L * 401 / 2);
            }
        }
    }

    @Test
    void binaryTransferRoundTripsTypes() throws Exception {
        // prepareThreshold=-1 makes the driver describe first and ask for binary results from the first execution.
        try (Connection connection = gateway.connect(properties("binaryTransfer", "true", "prepareThreshold", "-1"));
                PreparedStatement select = connection.prepareStatement(
                        "SELECT ?::int4, ?::int8, ?::timestamp, ?::bytea, ?::numeric, ?::uuid, ?::int4[], ?::text[],"
                                + " ?::float8, ?::bool")) {
            byte[] bytes = new byte[4096];
            new Random(7).nextBytes(bytes);
            Timestamp timestamp = Timestamp.valueOf(LocalDateTime.of(2024, 2, 29, 13, 37, 42, 123_456_000));
            BigDecimal numeric = new BigDecimal("-12345678901234567890.000123456789");
            UUID uuid = UUID.fromString("0b0e2a76-8c3e-4f5b-9d0a-7b6c5e4d3c2b");
            select.setInt(1, -2_000_000_000);
            select.setLong(2, Long.MIN_VALUE + 1);
            select.setTimestamp(3, timestamp);
            select.setBytes(4, bytes);
            select.setBigDecimal(5, numeric);
            select.setObject(6, uuid);
            select.setArray(7, connection.createArrayOf("int4", new Integer[] {1, null, -3}));
            select.setArray(8, connection.createArrayOf("text", new String[] {"a", "b,c", "\"q\"", ""}));
            select.setDouble(9, Math.PI);
            select.setBoolean(10, true);
            for (int run = 0; run < 3; run++) {
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(-2_000_000_000);
                    assertThat(rows.getLong(2)).isEqualTo(Long.MIN_VALUE + 1);
                    assertThat(rows.getTimestamp(3)).isEqualTo(timestamp);
                    assertThat(rows.getBytes(4)).isEqualTo(bytes);
                    assertThat(rows.getBigDecimal(5)).isEqualByComparingTo(numeric);
                    assertThat(rows.getObject(6)).isEqualTo(uuid);
                    Array ints = rows.getArray(7);
                    assertThat((Object[]) ints.getArray()).containsExactly(1, null, -3);
                    assertThat((Object[]) rows.getArray(8).getArray()).containsExactly("a", "b,c", "\"q\"", "");
                    assertThat(rows.getDouble(9)).isEqualTo(Math.PI);
                    assertThat(rows.getBoolean(10)).isTrue();
                }
            }
        }
    }

    @Test
    void largeResultStreamsWithAFetchSize() throws Exception {
        String query = "SELECT i, md5(i::text) FROM generate_series(1, 200000) AS i ORDER BY i";
        Checksum throughGateway;
        try (Connection connection = gateway.connect()) {
            throughGateway = streamedChecksum(connection, query);
        }
        Checksum direct;
        try (Connection connection = gateway.connectDirect()) {
            direct = streamedChecksum(connection, query);
        }
        assertThat(throughGateway.rows()).isEqualTo(200_000);
        assertThat(throughGateway.sum()).isEqualTo(200_000L * 200_001 / 2);
        assertThat(throughGateway).isEqualTo(direct);
    }

    private record Checksum(long rows, long sum, long crc) {}

    private static Checksum streamedChecksum(Connection connection, String query) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(100);
            long rows = 0;
            long sum = 0;
            CRC32 crc = new CRC32();
            try (ResultSet result = statement.executeQuery(query)) {
                while (result.next()) {
                    rows++;
                    sum += result.getInt(1);
                    crc.update(result.getString(2).getBytes(StandardCharsets.US_ASCII));
                }
            }
            connection.commit();
            return new Checksum(rows, sum, crc.getValue());
        }
    }

    @Test
    void transactionsCommitRollBackAndUseSavepoints() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger (id int PRIMARY KEY, amount int)");
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO ledger VALUES (1, 10)");
            connection.commit();
            statement.execute("INSERT INTO ledger VALUES (2, 20)");
            connection.rollback();
            statement.execute("INSERT INTO ledger VALUES (3, 30)");
            Savepoint savepoint = connection.setSavepoint("before_four");
            statement.execute("INSERT INTO ledger VALUES (4, 40)");
            connection.rollback(savepoint);
            statement.execute("INSERT INTO ledger VALUES (5, 50)");
            connection.releaseSavepoint(connection.setSavepoint());
            connection.commit();
            connection.setAutoCommit(true);
            try (Connection other = gateway.connect(); Statement read = other.createStatement();
                    ResultSet rows = read.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM ledger")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("1,3,5");
            }
        }
    }

    @Test
    void copyInAndOutThroughCopyManager() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= 50_000; i++) {
            input.append(i).append('\t').append("line ").append(i).append(" with tab\\tand backslash\\\\").append('\n');
        }
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE copied (id int PRIMARY KEY, body text)");
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long copiedIn = copy.copyIn("COPY copied FROM STDIN",
                    new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(copiedIn).isEqualTo(50_000);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            long copiedOut = copy.copyOut("COPY (SELECT * FROM copied ORDER BY id) TO STDOUT", output);
            assertThat(copiedOut).isEqualTo(50_000);
            assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo(input.toString());
            // The session carries on normally after both COPY sub-protocols.
            try (ResultSet rows = statement.executeQuery("SELECT body FROM copied WHERE id = 7")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("line 7 with tab\tand backslash\\");
            }
        }
    }

    @Test
    void copyInThatFailsOnTheServerLeavesTheSessionUsable() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE copy_checked (id int PRIMARY KEY)");
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            assertThatThrownBy(() -> copy.copyIn("COPY copy_checked FROM STDIN",
                    new ByteArrayInputStream("1\n2\nnot a number\n".getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22P02"));
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM copy_checked")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isZero();
            }
        }
    }

    @Test
    void cancelStopsARunningStatementAndTheSessionGoesOn() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                try {
                    waitUntilSleeping(connection);
                    statement.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long started = System.nanoTime();
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            canceller.get(10, TimeUnit.SECONDS);
            try (ResultSet rows = statement.executeQuery("SELECT 42")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }

    /** Polls from a second, direct connection until the gateway session's backend is inside pg_sleep. */
    private static void waitUntilSleeping(Connection gatewayConnection) throws Exception {
        try (Connection observer = gateway.connectDirect();
                PreparedStatement activity = observer.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = activity.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("pg_sleep never started");
        }
    }

    @Test
    void notificationsBetweenTwoGatewayConnections() throws Exception {
        try (Connection listener = gateway.connect(); Connection notifier = gateway.connect();
                Statement listen = listener.createStatement(); Statement notify = notifier.createStatement()) {
            listen.execute("LISTEN jobs");
            notify.execute("NOTIFY jobs, 'first'");
            notify.execute("SELECT pg_notify('jobs', 'second')");
            int notifierPid = backendPid(notifier);
            List<PGNotification> received = awaitNotifications(listener, 2);
            assertThat(received).extracting(PGNotification::getName).containsExactly("jobs", "jobs");
            assertThat(received).extracting(PGNotification::getParameter).containsExactly("first", "second");
            // The PID in a notification is the sending backend's, as pg_backend_pid() reports it.
            assertThat(received).extracting(PGNotification::getPID).containsOnly(notifierPid);
            // Applications skip their own NOTIFYs by comparing with the driver's backend pid.
            assertThat(notifier.unwrap(PGConnection.class).getBackendPID()).isEqualTo(notifierPid);
        }
    }

    @Test
    void notificationsBetweenADirectAndAGatewayConnection() throws Exception {
        try (Connection direct = gateway.connectDirect(); Connection throughGateway = gateway.connect();
                Statement directStatement = direct.createStatement();
                Statement gatewayStatement = throughGateway.createStatement()) {
            gatewayStatement.execute("LISTEN to_gateway");
            directStatement.execute("LISTEN to_direct");
            directStatement.execute("NOTIFY to_gateway, 'from direct'");
            gatewayStatement.execute("NOTIFY to_direct, 'from gateway'");
            assertThat(awaitNotifications(throughGateway, 1)).singleElement().satisfies(notification -> {
                assertThat(notification.getName()).isEqualTo("to_gateway");
                assertThat(notification.getParameter()).isEqualTo("from direct");
            });
            assertThat(awaitNotifications(direct, 1)).singleElement().satisfies(notification -> {
                assertThat(notification.getName()).isEqualTo("to_direct");
                assertThat(notification.getParameter()).isEqualTo("from gateway");
            });
        }
    }

    private static List<PGNotification> awaitNotifications(Connection connection, int expected) throws SQLException {
        List<PGNotification> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < expected && System.nanoTime() < deadline) {
            PGNotification[] batch = connection.unwrap(PGConnection.class).getNotifications(1000);
            if (batch != null) {
                received.addAll(Arrays.asList(batch));
            }
        }
        return received;
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void serverErrorsKeepTheSessionUsable() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT 1 / 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> statement.execute("SELEC 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42601"));
            try (PreparedStatement divide = connection.prepareStatement("SELECT 10 / ?")) {
                divide.setInt(1, 0);
                assertThatThrownBy(divide::executeQuery)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
                divide.setInt(1, 5);
                try (ResultSet rows = divide.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            }
            statement.execute("CREATE TABLE uniques (id int PRIMARY KEY)");
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO uniques VALUES (1)");
            assertThatThrownBy(() -> statement.execute("INSERT INTO uniques VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            assertThatThrownBy(() -> statement.execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            connection.rollback();
            connection.setAutoCommit(true);
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM uniques")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isZero();
            }
        }
    }

    @Test
    void metadataQueriesMatchADirectConnection() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE,"
                    + " created timestamptz DEFAULT now(), balance numeric(12, 2))");
            statement.execute("COMMENT ON TABLE customers IS 'people who buy'");
            statement.execute("CREATE VIEW rich_customers AS SELECT id, email FROM customers WHERE balance > 1000");
        }
        List<String> throughGateway;
        try (Connection connection = gateway.connect()) {
            throughGateway = metadataTranscript(connection.getMetaData());
        }
        List<String> direct;
        try (Connection connection = gateway.connectDirect()) {
            direct = metadataTranscript(connection.getMetaData());
        }
        assertThat(throughGateway).contains("tables: customers|TABLE|people who buy", "tables: rich_customers|VIEW|null");
        assertThat(throughGateway).anyMatch(line -> line.startsWith("columns: customers|email|12|text|"));
        assertThat(throughGateway).isEqualTo(direct);
    }

    /**
     * What a database tool reads to draw its navigator tree, as comparable lines. Left out:
     * {@code getUserName()}, which pgJDBC answers from its own connection settings, so it is the
     * gateway identity on one side and the upstream role on the other, by design.
     */
    private static List<String> metadataTranscript(DatabaseMetaData metadata) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.add("product: " + metadata.getDatabaseProductName() + " " + metadata.getDatabaseProductVersion());
        try (ResultSet rows = metadata.getSchemas()) {
            while (rows.next()) {
                lines.add("schemas: " + rows.getString("TABLE_SCHEM"));
            }
        }
        try (ResultSet rows = metadata.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"})) {
            while (rows.next()) {
                lines.add("tables: " + rows.getString("TABLE_NAME") + "|" + rows.getString("TABLE_TYPE") + "|"
                        + rows.getString("REMARKS"));
            }
        }
        try (ResultSet rows = metadata.getColumns(null, "public", "%", "%")) {
            while (rows.next()) {
                lines.add("columns: " + rows.getString("TABLE_NAME") + "|" + rows.getString("COLUMN_NAME") + "|"
                        + rows.getInt("DATA_TYPE") + "|" + rows.getString("TYPE_NAME") + "|" + rows.getInt("COLUMN_SIZE")
                        + "|" + rows.getString("IS_NULLABLE") + "|" + rows.getString("COLUMN_DEF"));
            }
        }
        try (ResultSet rows = metadata.getPrimaryKeys(null, "public", "customers")) {
            while (rows.next()) {
                lines.add("primary key: " + rows.getString("COLUMN_NAME") + "|" + rows.getString("PK_NAME"));
            }
        }
        try (ResultSet rows = metadata.getIndexInfo(null, "public", "customers", false, false)) {
            while (rows.next()) {
                lines.add("index: " + rows.getString("INDEX_NAME") + "|" + rows.getString("COLUMN_NAME") + "|"
                        + rows.getBoolean("NON_UNIQUE"));
            }
        }
        try (ResultSet rows = metadata.getTypeInfo()) {
            int types = 0;
            while (rows.next()) {
                types++;
            }
            lines.add("types: " + types);
        }
        return lines;
    }

    @Test
    void largeByteaParameterRoundTrips() throws Exception {
        byte[] payload = new byte[500 * 1024];
        new Random(42).nextBytes(payload);
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE blobs (id int PRIMARY KEY, data bytea)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO blobs VALUES (1, ?)")) {
                insert.setBytes(1, payload);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (ResultSet rows = statement.executeQuery("SELECT data, length(data) FROM blobs WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBytes(1)).isEqualTo(payload);
                assertThat(rows.getInt(2)).isEqualTo(payload.length);
            }
        }
    }

    @Test
    void aThousandPipelinedStatementsInOneBatch() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE pipelined (id int PRIMARY KEY, square int)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pipelined VALUES (?, ?)")) {
                for (int id = 1; id <= 1000; id++) {
                    insert.setInt(1, id);
                    insert.setInt(2, id * id);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(1000).containsOnly(1);
            }
            for (int id = 1; id <= 1000; id++) {
                statement.addBatch("UPDATE pipelined SET square = square + 1 WHERE id = " + id);
            }
            assertThat(statement.executeBatch()).hasSize(1000).containsOnly(1);
            connection.commit();
            try (ResultSet rows = statement.executeQuery("SELECT count(*), sum(square) FROM pipelined")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(1000);
                assertThat(rows.getLong(2)).isEqualTo(1000L * 1001 * 2001 / 6 + 1000);
            }
        }
    }

    @Test
    void serverParametersAreTheServersOwn() throws Exception {
        Map<String, String> throughGateway;
        try (Connection connection = gateway.connect()) {
            throughGateway = connection.unwrap(PGConnection.class).getParameterStatuses();
        }
        Map<String, String> direct;
        try (Connection connection = gateway.connectDirect()) {
            direct = connection.unwrap(PGConnection.class).getParameterStatuses();
        }
        assertThat(throughGateway).containsKeys("server_version", "TimeZone", "DateStyle", "integer_datetimes",
                "standard_conforming_strings", "client_encoding", "session_authorization");
        assertThat(throughGateway).containsEntry("session_authorization", gateway.upstreamRole().name());
        assertThat(throughGateway).isEqualTo(direct);
    }

    @Test
    void applicationNameReachesTheServer() throws Exception {
        try (Connection connection = gateway.connect(properties("ApplicationName", "nightly report"));
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW application_name")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("nightly report");
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("nightly report");
            }
            assertThat(connection.unwrap(PGConnection.class).getParameterStatus("application_name"))
                    .isEqualTo("nightly report");
        }
    }

    @Test
    void theDriversDefaultSslModeFallsBackToPlaintextWhenTheListenerHasNoTls() throws Exception {
        // sslmode=prefer is what pgJDBC and libpq do when nobody configured anything: SSLRequest, 'N', carry on.
        Properties properties = properties("user", GatewayFixture.IDENTITY, "password", gateway.token());
        String url = "jdbc:postgresql://127.0.0.1:" + gateway.port() + "/" + GatewayFixture.TARGET;
        try (Connection connection = DriverManager.getConnection(url, properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isFalse();
        }
    }

    @Test
    void currentSchemaIsSentAsTheSearchPath() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS reporting");
            statement.execute("CREATE TABLE reporting.figures (n int)");
            statement.execute("INSERT INTO reporting.figures VALUES (7)");
        }
        try (Connection connection = gateway.connect(properties("currentSchema", "reporting"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_schema(), n FROM figures")) {
            assertThat(connection.getSchema()).isEqualTo("reporting");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("reporting");
            assertThat(rows.getInt(2)).isEqualTo(7);
        }
    }

    @Test
    void autosaveRecoversFromAnErrorInsideATransaction() throws Exception {
        // autosave=always wraps each statement in a savepoint the driver rolls back to after an error.
        try (Connection connection = gateway.connect(properties("autosave", "always"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE autosaved (id int PRIMARY KEY)");
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO autosaved VALUES (1)");
            assertThatThrownBy(() -> statement.execute("INSERT INTO autosaved VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            statement.execute("INSERT INTO autosaved VALUES (2)");
            connection.commit();
            try (ResultSet rows = statement.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM autosaved")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("1,2");
            }
        }
    }

    @Test
    void aQueryTimeoutCancelsThroughTheGateway() throws Exception {
        try (Connection connection = gateway.connect(); PreparedStatement sleep = connection.prepareStatement("SELECT pg_sleep(?)")) {
            sleep.setQueryTimeout(1);
            sleep.setInt(1, 30);
            long started = System.nanoTime();
            assertThatThrownBy(sleep::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            sleep.setInt(1, 0);
            try (ResultSet rows = sleep.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void resultMetadataDescribesColumnsLikeTheServer() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1::int2 AS small, 'x'::varchar(5) AS short, now() AS at")) {
            ResultSetMetaData metadata = rows.getMetaData();
            assertThat(metadata.getColumnCount()).isEqualTo(3);
            assertThat(metadata.getColumnTypeName(1)).isEqualTo("int2");
            assertThat(metadata.getColumnTypeName(2)).isEqualTo("varchar");
            assertThat(metadata.getPrecision(2)).isEqualTo(5);
            assertThat(metadata.getColumnTypeName(3)).isEqualTo("timestamptz");
        }
    }
}
