package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.TestPostgres;
import dev.warden.testing.TestPostgres.TestRole;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared suite against a real PostgreSQL: a fresh database, owned by a fresh login role, per test. */
class PostgresRecordStoreTest extends RecordStoreTestBase {
    private static final TestPostgres POSTGRES = TestPostgres.shared();

    private String database;
    private TestRole role;
    private boolean connectionsRefused;

    @Override
    protected RecordStore openStore() throws Exception {
        database = POSTGRES.createDatabase("store");
        role = POSTGRES.createRole("store_owner");
        superuser("ALTER DATABASE " + database + " OWNER TO " + role.name());
        return RecordStore.open(location());
    }

    @Override
    protected RecordStore reopenStore() throws Exception {
        return RecordStore.open(location());
    }

    private StoreLocation location() {
        return StoreLocation.parse("postgresql://" + POSTGRES.host() + ":" + POSTGRES.port() + "/" + database,
                Path.of("/nonexistent"), role.name(), role.password());
    }

    /** The database stops accepting connections and the store's are terminated: like a store that went down. */
    @Override
    protected void makeUnwritable() throws Exception {
        superuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        connectionsRefused = true;
        assertThat(terminateStoreConnections()).isPositive();
    }

    @Override
    protected void makeWritableAgain() throws Exception {
        if (connectionsRefused) {
            superuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            connectionsRefused = false;
        }
    }

    @Test
    void aStoreConnectionTerminatedWhileIdleIsReplacedWithoutFailingTheAppend() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        try (RecordWriter writer = RecordWriter.start(store)) {
            writer.submit(List.of(session.start("alice", "prod"))).get(10, TimeUnit.SECONDS);
            assertThat(store.sessions(SessionQuery.all())).hasSize(1);

            assertThat(terminateStoreConnections()).isEqualTo(2);

            writer.submit(session.roundTrip("SELECT 1")).get(10, TimeUnit.SECONDS);
            assertThat(writer.healthy()).isTrue();
            assertThat(store.sessions(SessionQuery.all())).hasSize(1);
        }
        assertThat(store.records("s-1", 0, 10)).hasSize(3);
    }

    @Test
    void theWriterConnectionCommitsSynchronouslyWhateverTheRoleDefault() throws Exception {
        superuser("ALTER ROLE " + role.name() + " SET synchronous_commit = off");

        try (Connection writer = StoreConnector.of(location()).openWriter();
                Statement statement = writer.createStatement();
                ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getString(1)).isEqualTo("on");
            assertThat(writer.getAutoCommit()).isFalse();
        }
    }

    @Test
    void aFailedAppendDoesNotQuoteTheRecordsItCouldNotStore() throws Exception {
        TestingSession session = new TestingSession("s-leak", 1_000_000);
        store.append(List.of(session.start("agent", "app")));
        asOwner("ALTER TABLE warden_records RENAME TO warden_records_gone");
        try {
            // pgJDBC's batch errors quote the INSERT with its values; recorded data must not reach logs.
            String secretText = "SELECT 'card 4111111111111111'";
            assertThatThrownBy(() -> store.append(List.of(session.statement(secretText, "allow"))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("SQLSTATE 42P01")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("4111111111111111").doesNotContain("INSERT"))
                    .hasNoCause();
        } finally {
            asOwner("ALTER TABLE warden_records_gone RENAME TO warden_records");
        }
    }

    private void asOwner(String sql) throws Exception {
        try (java.sql.Connection connection = POSTGRES.connect(database, role);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aWrongPasswordFailsTheOpenWithoutShowingThePassword() {
        String wrong = "not-the-password-" + role.password();
        StoreLocation location = StoreLocation.parse("postgresql://" + POSTGRES.host() + ":" + POSTGRES.port() + "/"
                + database, Path.of("/nonexistent"), role.name(), wrong);

        assertThatThrownBy(() -> RecordStore.open(location).close())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(role.name())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong);
                    }
                });
        assertThat(location.toString()).doesNotContain(wrong);
    }

    private int terminateStoreConnections() throws SQLException {
        try (Connection connection = POSTGRES.superuserConnection("postgres");
                PreparedStatement terminate = connection.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE datname = ? AND application_name = ?")) {
            terminate.setString(1, database);
            terminate.setString(2, StoreConnector.APPLICATION_NAME);
            try (ResultSet rows = terminate.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private void superuser(String sql) throws SQLException {
        try (Connection connection = POSTGRES.superuserConnection("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
