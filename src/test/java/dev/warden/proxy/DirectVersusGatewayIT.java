package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.GatewayFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One scripted scenario run with pgJDBC straight against PostgreSQL and then through the gateway:
 * everything the client can observe (rows as strings, column types, update counts, generated keys,
 * notices, SQLSTATEs with their messages, COPY output, reported parameters) goes into a transcript,
 * and the two transcripts must be identical. This is the definition of "transparent" the other
 * client tests spot-check.
 */
class DirectVersusGatewayIT {
    private static GatewayFixture gateway;

    /** The driver's protocol paths, each of which must be transparent on its own. */
    enum Mode {
        /** pgJDBC's default: extended protocol, unnamed statements, then named ones from the fifth execution. */
        EXTENDED("prepareThreshold", "5"),
        /** Named server-side statements from the first execution, results in binary where the driver can. */
        BINARY("prepareThreshold", "-1", "binaryTransfer", "true"),
        /** Simple protocol only, parameters interpolated by the driver. */
        SIMPLE("preferQueryMode", "simple");

        private final String[] properties;

        Mode(String... properties) {
            this.properties = properties;
        }

        Properties properties() {
            Properties result = new Properties();
            for (int i = 0; i < properties.length; i += 2) {
                result.setProperty(properties[i], properties[i + 1]);
            }
            return result;
        }
    }

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theScenarioLooksTheSameDirectAndThroughTheGateway(Mode mode) throws Exception {
        List<String> direct;
        try (Connection connection = gateway.connectDirect(mode.properties())) {
            direct = new Scenario(connection).run();
        }
        try (Connection connection = gateway.connectDirect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA scenario CASCADE");
        }
        List<String> throughGateway;
        try (Connection connection = gateway.connect(mode.properties())) {
            throughGateway = new Scenario(connection).run();
        }
        try (Connection connection = gateway.connectDirect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA scenario CASCADE");
        }
        // Guard against a scenario that silently stopped early on both sides.
        assertThat(direct).hasSizeGreaterThan(60).contains("error 23505", "error 25P02", "copy out 3 rows");
        assertThat(throughGateway).containsExactlyElementsOf(direct);
    }

    /** The script; each step appends what the client saw. */
    private static final class Scenario {
        private final Connection connection;
        private final List<String> transcript = new ArrayList<>();

        Scenario(Connection connection) {
            this.connection = connection;
        }

        List<String> run() throws Exception {
            ddl();
            inserts();
            selects();
            errorsAndRollback();
            copy();
            settings();
            return transcript;
        }

        private void ddl() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                execute(statement, "CREATE SCHEMA scenario");
                execute(statement, "SET search_path = scenario, public");
                execute(statement, """
                        CREATE TABLE items (
                            id serial PRIMARY KEY,
                            name text NOT NULL UNIQUE,
                            price numeric(10, 2),
                            tags text[],
                            created timestamptz,
                            local timestamp,
                            day date,
                            at time,
                            span interval,
                            data bytea,
                            doc jsonb,
                            uid uuid,
                            flag boolean,
                            ratio float8,
                            small int2,
                            big int8,
                            letter char(3),
                            address inet
                        )""");
                execute(statement, "CREATE INDEX items_price ON items (price)");
                execute(statement, "COMMENT ON TABLE items IS 'scenario table'");
            }
        }

        private void inserts() throws SQLException {
            String insert = "INSERT INTO items (name, price, tags, created, local, day, at, span, data, doc, uid, flag,"
                    + " ratio, small, big, letter, address) VALUES (?, ?, ?, ?, ?, ?::date, ?::time, ?::interval, ?,"
                    + " ?::jsonb, ?, ?, ?, ?, ?, ?, ?::inet)";
            try (PreparedStatement statement = connection.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 1; i <= 7; i++) {
                    statement.setString(1, "item " + i + (i == 3 ? " ünïcødé ✓" : ""));
                    statement.setBigDecimal(2, new BigDecimal(i * 1234 + ".5" + i));
                    statement.setArray(3, connection.createArrayOf("text", new String[] {"t" + i, i % 2 == 0 ? null : "odd"}));
                    statement.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2024, 1, i, 10, 30, i)));
                    statement.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(1999, 12, 31, 23, 59, 59, i * 1000)));
                    statement.setString(6, "2024-03-0" + i);
                    statement.setString(7, "0" + i + ":15:00");
                    statement.setString(8, i + " days 0" + i + ":00:00");
                    statement.setBytes(9, new byte[] {0, (byte) i, (byte) 0xFF, '\\', '\''});
                    statement.setString(10, "{\"n\": " + i + ", \"list\": [1, 2, \"three\"]}");
                    statement.setObject(11, UUID.nameUUIDFromBytes(("uuid" + i).getBytes(StandardCharsets.UTF_8)));
                    if (i == 5) {
                        statement.setNull(12, Types.BOOLEAN);
                    } else {
                        statement.setBoolean(12, i % 2 == 0);
                    }
                    statement.setDouble(13, i / 3.0);
                    statement.setShort(14, (short) (-i));
                    statement.setLong(15, Long.MAX_VALUE - i);
                    statement.setString(16, "c" + i);
                    statement.setString(17, "10.0.0." + i);
                    transcript.add("insert " + statement.executeUpdate());
                    try (ResultSet keys = statement.getGeneratedKeys()) {
                        rows("generated", keys);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                transcript.add("insert-select " + statement.executeUpdate(
                        "INSERT INTO items (name, price) SELECT 'bulk ' || g, g FROM generate_series(1, 50) AS g"));
                transcript.add("update " + statement.executeUpdate("UPDATE items SET price = price * 2 WHERE name LIKE 'bulk%'"));
                transcript.add("delete " + statement.executeUpdate("DELETE FROM items WHERE name LIKE 'bulk%' AND price > 60"));
            }
        }

        private void selects() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                query(statement, "SELECT * FROM items ORDER BY id");
                query(statement, "SELECT count(*), sum(price), avg(ratio), max(created), string_agg(name, '|' ORDER BY id)"
                        + " FROM items");
                query(statement, "SELECT NULL::text AS nothing, ''::text AS empty, 'it''s'::text AS quoted,"
                        + " E'tab\\there'::text AS escaped, 1e100::float8 AS huge, 'NaN'::numeric AS nan,"
                        + " '-infinity'::timestamp AS ever, ARRAY[[1, 2], [3, 4]] AS matrix, ROW(1, 'a') AS record");
                query(statement, "SELECT current_user, session_user, current_database(), current_schema()");
                query(statement, "SELECT relname, obj_description(oid) FROM pg_class WHERE relname = 'items'");
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, name, price, tags, created, data, doc, uid FROM items WHERE id = ANY (?) AND price > ? ORDER BY id")) {
                // Enough executions to cross pgJDBC's prepareThreshold, so a named statement is reused.
                for (int run = 0; run < 6; run++) {
                    statement.setArray(1, connection.createArrayOf("int4", new Integer[] {1, 2, 3, 4, 5, 6, 7, 8}));
                    statement.setBigDecimal(2, new BigDecimal(run * 1000));
                    try (ResultSet rows = statement.executeQuery()) {
                        rows("prepared run " + run, rows);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                execute(statement, "DO $$ BEGIN RAISE NOTICE 'notice % from the server', 42; END $$");
                execute(statement, "DO $$ BEGIN RAISE WARNING 'a warning'; END $$");
            }
        }

        private void errorsAndRollback() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                execute(statement, "SELECT 1 / 0");
                execute(statement, "SELECT no_such_column FROM items");
                execute(statement, "SELEC 1");
                connection.setAutoCommit(false);
                execute(statement, "INSERT INTO items (name) VALUES ('in a transaction')");
                execute(statement, "INSERT INTO items (name) VALUES ('item 1')");
                execute(statement, "SELECT 1");
                connection.rollback();
                execute(statement, "INSERT INTO items (name) VALUES ('kept')");
                execute(statement, "SAVEPOINT s1");
                execute(statement, "INSERT INTO items (name) VALUES ('undone')");
                execute(statement, "ROLLBACK TO SAVEPOINT s1");
                connection.commit();
                connection.setAutoCommit(true);
                query(statement, "SELECT name FROM items WHERE name IN ('in a transaction', 'kept', 'undone') ORDER BY name");
            }
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO items (name, small) VALUES (?, ?)")) {
                statement.setString(1, "overflow");
                statement.setInt(2, 100_000);
                try {
                    transcript.add("insert " + statement.executeUpdate());
                } catch (SQLException e) {
                    error(e);
                }
            }
        }

        private void copy() throws SQLException, IOException {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            try (Statement statement = connection.createStatement()) {
                execute(statement, "CREATE TABLE copied (id int, note text, amount numeric)");
            }
            String input = "1\tfirst\t1.5\n2\t\\N\t-2\n3\ttab\\there\t3e3\n";
            transcript.add("copy in " + copy.copyIn("COPY copied FROM STDIN",
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transcript.add("copy out " + copy.copyOut("COPY copied TO STDOUT", out) + " rows");
            transcript.add("copy text " + out.toString(StandardCharsets.UTF_8));
            out.reset();
            copy.copyOut("COPY (SELECT id, name, price, tags, doc FROM items WHERE id < 4 ORDER BY id) TO STDOUT"
                    + " WITH (FORMAT csv, HEADER)", out);
            transcript.add("copy csv " + out.toString(StandardCharsets.UTF_8));
            out.reset();
            copy.copyOut("COPY (SELECT id, data FROM items WHERE id < 3 ORDER BY id) TO STDOUT WITH (FORMAT binary)", out);
            transcript.add("copy binary " + HexFormat.of().formatHex(out.toByteArray()));
            try {
                copy.copyIn("COPY copied FROM STDIN", new ByteArrayInputStream("4\tbad\tnot a number\n".getBytes(StandardCharsets.UTF_8)));
            } catch (SQLException e) {
                error(e);
            }
            try (Statement statement = connection.createStatement()) {
                query(statement, "SELECT count(*) FROM copied");
            }
        }

        private void settings() throws SQLException {
            PGConnection pg = connection.unwrap(PGConnection.class);
            try (Statement statement = connection.createStatement()) {
                execute(statement, "SET TimeZone = 'America/New_York'");
                transcript.add("TimeZone reported " + pg.getParameterStatus("TimeZone"));
                query(statement, "SELECT created FROM items WHERE id = 1");
                execute(statement, "SET DateStyle = 'SQL, DMY'");
                transcript.add("DateStyle reported " + pg.getParameterStatus("DateStyle"));
                query(statement, "SELECT created::text, day::text FROM items WHERE id = 1");
                execute(statement, "SET application_name = 'scenario'");
                transcript.add("application_name reported " + pg.getParameterStatus("application_name"));
                execute(statement, "RESET ALL");
                transcript.add("after RESET ALL " + pg.getParameterStatus("TimeZone") + " / " + pg.getParameterStatus("DateStyle"));
            }
        }

        private void execute(Statement statement, String sql) {
            try {
                boolean hasRows = statement.execute(sql);
                transcript.add(sql.lines().findFirst().orElse("") + " -> " + (hasRows ? "rows" : "count " + statement.getUpdateCount()));
                warnings(statement.getWarnings());
                statement.clearWarnings();
            } catch (SQLException e) {
                error(e);
            }
        }

        private void query(Statement statement, String sql) {
            try (ResultSet rows = statement.executeQuery(sql)) {
                rows(sql, rows);
            } catch (SQLException e) {
                error(e);
            }
        }

        private void rows(String label, ResultSet rows) throws SQLException {
            ResultSetMetaData metadata = rows.getMetaData();
            StringBuilder header = new StringBuilder("columns " + label + ":");
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                header.append(' ').append(metadata.getColumnLabel(column)).append(':').append(metadata.getColumnTypeName(column))
                        .append('/').append(metadata.getColumnType(column));
            }
            transcript.add(header.toString());
            int count = 0;
            while (rows.next()) {
                StringBuilder row = new StringBuilder("row");
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    Object value = rows.getObject(column);
                    // pgJDBC's getString of a bytea received in binary is byte[].toString(): compare the bytes instead.
                    String text = value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : rows.getString(column);
                    row.append(" | ").append(text)
                            .append(value == null ? "" : " (" + value.getClass().getSimpleName() + ")");
                }
                transcript.add(row.toString());
                count++;
            }
            transcript.add("end " + count + " rows");
        }

        private void warnings(SQLWarning warning) {
            for (SQLWarning current = warning; current != null; current = current.getNextWarning()) {
                transcript.add("warning " + current.getSQLState() + " " + current.getMessage());
            }
        }

        private void error(SQLException e) {
            transcript.add("error " + e.getSQLState());
            if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                transcript.add("error detail " + server.getSeverity() + " | " + server.getMessage() + " | " + server.getDetail()
                        + " | " + server.getHint() + " | " + server.getPosition() + " | " + server.getTable() + " | "
                        + server.getConstraint());
            } else {
                transcript.add("error message " + e.getMessage());
            }
        }
    }
}
