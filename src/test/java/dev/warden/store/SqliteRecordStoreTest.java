package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.recording.ChainedRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRecordStoreTest extends RecordStoreTestBase {
    @TempDir
    Path directory;

    private Connection locker;

    @Override
    protected RecordStore openStore() throws Exception {
        return RecordStore.open(location());
    }

    @Override
    protected RecordStore reopenStore() throws Exception {
        return RecordStore.open(location());
    }

    private StoreLocation.Sqlite location() {
        // A short busy timeout so the failure test does not wait the default five seconds.
        return new StoreLocation.Sqlite(directory.resolve("data/warden.db"), Duration.ofMillis(200));
    }

    /**
     * Another connection takes the database's write lock and keeps it: the store's next commit
     * fails with SQLITE_BUSY once its busy timeout passes. (Making the file read-only does not work
     * when the tests run as root, which ignores file modes.)
     */
    @Override
    protected void makeUnwritable() throws Exception {
        locker = DriverManager.getConnection(location().jdbcUrl());
        try (Statement statement = locker.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
        }
    }

    @Override
    protected void makeWritableAgain() throws Exception {
        if (locker != null) {
            try (Statement statement = locker.createStatement()) {
                statement.execute("ROLLBACK");
            }
            locker.close();
            locker = null;
        }
    }

    @Test
    void theDatabaseFileIsInWriteAheadLogMode() throws Exception {
        store.append(List.of(new TestingSession("s-1", 1_000_000).start("alice", "prod")));

        try (Connection connection = DriverManager.getConnection(location().jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void theWriterConnectionSyncsEveryCommit() throws Exception {
        try (Connection writer = StoreConnector.of(location()).openWriter();
                Statement statement = writer.createStatement();
                ResultSet setting = statement.executeQuery("PRAGMA synchronous")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getInt(1)).as("2 = FULL").isEqualTo(2);
            assertThat(writer.getAutoCommit()).isFalse();
        }
    }

    @Test
    void theSchemaHistoryHasOneVersionedMigration() throws Exception {
        try (Connection connection = DriverManager.getConnection(location().jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT version, success FROM " + StoreConnector.SCHEMA_HISTORY_TABLE + " ORDER BY installed_rank")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("1");
            assertThat(rows.getBoolean(2)).isTrue();
        }
    }

    @Test
    void upgradingAStoreKeepsTheStatementCountsItHad() throws Exception {
        store.close();
        Path old = directory.resolve("old/warden.db");
        Files.createDirectories(old.getParent());
        StoreLocation.Sqlite location = new StoreLocation.Sqlite(old, Duration.ofMillis(200));
        // A store as the previous version left it: schema version 5, counters kept by every commit.
        Flyway.configure(StoreConnector.class.getClassLoader()).dataSource(location.jdbcUrl(), null, null)
                .locations("classpath:db/migration").table(StoreConnector.SCHEMA_HISTORY_TABLE).target("5").load()
                .migrate();
        TestingSession session = new TestingSession("s-old", 1_000_000);
        List<ChainedRecord> records = List.of(session.start("alice", "prod"),
                session.statement("SELECT 1", "allow"), session.statement("DROP TABLE t", "deny"));
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO warden_sessions (id, identity, target, started_micros, statements, refused)"
                    + " VALUES ('s-old', 'alice', 'prod', 1000000, 2, 1)");
            for (ChainedRecord record : records) {
                statement.execute("INSERT INTO warden_records VALUES ('s-old', " + record.seq() + ", " + record.atMicros()
                        + ", '" + record.kind() + "', '" + record.body().replace("'", "''") + "', '" + record.previousHash()
                        + "', '" + record.hash() + "')");
            }
        }

        store = RecordStore.open(location);

        SessionSummary upgraded = store.session("s-old").orElseThrow();
        assertThat(upgraded.statements()).isEqualTo(2);
        assertThat(upgraded.refused()).isEqualTo(1);
        store.append(List.of(session.statement("SELECT 2", "allow")));
        assertThat(store.session("s-old").orElseThrow().statements()).isEqualTo(3);
    }
}
