package dev.warden.store;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceToken;
import dev.warden.identity.UpstreamAccess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The service tokens table of the store ({@code V3__service_tokens.sql}). Each call opens its own
 * connection: logins, revocation checks and CLI commands are rare next to statement appends, and a
 * fresh connection is also how a call recovers after the store was down. Blocking; never call it from
 * an event loop.
 */
public final class ServiceTokenStore {
    private static final String COLUMNS = "id, name, verifier, targets, groups_list, access, created_micros,"
            + " expires_micros, revoked_micros";
    private static final String INSERT = "INSERT INTO warden_service_tokens (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)";
    private static final String USABLE_BY_NAME = "SELECT " + COLUMNS + " FROM warden_service_tokens"
            + " WHERE name = ? AND revoked_micros IS NULL AND expires_micros > ? ORDER BY created_micros DESC";
    private static final String ALL = "SELECT " + COLUMNS + " FROM warden_service_tokens ORDER BY created_micros";
    private static final String REVOKE = "UPDATE warden_service_tokens SET revoked_micros = ?"
            + " WHERE (name = ? OR id = ?) AND revoked_micros IS NULL";
    /** Bind variables per IN list: far below SQLite's 32766 and PostgreSQL's 65535. */
    private static final int IN_CHUNK = 500;

    private final StoreConnector connector;

    private ServiceTokenStore(StoreConnector connector) {
        this.connector = connector;
    }

    /** Opens the store at {@code location}, creating or migrating its schema first. */
    public static ServiceTokenStore open(StoreLocation location) throws StoreException {
        StoreConnector connector = StoreConnector.of(requireNonNull(location, "location is null"));
        connector.migrate();
        return new ServiceTokenStore(connector);
    }

    /**
     * Stores a new token. A name has at most one usable token, so that a login knows which verifier
     * to run SCRAM against; a second one is refused until the first is revoked or has expired.
     */
    public void create(ServiceToken token) throws StoreException {
        requireNonNull(token, "token is null");
        try (Connection connection = connector.openWriter()) {
            try {
                if (!usable(connection, token.name(), token.createdAt()).isEmpty()) {
                    throw StoreException.rejected("identity " + token.name()
                            + " already has a usable service token; revoke it first (warden token revoke "
                            + token.name() + ")");
                }
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, token.id());
                    insert.setString(2, token.name());
                    insert.setString(3, token.verifier().encode());
                    insert.setString(4, String.join("\n", token.targets()));
                    insert.setString(5, String.join("\n", token.groups()));
                    insert.setString(6, token.access().configName());
                    insert.setLong(7, micros(token.createdAt()));
                    insert.setLong(8, micros(token.expiresAt()));
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | StoreException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("store a service token", e);
        }
    }

    /** The token a login as {@code name} is checked against at {@code now}, if there is one. */
    public Optional<ServiceToken> findUsable(String name, Instant now) throws StoreException {
        requireNonNull(name, "name is null");
        try (Connection connection = connector.openReader()) {
            List<ServiceToken> tokens = usable(connection, name, now);
            return tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.get(0));
        } catch (SQLException e) {
            throw failure("look up a service token", e);
        }
    }

    /** Every token ever issued, revoked and expired ones included, oldest first. */
    public List<ServiceToken> list() throws StoreException {
        try (Connection connection = connector.openReader();
                PreparedStatement select = connection.prepareStatement(ALL);
                ResultSet rows = select.executeQuery()) {
            List<ServiceToken> tokens = new ArrayList<>();
            while (rows.next()) {
                tokens.add(read(rows));
            }
            return tokens;
        } catch (SQLException e) {
            throw failure("list service tokens", e);
        }
    }

    /**
     * Revokes the unrevoked tokens whose name or id is {@code nameOrId}.
     *
     * @return how many were revoked (0 if none matched)
     */
    public int revoke(String nameOrId, Instant now) throws StoreException {
        requireNonNull(nameOrId, "nameOrId is null");
        try (Connection connection = connector.openWriter()) {
            try (PreparedStatement update = connection.prepareStatement(REVOKE)) {
                update.setLong(1, micros(now));
                update.setString(2, nameOrId);
                update.setString(3, nameOrId);
                int revoked = update.executeUpdate();
                connection.commit();
                return revoked;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("revoke a service token", e);
        }
    }

    /** Those of {@code ids} that are revoked, expired at {@code now} or gone: their sessions should end. */
    public Set<String> unusableAmong(Collection<String> ids, Instant now) throws StoreException {
        requireNonNull(ids, "ids is null");
        Set<String> unusable = new HashSet<>(ids);
        List<String> all = new ArrayList<>(ids);
        try (Connection connection = connector.openReader()) {
            for (int start = 0; start < all.size(); start += IN_CHUNK) {
                List<String> chunk = all.subList(start, Math.min(all.size(), start + IN_CHUNK));
                String sql = "SELECT id FROM warden_service_tokens WHERE revoked_micros IS NULL AND expires_micros > ?"
                        + " AND id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setLong(1, micros(now));
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            unusable.remove(rows.getString(1));
                        }
                    }
                }
            }
            return unusable;
        } catch (SQLException e) {
            throw failure("check service tokens", e);
        }
    }

    private static List<ServiceToken> usable(Connection connection, String name, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(USABLE_BY_NAME)) {
            select.setString(1, name);
            select.setLong(2, micros(now));
            try (ResultSet rows = select.executeQuery()) {
                List<ServiceToken> tokens = new ArrayList<>();
                while (rows.next()) {
                    tokens.add(read(rows));
                }
                return tokens;
            }
        }
    }

    private static ServiceToken read(ResultSet rows) throws SQLException {
        long revoked = rows.getLong("revoked_micros");
        Optional<Instant> revokedAt = rows.wasNull() ? Optional.empty() : Optional.of(instant(revoked));
        UpstreamAccess access = UpstreamAccess.fromConfigName(rows.getString("access"))
                .orElseThrow(() -> new SQLException("unknown access in warden_service_tokens"));
        ScramVerifier verifier;
        try {
            verifier = ScramVerifier.parse(rows.getString("verifier"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("invalid verifier in warden_service_tokens: " + e.getMessage());
        }
        return new ServiceToken(rows.getString("id"), rows.getString("name"), verifier, lines(rows.getString("targets")),
                lines(rows.getString("groups_list")), access, instant(rows.getLong("created_micros")),
                instant(rows.getLong("expires_micros")), revokedAt);
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("could not " + what + " in " + connector.describe() + ": " + e.getMessage(), e);
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
    }
}
