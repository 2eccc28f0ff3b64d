package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import dev.warden.testing.GatewayFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.fastpath.Fastpath;
import org.postgresql.fastpath.FastpathArg;

/**
 * How a refused statement looks on the wire, whatever decided it: the client gets the gateway's
 * 42501, the statement never runs, and the session is left exactly as PostgreSQL leaves it after a
 * failed statement (aborted transaction, pipeline skipped to Sync), so it stays usable.
 */
class RefusalOnTheWireIT {
    /** Refuses any statement mentioning "forbidden", and fast-path calls of lo_creat. */
    private static final class TestingGate implements StatementGate {
        static volatile int refusedFunctionOid = -1;

        @Override
        public Verdict checkQuery(String sql) {
            return check(sql);
        }

        @Override
        public Verdict checkExecute(String sql) {
            return sql == null ? refusal("unknown statement") : check(sql);
        }

        @Override
        public Verdict checkFunctionCall(int functionOid) {
            return functionOid == refusedFunctionOid ? refusal("fast-path call of lo_creat") : Verdict.ALLOW;
        }

        private static Verdict check(String sql) {
            return sql.toLowerCase(Locale.ROOT).contains("forbidden") ? refusal("the statement mentions forbidden")
                    : Verdict.ALLOW;
        }

        private static Verdict refusal(String why) {
            return Verdict.refuse(PgError.error(SqlState.INSUFFICIENT_PRIVILEGE,
                    "Access denied by rule testing-gate: " + why, "Leave out the forbidden word."));
        }
    }

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start(UnaryOperator.identity(), (identity, target, parameters) -> new TestingGate());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void freshTable() throws SQLException {
        try (Connection connection = gateway.connectDirect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS items");
            statement.execute("CREATE TABLE items (id int PRIMARY KEY, forbidden_flag boolean DEFAULT false)");
        }
    }

    @Test
    void aRefusedSimpleQueryRunsNothingAndTheSessionGoesOn() throws Exception {
        try (Connection connection = gateway.connect(simpleProtocol()); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("INSERT INTO items (id, forbidden_flag) VALUES (1, true)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("Access denied by rule testing-gate")
                                .contains("Leave out the forbidden word");
                    });
            assertThat(count(statement)).isZero();
        }
    }

    @Test
    void oneRefusedStatementInAMultiStatementQueryStopsAllOfThem() throws Exception {
        try (Connection connection = gateway.connect(simpleProtocol()); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(
                    "INSERT INTO items VALUES (1); INSERT INTO items (id, forbidden_flag) VALUES (2, true); INSERT INTO items VALUES (3)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThat(count(statement)).isZero();
        }
    }

    @Test
    void aRefusalInsideATransactionAbortsItAsAServerErrorWould() throws Exception {
        for (Properties mode : new Properties[] {simpleProtocol(), new Properties()}) {
            try (Connection connection = gateway.connect(mode); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("INSERT INTO items VALUES (10)");
                assertThatThrownBy(() -> statement.execute("UPDATE items SET forbidden_flag = true"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                assertThatThrownBy(() -> statement.execute("SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
                connection.rollback();
                connection.setAutoCommit(true);
                assertThat(count(statement)).isZero();
                statement.execute("INSERT INTO items VALUES (11)");
                assertThat(count(statement)).isEqualTo(1);
                statement.execute("DELETE FROM items");
            }
        }
    }

    @Test
    void aRefusedPreparedStatementFailsAtExecuteAndTheNextOneRuns() throws Exception {
        Properties named = new Properties();
        named.setProperty("prepareThreshold", "1");
        try (Connection connection = gateway.connect(named)) {
            try (PreparedStatement refused = connection.prepareStatement("UPDATE items SET forbidden_flag = ? WHERE id = ?")) {
                refused.setBoolean(1, true);
                refused.setInt(2, 1);
                for (int attempt = 0; attempt < 3; attempt++) {
                    assertThatThrownBy(refused::executeUpdate)
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items VALUES (?)")) {
                for (int id = 1; id <= 3; id++) {
                    insert.setInt(1, id);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
            try (Statement statement = connection.createStatement()) {
                assertThat(count(statement)).isEqualTo(3);
            }
        }
    }

    @Test
    void aRefusedStatementInAPipelinedBatchFailsTheBatchLikeAServerError() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO items VALUES (1)");
            statement.addBatch("INSERT INTO items (id, forbidden_flag) VALUES (2, true)");
            statement.addBatch("INSERT INTO items VALUES (3)");
            assertThatThrownBy(statement::executeBatch).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(rootSqlState((SQLException) e)).isEqualTo("42501"));
            // pgJDBC sends the batch as one pipeline with one Sync: after the error the server skipped
            // the rest and the implicit transaction rolled back, exactly as for a server-side error.
            assertThat(count(statement)).isZero();
            statement.execute("INSERT INTO items VALUES (4)");
            assertThat(count(statement)).isEqualTo(1);
        }
    }

    @Test
    void aRefusedFastPathFunctionCallIsAnErrorAndTheSessionGoesOn() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet oid = statement.executeQuery("SELECT 'lo_creat'::regproc::oid::int")) {
                oid.next();
                TestingGate.refusedFunctionOid = oid.getInt(1);
            }
            connection.setAutoCommit(false);
            @SuppressWarnings("deprecation")
            Fastpath fastpath = connection.unwrap(PGConnection.class).getFastpathAPI();
            try (ResultSet functions = statement.executeQuery(
                    "SELECT proname, oid FROM pg_proc WHERE proname IN ('lo_creat', 'lo_unlink')")) {
                fastpath.addFunctions(functions);
            }
            assertThatThrownBy(() -> fastpath.getInteger("lo_creat", new FastpathArg[] {new FastpathArg(0x60000)}))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42501");
                        assertThat(e.getMessage()).contains("fast-path call of lo_creat");
                    });
            connection.rollback();
            connection.setAutoCommit(true);
            assertThat(count(statement)).isZero();
        }
    }

    private static Properties simpleProtocol() {
        Properties properties = new Properties();
        properties.setProperty("preferQueryMode", "simple");
        return properties;
    }

    private static int count(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM items")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String rootSqlState(SQLException e) {
        SQLException next = e.getNextException();
        return next != null ? next.getSQLState() : e.getSQLState();
    }
}
