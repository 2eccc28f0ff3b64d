package dev.warden.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The statements over {@code warden_web_sessions} ({@code V5__web_sessions.sql}), each on a connection the caller holds. */
final class WebSessionSql {
    private static final String INSERT = "INSERT INTO warden_web_sessions (id_hash, identity, groups_list, read_only,"
            + " created_micros, expires_micros) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO NOTHING";
    private static final String DELETE_EXPIRED = "DELETE FROM warden_web_sessions WHERE expires_micros <= ?";
    private static final String COUNT = "SELECT count(*) FROM warden_web_sessions";
    private static final String DELETE_OLDEST = "DELETE FROM warden_web_sessions WHERE id_hash IN"
            + " (SELECT id_hash FROM warden_web_sessions ORDER BY expires_micros, id_hash LIMIT ?)";
    private static final String SELECT_LIVE = "SELECT id_hash, identity, groups_list, read_only, created_micros,"
            + " expires_micros FROM warden_web_sessions WHERE id_hash = ? AND expires_micros > ?";
    private static final String DELETE = "DELETE FROM warden_web_sessions WHERE id_hash = ?";

    private WebSessionSql() {}

    /** Prunes expired sessions, then the oldest beyond {@code keepAtMost - 1}, then inserts {@code session}. */
    static void save(Connection connection, StoredWebSession session, int keepAtMost) throws SQLException {
        try (PreparedStatement expired = connection.prepareStatement(DELETE_EXPIRED)) {
            expired.setLong(1, session.createdMicros());
            expired.executeUpdate();
        }
        long count;
        try (PreparedStatement select = connection.prepareStatement(COUNT); ResultSet rows = select.executeQuery()) {
            rows.next();
            count = rows.getLong(1);
        }
        if (count >= keepAtMost) {
            try (PreparedStatement oldest = connection.prepareStatement(DELETE_OLDEST)) {
                oldest.setLong(1, count - keepAtMost + 1);
                oldest.executeUpdate();
            }
        }
        // DO NOTHING: a retry after a commit lost with its connection finds the row already there.
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, session.idHash());
            insert.setString(2, session.identity());
            insert.setString(3, String.join("\n", session.groups()));
            insert.setInt(4, session.readOnly() ? 1 : 0);
            insert.setLong(5, session.createdMicros());
            insert.setLong(6, session.expiresMicros());
            insert.executeUpdate();
        }
    }

    static Optional<StoredWebSession> findLive(Connection connection, String idHash, long nowMicros) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_LIVE)) {
            select.setString(1, idHash);
            select.setLong(2, nowMicros);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String groups = rows.getString(3);
                List<String> names = groups.isEmpty() ? List.of() : Arrays.asList(groups.split("\n"));
                return Optional.of(new StoredWebSession(rows.getString(1), rows.getString(2), names, rows.getInt(4) == 1,
                        rows.getLong(5), rows.getLong(6)));
            }
        }
    }

    static void delete(Connection connection, String idHash) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, idHash);
            delete.executeUpdate();
        }
    }
}
