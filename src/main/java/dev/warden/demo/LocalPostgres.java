package dev.warden.demo;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * A PostgreSQL server from the embedded binaries, listening on loopback TCP only, where every
 * connection, the superuser's included, must authenticate with SCRAM-SHA-256.
 *
 * <p>Used by {@code warden demo} and by the integration tests, so that the gateway always has to
 * perform a real upstream authentication rather than riding on {@code trust}.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final String SUPERUSER = "postgres";

    // Nothing but TCP from loopback, and only with SCRAM. Unix sockets are switched off in
    // postgresql.conf, so the "local" line is a second wall, not the first.
    private static final String PG_HBA = """
            # Written by Warden: SCRAM-SHA-256 for every connection, trust for none.
            local   all   all                 reject
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    private static final String SERVER_CONFIG = """

            # Added by Warden
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            password_encryption = 'scram-sha-256'
            """;

    private final Path directory;
    private final EmbeddedPostgres postgres;
    private final String superuserPassword;

    private LocalPostgres(Path directory, EmbeddedPostgres postgres, String superuserPassword) {
        this.directory = requireNonNull(directory, "directory is null");
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.superuserPassword = requireNonNull(superuserPassword, "superuserPassword is null");
    }

    /**
     * Initializes a fresh cluster in a new temporary directory and starts it.
     *
     * @param port the TCP port, or 0 for a free one
     */
    public static LocalPostgres start(int port) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        Path directory = Files.createTempDirectory("warden-postgres-");
        try {
            String superuserPassword = Passwords.generate();
            Path passwordFile = writeOwnerOnly(directory.resolve("superuser-password"), superuserPassword);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(true)
                    // initdb runs with "-A trust"; giving the superuser a password at initdb time
                    // lets pg_hba require SCRAM from the first connection on, with no trust window.
                    // zonky passes its "locale config" entries to initdb as --key=value.
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setDataDirectoryCustomizer(dataDirectory -> {
                        deletePasswordFile(passwordFile);
                        secure(dataDirectory);
                    })
                    // zonky's readiness probe connects as the superuser, so it needs the password too.
                    .setConnectConfig("password", superuserPassword);
            if (port != 0) {
                builder.setPort(port);
            }
            return new LocalPostgres(directory, builder.start(), superuserPassword);
        }
        catch (IOException | RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return postgres.getPort();
    }

    /** A URL without credentials; pass user and password as connection properties. */
    public String jdbcUrl(String database) {
        requireNonNull(database, "database is null");
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /**
     * A URL that carries the superuser's password. For tests only: anything that logs a JDBC URL
     * would log the password.
     */
    public String superuserJdbcUrl(String database) {
        return jdbcUrl(database) + "?user=" + SUPERUSER + "&password=" + superuserPassword;
    }

    public Connection superuserConnection(String database) throws SQLException {
        return connect(database, SUPERUSER, superuserPassword);
    }

    public Connection connect(String database, String user, String password) throws SQLException {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection connection = superuserConnection("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + identifier(connection, name));
        }
    }

    /**
     * Creates a login role. The SCRAM verifier is computed by pgJDBC on this side, so the password
     * itself never reaches the server, its statement log or {@code pg_stat_activity}.
     */
    public void createLoginRole(String name, String password) throws SQLException {
        requireNonNull(password, "password is null");
        try (Connection connection = superuserConnection("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + identifier(connection, name) + " LOGIN");
            connection.unwrap(PGConnection.class)
                    .alterUserPassword(name, password.toCharArray(), "scram-sha-256");
        }
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        }
        finally {
            deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + HOST + ":" + port() + "]";
    }

    private static String identifier(Connection connection, String name) throws SQLException {
        requireNonNull(name, "name is null");
        return connection.unwrap(PGConnection.class).escapeIdentifier(name);
    }

    private static void secure(File dataDirectory) {
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            Files.writeString(dataDirectory.toPath().resolve("postgresql.conf"), SERVER_CONFIG,
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not configure " + dataDirectory, e);
        }
    }

    private static Path writeOwnerOnly(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void deletePasswordFile(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not delete " + file, e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
