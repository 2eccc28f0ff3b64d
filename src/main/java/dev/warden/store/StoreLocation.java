package dev.warden.store;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where records are kept: {@code sqlite:warden.db} (a file, relative to the data directory unless
 * absolute) or {@code postgresql://host:port/database} with a user and a password the caller has
 * already resolved from its reference. The password is never part of a message or a {@code toString}.
 */
public sealed interface StoreLocation {

    /** How long an SQLite writer waits for a lock held by another connection before failing. */
    Duration DEFAULT_SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** Connection parameters that may follow {@code ?} in a PostgreSQL location: TLS and timeouts only. */
    Set<String> POSTGRES_PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "connectTimeout",
            "socketTimeout");

    /**
     * Parses a store setting.
     *
     * @param user for PostgreSQL; ignored for SQLite
     * @param password for PostgreSQL, already resolved; may be null when the server needs none
     */
    static StoreLocation parse(String spec, Path dataDirectory, String user, String password) {
        requireNonNull(spec, "spec is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        if (spec.startsWith("sqlite:")) {
            String file = spec.substring("sqlite:".length());
            boolean syncEveryCommit = true;
            int query = file.indexOf('?');
            if (query >= 0) {
                String option = file.substring(query + 1);
                file = file.substring(0, query);
                if (option.equalsIgnoreCase("synchronous=normal")) {
                    syncEveryCommit = false;
                } else if (!option.equalsIgnoreCase("synchronous=full")) {
                    throw new IllegalArgumentException(
                            "an sqlite: store takes one option, synchronous=full (the default) or synchronous=normal");
                }
            }
            if (file.isBlank()) {
                throw new IllegalArgumentException("store location sqlite: needs a file name, e.g. sqlite:warden.db");
            }
            return new Sqlite(dataDirectory.resolve(file).toAbsolutePath().normalize(), DEFAULT_SQLITE_BUSY_TIMEOUT,
                    syncEveryCommit);
        }
        if (spec.startsWith("postgresql://") || spec.startsWith("postgres://")) {
            return Postgres.parse(spec, user, password);
        }
        throw new IllegalArgumentException(
                "store location must be sqlite:FILE or postgresql://HOST:PORT/DATABASE, not " + redactedScheme(spec));
    }

    private static String redactedScheme(String spec) {
        // The spec could be a mistyped URL carrying a password; show only what precedes "://".
        int scheme = spec.indexOf("://");
        return scheme < 0 ? "'" + (spec.length() > 40 ? spec.substring(0, 40) + "...'" : spec + "'")
                : "a " + spec.substring(0, scheme) + ":// location";
    }

    /** An SQLite database file. */
    /**
     * @param syncEveryCommit {@code synchronous=FULL}: every commit is fsync'd, so a committed record
     *     survives a power loss; false is {@code synchronous=NORMAL}: commits survive a crash of the
     *     gateway process, not of the machine, and cost no fsync each
     */
    record Sqlite(Path file, Duration busyTimeout, boolean syncEveryCommit) implements StoreLocation {
        public Sqlite {
            requireNonNull(file, "file is null");
            requireNonNull(busyTimeout, "busyTimeout is null");
        }

        public Sqlite(Path file, Duration busyTimeout) {
            this(file, busyTimeout, true);
        }

        public Sqlite(Path file) {
            this(file, DEFAULT_SQLITE_BUSY_TIMEOUT);
        }

        public String jdbcUrl() {
            return "jdbc:sqlite:" + file;
        }
    }

    /** A PostgreSQL database, shared by every gateway node that records into it. */
    record Postgres(String host, int port, String database, String user, Optional<String> password,
            Map<String, String> parameters) implements StoreLocation {

        public Postgres {
            requireNonNull(host, "host is null");
            requireNonNull(database, "database is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
            }
            for (String name : parameters.keySet()) {
                if (!POSTGRES_PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("store location parameter '" + name
                            + "' is not supported; allowed: " + POSTGRES_PARAMETERS);
                }
            }
        }

        static Postgres parse(String spec, String user, String password) {
            URI uri;
            try {
                uri = new URI(spec);
            }
            catch (URISyntaxException e) {
                throw new IllegalArgumentException("store location is not a valid postgresql:// URL"
                        + " (the text is not repeated here in case it holds a password)");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("store location must not carry credentials;"
                        + " give the user in store.user and the password by reference (env:NAME, file:/path)");
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new IllegalArgumentException("store location must be postgresql://HOST[:PORT]/DATABASE");
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a postgresql:// store needs a user");
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            if (uri.getQuery() != null) {
                for (String pair : uri.getQuery().split("&")) {
                    int equals = pair.indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException("store location parameters must be NAME=VALUE");
                    }
                    parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            return new Postgres(host, uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1), user,
                    Optional.ofNullable(password), parameters);
        }

        /** The JDBC URL without credentials: safe to log. */
        public String jdbcUrl() {
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hostPart).append(':').append(port)
                    .append('/').append(database);
            char separator = '?';
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                url.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
                separator = '&';
            }
            return url.toString();
        }

        @Override
        public String toString() {
            return "Postgres[" + jdbcUrl() + ", user=" + user + ", password=" + (password.isPresent() ? "***" : "none")
                    + "]";
        }
    }
}
