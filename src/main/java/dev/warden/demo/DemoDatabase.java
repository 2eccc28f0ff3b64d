package dev.warden.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL behind {@code warden demo}: a local server holding the {@code shop} database with
 * fake personal data, and two login roles for the gateway to hold, {@code warden_ro} (read) and
 * {@code warden_rw} (read and write). Every connection must authenticate with SCRAM-SHA-256.
 *
 * <p>The passwords are random per start and live only in this object.
 */
public final class DemoDatabase implements AutoCloseable {
    public static final String DATABASE = "shop";
    public static final String READ_ONLY_ROLE = "warden_ro";
    public static final String READ_WRITE_ROLE = "warden_rw";

    private static final String SCHEMA_RESOURCE = "/demo/shop.sql";

    // PUBLIC may connect to any new database by default; here only the two roles may.
    private static final String GRANTS = """
            REVOKE ALL ON DATABASE shop FROM PUBLIC;
            GRANT CONNECT ON DATABASE shop TO warden_ro, warden_rw;
            GRANT USAGE ON SCHEMA public TO warden_ro, warden_rw;
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO warden_ro;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO warden_rw;
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO warden_rw;
            """;

    private final LocalPostgres postgres;
    private final String readOnlyPassword;
    private final String readWritePassword;

    private DemoDatabase(LocalPostgres postgres, String readOnlyPassword, String readWritePassword) {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.readOnlyPassword = requireNonNull(readOnlyPassword, "readOnlyPassword is null");
        this.readWritePassword = requireNonNull(readWritePassword, "readWritePassword is null");
    }

    /** Starts on a free port. */
    public static DemoDatabase start() throws IOException, SQLException {
        return start(0);
    }

    /** @param port the TCP port, or 0 for a free one */
    public static DemoDatabase start(int port) throws IOException, SQLException {
        LocalPostgres postgres = LocalPostgres.start(port);
        try {
            DemoDatabase demo = new DemoDatabase(postgres, Passwords.generate(), Passwords.generate());
            demo.load();
            return demo;
        }
        catch (SQLException | RuntimeException e) {
            try {
                postgres.close();
            }
            catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void load() throws SQLException {
        postgres.createLoginRole(READ_ONLY_ROLE, readOnlyPassword);
        postgres.createLoginRole(READ_WRITE_ROLE, readWritePassword);
        postgres.createDatabase(DATABASE);
        try (Connection connection = postgres.superuserConnection(DATABASE);
                Statement statement = connection.createStatement()) {
            statement.execute(schema());
            statement.execute(GRANTS);
        }
    }

    private static String schema() {
        try (InputStream in = DemoDatabase.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource not found: " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not read " + SCHEMA_RESOURCE, e);
        }
    }

    public String host() {
        return postgres.host();
    }

    public int port() {
        return postgres.port();
    }

    public String database() {
        return DATABASE;
    }

    public String readOnlyUser() {
        return READ_ONLY_ROLE;
    }

    public String readOnlyPassword() {
        return readOnlyPassword;
    }

    public String readWriteUser() {
        return READ_WRITE_ROLE;
    }

    public String readWritePassword() {
        return readWritePassword;
    }

    /** A URL without credentials, for the demo roles. */
    public String jdbcUrl() {
        return postgres.jdbcUrl(DATABASE);
    }

    /** Opens a connection to {@code shop} as the given role. */
    public Connection connect(String user, String password) throws SQLException {
        return postgres.connect(DATABASE, user, password);
    }

    /** For tests: carries the superuser's password, so never log it. */
    public String superuserJdbcUrl() {
        return postgres.superuserJdbcUrl(DATABASE);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    @Override
    public String toString() {
        return "DemoDatabase[" + host() + ":" + port() + "/" + DATABASE + "]";
    }
}
