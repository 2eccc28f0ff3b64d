package dev.warden.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A SELECT over {@code warden_sessions} built from a {@link SessionQuery}: placeholders only, never spliced values. */
final class SessionSql {
    /**
     * The stored counter covers the records up to counted_seq; the writer catches it up only every
     * second or so (see {@link CounterCatchUps}), so the STATEMENT records after it are counted here: a
     * short range of the primary key, empty once the session has ended.
     */
    private static final String COLUMNS = "SELECT id, identity, target, client_address, application_name, auth_method,"
            + " started_micros, ended_micros, end_reason, statements + (SELECT count(*) FROM warden_records r"
            + " WHERE r.session_id = warden_sessions.id AND r.seq > warden_sessions.counted_seq AND r.kind = 'STATEMENT'),"
            + " refused FROM warden_sessions";

    private final String sql;
    private final List<Object> parameters;

    private SessionSql(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    static SessionSql byId(String id) {
        return new SessionSql(COLUMNS + " WHERE id = ?", List.of(id));
    }

    static SessionSql list(SessionQuery query) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        query.identity().ifPresent(identity -> {
            conditions.add("identity = ?");
            parameters.add(identity);
        });
        query.target().ifPresent(target -> {
            conditions.add("target = ?");
            parameters.add(target);
        });
        query.untilMicros().ifPresent(until -> {
            conditions.add("started_micros < ?");
            parameters.add(until);
        });
        query.sinceMicros().ifPresent(since -> {
            conditions.add("(ended_micros IS NULL OR ended_micros >= ?)");
            parameters.add(since);
        });
        query.status().ifPresent(status -> conditions.add(switch (status) {
            case ACTIVE -> "ended_micros IS NULL";
            case ENDED -> "ended_micros IS NOT NULL";
        }));
        if (query.onlyWithRefusals()) {
            conditions.add("refused > 0");
        }
        StringBuilder sql = new StringBuilder(COLUMNS);
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(" ORDER BY started_micros DESC, id DESC LIMIT ?");
        parameters.add(query.limit());
        return new SessionSql(sql.toString(), parameters);
    }

    List<SessionSummary> run(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<SessionSummary> sessions = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sessions.add(summary(rows));
                }
            }
            return sessions;
        }
    }

    private static SessionSummary summary(ResultSet rows) throws SQLException {
        long ended = rows.getLong(8);
        OptionalLong endedMicros = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(ended);
        return new SessionSummary(rows.getString(1), rows.getString(2), rows.getString(3),
                Optional.ofNullable(rows.getString(4)), Optional.ofNullable(rows.getString(5)),
                Optional.ofNullable(rows.getString(6)), rows.getLong(7), endedMicros,
                Optional.ofNullable(rows.getString(9)), rows.getLong(10), rows.getLong(11));
    }
}
