package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.AuditConfig;
import dev.warden.config.SecretReference;
import dev.warden.config.WardenConfig;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Nothing runs unrecorded: when the store stops taking writes in the middle of a session, the next
 * statement does not reach the database, the client gets 58000 and the session ends; new sessions are
 * refused while the store is broken, and work again once it is repaired. For both stores, broken for
 * real (a PostgreSQL table renamed away; SQLite's write lock held by another connection).
 */
class RecordingFailClosedIT {

    @FunctionalInterface
    interface StoreDamage {
        void apply() throws Exception;
    }

    @Test
    void aPostgresStoreThatFailsMidSessionStopsTheNextStatementAndNewSessions() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String database = postgres.createDatabase("rec_store");
        TestPostgres.TestRole role = postgres.createRole("rec_store_owner");
        try (Connection admin = postgres.superuserConnection(database); Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + database + " OWNER TO " + role.name());
        }
        String url = "postgresql://127.0.0.1:" + postgres.port() + "/" + database;
        try (GatewayFixture gateway = GatewayFixture.start(config -> postgresStore(config, url, role))) {
            StoreDamage breakStore = () -> superuser(postgres, database, "ALTER TABLE warden_records RENAME TO warden_records_gone");
            StoreDamage repair = () -> superuser(postgres, database, "ALTER TABLE warden_records_gone RENAME TO warden_records");
            assertFailsClosed(gateway, breakStore, repair);
        }
    }

    @Test
    void anSqliteStoreThatCannotBeWrittenStopsTheNextStatementAndNewSessions() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            Path file = gateway.config().audit().dataDirectory().resolve("warden.db");
            Connection[] locker = new Connection[1];
            StoreDamage breakStore = () -> {
                locker[0] = DriverManager.getConnection("jdbc:sqlite:" + file);
                try (Statement statement = locker[0].createStatement()) {
                    statement.execute("PRAGMA busy_timeout=2000");
                    statement.execute("BEGIN EXCLUSIVE");
                }
            };
            StoreDamage repair = () -> {
                try (Statement statement = locker[0].createStatement()) {
                    statement.execute("ROLLBACK");
                }
                locker[0].close();
            };
            assertFailsClosed(gateway, breakStore, repair);
        }
    }

    private static void assertFailsClosed(GatewayFixture gateway, StoreDamage breakStore, StoreDamage repair) throws Exception {
        try (Connection session = gateway.connect(); Statement statement = session.createStatement()) {
            statement.execute("CREATE TABLE t (x int)");
            statement.execute("INSERT INTO t VALUES (0)");

            breakStore.apply();

            assertThatThrownBy(() -> statement.execute("INSERT INTO t VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("58000");
                        assertThat(e.getMessage()).contains("could not record this statement, so it did not run");
                    });
            assertThat(rowsWith(gateway, 1)).as("the unrecorded INSERT reached the database").isZero();
            // The session is over: the gateway closed it.
            assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(session.isValid(2)).isFalse();
        }

        assertThatThrownBy(gateway::connect)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("58000"));

        repair.apply();

        try (Connection session = gateway.connect(); Statement statement = session.createStatement()) {
            statement.execute("INSERT INTO t VALUES (2)");
        }
        assertThat(rowsWith(gateway, 2)).isEqualTo(1);
        assertThat(rowsWith(gateway, 0)).isEqualTo(1);
        assertThat(gateway.audit().store().sessions(dev.warden.store.SessionQuery.all())).hasSize(2);
    }

    private static long rowsWith(GatewayFixture gateway, int x) throws SQLException {
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM t WHERE x = " + x)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void superuser(TestPostgres postgres, String database, String sql) throws SQLException {
        try (Connection admin = postgres.superuserConnection(database); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The gateway records into {@code url} as {@code role}, with its password by {@code file:} reference. */
    static WardenConfig postgresStore(WardenConfig config, String url, TestPostgres.TestRole role) {
        return GatewayFixture.withPostgresStore(config, url, role);
    }

}
