package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The vendor-specific part of the store: how to migrate the schema and how to open a connection
 * with the durability the store promises. Everything else is portable SQL in {@link JdbcRecordStore}.
 */
abstract class StoreConnector {
    static final String SCHEMA_HISTORY_TABLE = "warden_schema_history";
    /** Shown in pg_stat_activity, so an operator can tell the store's connections from the gateway's upstream ones. */
    static final String APPLICATION_NAME = "warden-store";

    static StoreConnector of(StoreLocation location) {
        requireNonNull(location, "location is null");
        if (location instanceof StoreLocation.Sqlite sqlite) {
            return new SqliteConnector(sqlite);
        }
        return new PostgresConnector((StoreLocation.Postgres) location);
    }

    /** A connection for writing: auto-commit off, durable commits. */
    abstract Connection openWriter() throws SQLException;

    /** A connection for reading: auto-commit on. */
    abstract Connection openReader() throws SQLException;

    /** Creates or upgrades the schema. */
    abstract void migrate() throws StoreException;

    /** Where the store is, for messages: never a credential. */
    abstract String describe();

    /** Whether the failure is the connection's (dropped, terminated), so a fresh connection may succeed. */
    abstract boolean isConnectionLost(SQLException e);

    /** Whether nodes sharing this store can wake each other (LISTEN/NOTIFY). */
    boolean supportsNotifications() {
        return false;
    }

    final void migrate(String url, String user, String password) throws StoreException {
        try {
            Flyway.configure(StoreConnector.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration")
                    .table(SCHEMA_HISTORY_TABLE)
                    .load()
                    .migrate();
        }
        catch (FlywayException e) {
            throw new StoreException("could not migrate the record store at " + describe() + ": " + e.getMessage(), e);
        }
    }

    private static final class SqliteConnector extends StoreConnector {
        private final StoreLocation.Sqlite location;

        SqliteConnector(StoreLocation.Sqlite location) {
            this.location = location;
        }

        @Override
        Connection openWriter() throws SQLException {
            Connection connection = open();
            connection.setAutoCommit(false);
            return connection;
        }

        @Override
        Connection openReader() throws SQLException {
            return open();
        }

        private Connection open() throws SQLException {
            Connection connection = DriverManager.getConnection(location.jdbcUrl());
            try (Statement statement = connection.createStatement()) {
                // WAL lets readers run beside the writer; FULL (the default) syncs the WAL on every
                // commit, so a committed statement record survives a power loss, not only a process
                // crash; NORMAL, when chosen, survives the latter only.
                try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode=WAL")) {
                    if (!mode.next() || !"wal".equals(mode.getString(1).toLowerCase(Locale.ROOT))) {
                        throw new SQLException("SQLite refused WAL mode for " + location.file());
                    }
                }
                statement.execute(location.syncEveryCommit() ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=" + location.busyTimeout().toMillis());
                // The writer touches the same hot index pages in every commit: with SQLite's default
                // 2 MiB cache it read them back from the file thousands of times a second. And a
                // checkpoint every 1000 WAL pages (the default) meant one every ~50 ms under load,
                // each with its fsyncs; 10000 pages (~40 MiB of WAL) copies each hot page back once
                // per many more commits. Measured: preads -86%, checkpoint fsyncs -93% (BENCHMARKS.md).
                statement.execute("PRAGMA cache_size=-32768");
                statement.execute("PRAGMA wal_autocheckpoint=10000");
            }
            catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        }

        @Override
        void migrate() throws StoreException {
            try {
                if (location.file().getParent() != null) {
                    Files.createDirectories(location.file().getParent());
                }
            }
            catch (IOException e) {
                throw new StoreException("could not create the directory of the record store " + describe(), e);
            }
            migrate(location.jdbcUrl(), null, null);
        }

        @Override
        String describe() {
            return "sqlite:" + location.file();
        }

        @Override
        boolean isConnectionLost(SQLException e) {
            // An SQLite connection is a file handle: nothing to reconnect to.
            return false;
        }
    }

    private static final class PostgresConnector extends StoreConnector {
        private final StoreLocation.Postgres location;

        PostgresConnector(StoreLocation.Postgres location) {
            this.location = location;
        }

        @Override
        Connection openWriter() throws SQLException {
            Connection connection = open();
            try (Statement statement = connection.createStatement()) {
                // Whatever the server, database or role default: a commit returns only once durable.
                statement.execute("SET synchronous_commit = on");
            }
            catch (SQLException e) {
                connection.close();
                throw e;
            }
            connection.setAutoCommit(false);
            return connection;
        }

        @Override
        Connection openReader() throws SQLException {
            Connection connection = open();
            connection.setReadOnly(true);
            return connection;
        }

        private Connection open() throws SQLException {
            return DriverManager.getConnection(location.jdbcUrl(), properties());
        }

        private Properties properties() {
            Properties properties = new Properties();
            properties.setProperty("user", location.user());
            location.password().ifPresent(password -> properties.setProperty("password", password));
            properties.setProperty("ApplicationName", APPLICATION_NAME);
            properties.setProperty("tcpKeepAlive", "true");
            // Bounded waits: a store that stops answering fails the append (and so the statement)
            // instead of holding the writer, and with it every session, forever.
            properties.setProperty("connectTimeout", location.parameters().getOrDefault("connectTimeout", "10"));
            properties.setProperty("socketTimeout", location.parameters().getOrDefault("socketTimeout", "30"));
            return properties;
        }

        @Override
        void migrate() throws StoreException {
            migrate(location.jdbcUrl(), location.user(), location.password().orElse(null));
        }

        @Override
        String describe() {
            return location.jdbcUrl() + " as " + location.user();
        }

        @Override
        boolean supportsNotifications() {
            return true;
        }

        @Override
        boolean isConnectionLost(SQLException e) {
            String state = e.getSQLState();
            // 08: connection exception; 57P01..57P03: the server is shutting down or terminated us.
            return state != null && (state.startsWith("08") || state.startsWith("57P"));
        }
    }
}
