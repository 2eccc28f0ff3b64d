package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.policy.Subject;
import dev.warden.store.RecordStore;
import dev.warden.store.StoreLocation;
import dev.warden.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web sessions kept in the store (V5) on both store kinds: found by the cookie on a second
 * {@link WebSessions} over the same store (as another node would), gone after logout and expiry,
 * bounded, and stored without anything that would let a reader of the table log in.
 */
class StoredWebSessionsTest {
    static final int CAPACITY = 3;

    abstract static class Suite {
        final TestWebSessions.MovableClock clock = new TestWebSessions.MovableClock();
        final Subject alice = new Subject("alice", Set.of("dbas", "auditors"), true);
        RecordStore store;

        abstract RecordStore open() throws Exception;

        /** The table's rows as text, every column, for looking for secrets. */
        abstract List<String> rawRows() throws Exception;

        WebSessions node() throws Exception {
            if (store == null) {
                store = open();
            }
            return new WebSessions(clock, new StoreWebSessionTable(store, CAPACITY));
        }

        @AfterEach
        void closeStore() {
            if (store != null) {
                store.close();
            }
        }

        @Test
        void aSessionOpenedOnOneNodeIsFoundOnAnotherUntilLogout() throws Exception {
            WebSessions nodeA = node();
            WebSessions nodeB = node();
            WebSessions.WebSession opened = nodeA.open(alice);
            assertThat(nodeB.find(opened.id())).contains(opened);
            nodeB.close(opened.id());
            assertThat(nodeA.find(opened.id())).isEmpty();
        }

        @Test
        void anExpiredSessionIsNotFoundAndIsPrunedByTheNextLogin() throws Exception {
            WebSessions sessions = node();
            WebSessions.WebSession opened = sessions.open(alice);
            clock.now = clock.now.plus(WebSessions.LIFETIME).minusSeconds(1);
            assertThat(sessions.find(opened.id())).isPresent();
            clock.now = clock.now.plusSeconds(1);
            assertThat(sessions.find(opened.id())).isEmpty();
            sessions.open(alice);
            assertThat(rawRows()).hasSize(1);
        }

        @Test
        void boundedTheOldestGoesWhenFull() throws Exception {
            WebSessions sessions = node();
            List<WebSessions.WebSession> opened = new ArrayList<>();
            for (int i = 0; i <= CAPACITY; i++) {
                opened.add(sessions.open(alice));
                clock.now = clock.now.plus(Duration.ofSeconds(1));
            }
            assertThat(rawRows()).hasSize(CAPACITY);
            assertThat(sessions.find(opened.get(0).id())).isEmpty();
            assertThat(sessions.find(opened.get(CAPACITY).id())).isPresent();
        }

        @Test
        void theStoreHoldsNeitherTheCookieNorTheCsrfToken() throws Exception {
            WebSessions.WebSession opened = node().open(alice);
            List<String> rows = rawRows();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).doesNotContain(opened.id()).doesNotContain(opened.csrfToken())
                    .contains(WebSessions.idHash(opened.id())).contains("alice");
        }
    }

    static List<String> rows(Connection connection) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM warden_web_sessions")) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                    row.append(result.getString(column)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Nested
    class OnSqlite extends Suite {
        @TempDir
        Path directory;

        @Override
        RecordStore open() throws Exception {
            return RecordStore.open(new StoreLocation.Sqlite(directory.resolve("warden.db")));
        }

        @Override
        List<String> rawRows() throws Exception {
            try (Connection connection = java.sql.DriverManager.getConnection(
                    "jdbc:sqlite:" + directory.resolve("warden.db"))) {
                return rows(connection);
            }
        }
    }

    @Nested
    class OnPostgres extends Suite {
        TestPostgres.StoreDatabase database;

        @Override
        RecordStore open() throws Exception {
            database = TestPostgres.shared().createStoreDatabase("web_sessions");
            return RecordStore.open(StoreLocation.parse(database.storeUrl(), Path.of("/nonexistent"), database.owner().name(),
                    database.owner().password()));
        }

        @Override
        List<String> rawRows() throws Exception {
            try (Connection connection = TestPostgres.shared().connect(database.name(), database.owner())) {
                return rows(connection);
            }
        }
    }
}
