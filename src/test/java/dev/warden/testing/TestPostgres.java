package dev.warden.testing;

import static java.util.Objects.requireNonNull;

import dev.warden.demo.LocalPostgres;
import dev.warden.demo.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server shared by every integration test in this JVM: started on first use,
 * stopped when the JVM exits. Starting a cluster costs about a second, a database a few
 * milliseconds, so each test class takes a fresh database and roles of its own instead.
 *
 * <p>Like the demo database it requires SCRAM-SHA-256 for every connection, so the gateway under
 * test performs a real upstream authentication.
 */
public final class TestPostgres {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final LocalPostgres server;

    private TestPostgres(LocalPostgres server) {
        this.server = requireNonNull(server, "server is null");
    }

    /** The shared server, started on the first call. */
    public static TestPostgres shared() {
        return Holder.INSTANCE;
    }

    // The holder idiom makes the start lazy and thread-safe without locking on every call.
    private static final class Holder {
        private static final TestPostgres INSTANCE = startShared();

        private static TestPostgres startShared() {
            try {
                LocalPostgres server = LocalPostgres.start(0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, "test-postgres-stop"));
                return new TestPostgres(server);
            }
            catch (IOException e) {
                throw new UncheckedIOException("could not start the test PostgreSQL", e);
            }
        }
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** A URL without credentials. */
    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    public Connection superuserConnection(String database) throws SQLException {
        return server.superuserConnection(database);
    }

    public Connection connect(String database, TestRole role) throws SQLException {
        requireNonNull(role, "role is null");
        return server.connect(database, role.name(), role.password());
    }

    /** Creates an empty database owned by the superuser and returns its name, {@code prefix_N}. */
    public String createDatabase(String prefix) throws SQLException {
        String name = uniqueName(prefix);
        server.createDatabase(name);
        return name;
    }

    /**
     * Creates a login role with a random password, stored as a SCRAM verifier: the kind of
     * credential the gateway holds for its upstream connection. It has no privileges yet; grant
     * them through {@link #superuserConnection(String)}.
     */
    public TestRole createRole(String prefix) throws SQLException {
        TestRole role = new TestRole(uniqueName(prefix), Passwords.generate());
        server.createLoginRole(role.name(), role.password());
        return role;
    }

    /**
     * Creates a database owned, with its public schema, by a new login role: what a gateway's
     * PostgreSQL record store needs (Flyway creates the tables as that role).
     */
    public StoreDatabase createStoreDatabase(String prefix) throws SQLException {
        String database = createDatabase(prefix);
        TestRole owner = createRole(prefix + "_owner");
        try (Connection admin = superuserConnection(database); var statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + database + " OWNER TO " + owner.name());
            statement.execute("ALTER SCHEMA public OWNER TO " + owner.name());
        }
        return new StoreDatabase(database, owner, "postgresql://" + host() + ":" + port() + "/" + database);
    }

    /** A database for a record store, its owner, and the store location a gateway is given ({@code recording.store}). */
    public record StoreDatabase(String name, TestRole owner, String storeUrl) {}

    private static String uniqueName(String prefix) {
        requireNonNull(prefix, "prefix is null");
        if (!prefix.matches("[A-Za-z][A-Za-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("prefix must be a plain identifier of at most 41 characters: " + prefix);
        }
        return prefix.toLowerCase(Locale.ROOT) + "_" + SEQUENCE.incrementAndGet();
    }

    /** A login role and its password. */
    public record TestRole(String name, String password) {
        public TestRole {
            requireNonNull(name, "name is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "TestRole[" + name + "]";
        }
    }
}
