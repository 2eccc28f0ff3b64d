package dev.warden.store;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The record store over JDBC, for SQLite and PostgreSQL alike: portable SQL here, vendor detail in
 * {@link StoreConnector}. One connection writes (appends and pruning, serialised), another reads,
 * so listing sessions never waits behind a commit. A connection that fails is discarded and the
 * next call opens a fresh one: that is how the store recovers once the database is back.
 */
final class JdbcRecordStore implements RecordStore {
    private static final String INSERT_RECORD = "INSERT INTO warden_records"
            + " (session_id, seq, at_micros, kind, body, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (session_id, seq) DO NOTHING";
    private static final String STORED_HASH = "SELECT hash FROM warden_records WHERE session_id = ? AND seq = ?";
    private static final String INSERT_SESSION = "INSERT INTO warden_sessions"
            + " (id, identity, target, client_address, application_name, auth_method, started_micros)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    /** Adds the STATEMENT records in (counted_seq, head] to the counter and moves counted_seq to head. */
    private static final String CATCH_UP_STATEMENTS = "UPDATE warden_sessions SET statements = statements"
            + " + (SELECT count(*) FROM warden_records r WHERE r.session_id = ? AND r.seq > warden_sessions.counted_seq"
            + " AND r.seq <= ? AND r.kind = 'STATEMENT'), counted_seq = ? WHERE id = ? AND counted_seq < ?";
    private static final String COUNT_REFUSED = "UPDATE warden_sessions SET refused = refused + ? WHERE id = ?";
    private static final String END_SESSION = "UPDATE warden_sessions SET ended_micros = ?, end_reason = ? WHERE id = ?";
    private static final String SELECT_RECORDS = "SELECT session_id, seq, at_micros, kind, body, previous_hash, hash"
            + " FROM warden_records WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    private static final String PRUNABLE = "SELECT id FROM warden_sessions"
            + " WHERE ended_micros IS NOT NULL AND ended_micros < ? ORDER BY ended_micros LIMIT ?";
    /** Sessions deleted per transaction, so pruning never holds the write lock for long. */
    private static final int PRUNE_CHUNK = 200;
    static final int MAX_RECORDS_PER_READ = 10_000;

    private final StoreConnector connector;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private Connection writer;
    /**
     * The append path's statements, prepared once per writer connection: preparing them again for every
     * group commit was a tenth of the writer's time.
     */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final CounterCatchUps catchUps = new CounterCatchUps(CounterCatchUps.DEFAULT_INTERVAL_NANOS,
            CounterCatchUps.DEFAULT_MAX_SESSIONS);
    private Connection reader;
    private volatile boolean closed;

    private JdbcRecordStore(StoreConnector connector) {
        this.connector = requireNonNull(connector, "connector is null");
    }

    static JdbcRecordStore open(StoreLocation location) throws StoreException {
        StoreConnector connector = StoreConnector.of(location);
        connector.migrate();
        return new JdbcRecordStore(connector);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException, StoreException;
    }

    @Override
    public void append(List<ChainedRecord> batch) throws StoreException {
        requireNonNull(batch, "batch is null");
        if (batch.isEmpty()) {
            return;
        }
        write("append " + batch.size() + " records", connection -> {
            List<ChainedRecord> inserted = insertRecords(connection, writerStatement(connection, INSERT_RECORD), batch);
            applySessionChanges(connection, SessionChanges.of(inserted));
            return null;
        });
    }

    /** A statement of the append path on the writer connection, prepared at its first use. */
    private PreparedStatement writerStatement(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = writerStatements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            writerStatements.put(sql, statement);
        }
        return statement;
    }

    private static List<ChainedRecord> insertRecords(Connection connection, PreparedStatement insert,
            List<ChainedRecord> batch) throws SQLException, StoreException {
        for (ChainedRecord record : batch) {
            insert.setString(1, record.sessionId());
            insert.setLong(2, record.seq());
            insert.setLong(3, record.atMicros());
            insert.setString(4, record.kind().name());
            insert.setString(5, record.body());
            insert.setString(6, record.previousHash());
            insert.setString(7, record.hash());
            insert.addBatch();
        }
        int[] counts;
        try {
            counts = insert.executeBatch();
        } finally {
            // A cached statement must not carry a failed batch's rows into the next commit.
            insert.clearBatch();
        }
        List<ChainedRecord> inserted = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (counts[i] == 0) {
                requireSameAsStored(connection, batch.get(i));
            }
            else {
                // 1, or SUCCESS_NO_INFO from a driver that does not count per row.
                inserted.add(batch.get(i));
            }
        }
        return inserted;
    }

    /** A record already stored is accepted again only if it is the same record: resubmission, not rewriting. */
    private static void requireSameAsStored(Connection connection, ChainedRecord record)
            throws SQLException, StoreException {
        try (PreparedStatement select = connection.prepareStatement(STORED_HASH)) {
            select.setString(1, record.sessionId());
            select.setLong(2, record.seq());
            try (ResultSet stored = select.executeQuery()) {
                if (!stored.next() || !record.hash().equals(stored.getString(1))) {
                    throw StoreException.rejected("record " + record.sessionId() + "#" + record.seq()
                            + " conflicts with the stored record of the same session and seq (another hash)");
                }
            }
        }
    }

    /**
     * Catches up the counters that are due (see {@link CounterCatchUps}); the sessions ending in this
     * batch always, and before their end is applied, so an ended session's counter is complete.
     */
    private void catchUpStatementCounters(Connection connection, SessionChanges changes) throws SQLException {
        Set<String> ending = new HashSet<>();
        for (SessionChanges.End end : changes.ends()) {
            ending.add(end.id());
        }
        long now = System.nanoTime();
        PreparedStatement update = null;
        for (Map.Entry<String, Long> head : changes.heads().entrySet()) {
            String session = head.getKey();
            boolean ends = ending.contains(session);
            if (ends) {
                catchUps.ended(session);
            } else if (!catchUps.due(session, now)) {
                continue;
            }
            if (update == null) {
                update = writerStatement(connection, CATCH_UP_STATEMENTS);
            }
            update.setString(1, session);
            update.setLong(2, head.getValue());
            update.setLong(3, head.getValue());
            update.setString(4, session);
            update.setLong(5, head.getValue());
            update.addBatch();
        }
        if (update != null) {
            executeCached(update);
        }
    }

    /** Runs a cached statement's batch; a failed batch's rows must not ride along into the next commit. */
    private static void executeCached(PreparedStatement statement) throws SQLException {
        try {
            statement.executeBatch();
        } finally {
            statement.clearBatch();
        }
    }

    private void applySessionChanges(Connection connection, SessionChanges changes) throws SQLException {
        if (!changes.starts().isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SESSION)) {
                for (SessionChanges.Start start : changes.starts()) {
                    insert.setString(1, start.id());
                    insert.setString(2, start.identity());
                    insert.setString(3, start.target());
                    insert.setString(4, start.clientAddress());
                    insert.setString(5, start.applicationName());
                    insert.setString(6, start.authMethod());
                    insert.setLong(7, start.startedMicros());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (!changes.refused().isEmpty()) {
            PreparedStatement update = writerStatement(connection, COUNT_REFUSED);
            for (Map.Entry<String, Long> entry : changes.refused().entrySet()) {
                update.setLong(1, entry.getValue());
                update.setString(2, entry.getKey());
                update.addBatch();
            }
            executeCached(update);
        }
        catchUpStatementCounters(connection, changes);
        if (!changes.ends().isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(END_SESSION)) {
                for (SessionChanges.End end : changes.ends()) {
                    update.setLong(1, end.endedMicros());
                    update.setString(2, end.reason());
                    update.setString(3, end.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    @Override
    public List<SessionSummary> sessions(SessionQuery query) throws StoreException {
        requireNonNull(query, "query is null");
        SessionSql sql = SessionSql.list(query);
        return read("list sessions", connection -> sql.run(connection));
    }

    @Override
    public Optional<SessionSummary> session(String id) throws StoreException {
        requireNonNull(id, "id is null");
        SessionSql sql = SessionSql.byId(id);
        return read("read session " + id, connection -> sql.run(connection).stream().findFirst());
    }

    @Override
    public List<ChainedRecord> records(String sessionId, long afterSeq, int limit) throws StoreException {
        requireNonNull(sessionId, "sessionId is null");
        if (limit < 1 || limit > MAX_RECORDS_PER_READ) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_RECORDS_PER_READ + ": " + limit);
        }
        return read("read records of session " + sessionId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_RECORDS)) {
                select.setString(1, sessionId);
                select.setLong(2, afterSeq);
                select.setInt(3, limit);
                List<ChainedRecord> records = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        records.add(record(rows));
                    }
                }
                return records;
            }
        });
    }

    private static ChainedRecord record(ResultSet rows) throws SQLException, StoreException {
        String kind = rows.getString(4);
        try {
            return new ChainedRecord(rows.getString(1), rows.getLong(2), rows.getLong(3), RecordKind.valueOf(kind),
                    rows.getString(5), rows.getString(6), rows.getString(7));
        }
        catch (IllegalArgumentException | NullPointerException e) {
            // A row this version cannot represent: report it rather than skip it, since skipping
            // would look like a deleted record to the verifier.
            throw new StoreException("stored record " + rows.getString(1) + "#" + rows.getLong(2)
                    + " cannot be read (kind " + kind + "): " + e.getMessage(), e);
        }
    }

    @Override
    public int pruneEndedBefore(long micros) throws StoreException {
        int total = 0;
        while (true) {
            int deleted = write("prune sessions ended before " + micros, connection -> pruneChunk(connection, micros));
            total += deleted;
            if (deleted < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    private static int pruneChunk(Connection connection, long micros) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(PRUNABLE)) {
            select.setLong(1, micros);
            select.setInt(2, PRUNE_CHUNK);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        // Records first, then the row that makes the session prunable: whatever happens in between,
        // the transaction deletes a chain whole or not at all.
        for (String sql : List.of("DELETE FROM warden_records WHERE session_id = ?",
                "DELETE FROM warden_sessions WHERE id = ?")) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                for (String id : ids) {
                    delete.setString(1, id);
                    delete.addBatch();
                }
                if (!ids.isEmpty()) {
                    delete.executeBatch();
                }
            }
        }
        return ids.size();
    }

    private static final String UPSERT_APPROVAL = "INSERT INTO warden_approvals (id, node, request, status, requested_micros,"
            + " expires_micros) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status";
    private static final String APPROVAL_STATUS = "UPDATE warden_approvals SET status = ? WHERE id = ?";
    private static final String SELECT_APPROVAL = "SELECT id, node, request, status FROM warden_approvals WHERE id = ?";
    private static final String PENDING_APPROVALS = "SELECT id, node, request, status FROM warden_approvals"
            + " WHERE status = 'pending' ORDER BY requested_micros, id LIMIT 10000";
    private static final String INSERT_VOTE = "INSERT INTO warden_approval_votes (approval_id, approver, approver_groups,"
            + " approve, reason, binding, voted_micros) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (approval_id, approver) DO NOTHING";
    private static final String UNAPPLIED_VOTES = "SELECT v.approval_id, v.approver, v.approver_groups, v.approve, v.reason,"
            + " v.binding FROM warden_approval_votes v JOIN warden_approvals a ON a.id = v.approval_id"
            + " WHERE a.node = ? AND v.applied = 0 ORDER BY v.voted_micros LIMIT 1000";
    private static final String VOTE_APPLIED = "UPDATE warden_approval_votes SET applied = 1 WHERE approval_id = ? AND approver = ?";

    @Override
    public void publishApproval(SharedApproval approval, long requestedMicros, long expiresMicros) throws StoreException {
        write("publish an approval request", connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT_APPROVAL)) {
                upsert.setString(1, approval.id());
                upsert.setString(2, approval.node());
                upsert.setString(3, approval.request());
                upsert.setString(4, approval.status());
                upsert.setLong(5, requestedMicros);
                upsert.setLong(6, expiresMicros);
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void approvalStatus(String id, String status) throws StoreException {
        write("update an approval request", connection -> {
            try (PreparedStatement update = connection.prepareStatement(APPROVAL_STATUS)) {
                update.setString(1, status);
                update.setString(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<SharedApproval> sharedApproval(String id) throws StoreException {
        return read("read an approval request", connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_APPROVAL)) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(sharedApproval(rows)) : Optional.<SharedApproval>empty();
                }
            }
        });
    }

    @Override
    public List<SharedApproval> pendingApprovals() throws StoreException {
        return read("read pending approval requests", connection -> {
            List<SharedApproval> pending = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(PENDING_APPROVALS);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pending.add(sharedApproval(rows));
                }
            }
            return pending;
        });
    }

    private static SharedApproval sharedApproval(ResultSet rows) throws SQLException {
        return new SharedApproval(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4));
    }

    @Override
    public boolean vote(StoredVote vote, long votedMicros) throws StoreException {
        return write("record a vote", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_VOTE)) {
                insert.setString(1, vote.approvalId());
                insert.setString(2, vote.approver());
                insert.setString(3, vote.approverGroups());
                insert.setInt(4, vote.approve() ? 1 : 0);
                insert.setString(5, vote.reason());
                insert.setString(6, vote.binding());
                insert.setLong(7, votedMicros);
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<StoredVote> unappliedVotes(String node) throws StoreException {
        return read("read votes", connection -> {
            List<StoredVote> votes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(UNAPPLIED_VOTES)) {
                select.setString(1, node);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        votes.add(new StoredVote(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4) == 1,
                                rows.getString(5), rows.getString(6)));
                    }
                }
            }
            return votes;
        });
    }

    @Override
    public void voteApplied(String approvalId, String approver) throws StoreException {
        write("mark a vote applied", connection -> {
            try (PreparedStatement update = connection.prepareStatement(VOTE_APPLIED)) {
                update.setString(1, approvalId);
                update.setString(2, approver);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void notifyNodes(String channel, String payload) throws StoreException {
        if (!connector.supportsNotifications()) {
            return;
        }
        write("notify the other nodes", connection -> {
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, channel);
                notify.setString(2, payload);
                notify.execute();
            }
            return null;
        });
    }

    @Override
    public AutoCloseable listen(List<String> channels, java.util.function.Consumer<String> onNotification) {
        if (!connector.supportsNotifications()) {
            return () -> { };
        }
        return StoreListener.start(connector, channels, onNotification);
    }

    private static final String INSERT_GRANT = "INSERT INTO warden_grants (id, identity, group_name, target, rule, reason,"
            + " created_by, created_micros, expires_micros, approval_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String REVOKE_GRANT = "UPDATE warden_grants SET revoked_by = ?, revoked_micros = ?"
            + " WHERE id = ? AND revoked_micros IS NULL";
    private static final String SELECT_GRANTS = "SELECT id, identity, group_name, target, rule, reason, created_by,"
            + " created_micros, expires_micros, approval_id, revoked_by, revoked_micros FROM warden_grants"
            + " WHERE expires_micros > ? ORDER BY created_micros, id";

    @Override
    public void saveGrant(StoredGrant grant) throws StoreException {
        write("store a grant", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_GRANT)) {
                insert.setString(1, grant.id());
                insert.setString(2, grant.identity().orElse(null));
                insert.setString(3, grant.group().orElse(null));
                insert.setString(4, grant.target());
                insert.setString(5, grant.rule());
                insert.setString(6, grant.reason());
                insert.setString(7, grant.createdBy());
                insert.setLong(8, grant.createdMicros());
                insert.setLong(9, grant.expiresMicros());
                insert.setString(10, grant.approvalId().orElse(null));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean revokeGrant(String id, String revokedBy, long revokedMicros) throws StoreException {
        return write("revoke a grant", connection -> {
            try (PreparedStatement update = connection.prepareStatement(REVOKE_GRANT)) {
                update.setString(1, revokedBy);
                update.setLong(2, revokedMicros);
                update.setString(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<StoredGrant> grantsExpiringAfter(long micros) throws StoreException {
        return read("read grants", connection -> {
            List<StoredGrant> grants = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_GRANTS)) {
                select.setLong(1, micros);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long revokedMicros = rows.getLong(12);
                        boolean revoked = !rows.wasNull();
                        grants.add(new StoredGrant(rows.getString(1), Optional.ofNullable(rows.getString(2)),
                                Optional.ofNullable(rows.getString(3)), rows.getString(4), rows.getString(5),
                                rows.getString(6), rows.getString(7), rows.getLong(8), rows.getLong(9),
                                Optional.ofNullable(rows.getString(10)), Optional.ofNullable(rows.getString(11)),
                                revoked ? Optional.of(revokedMicros) : Optional.empty()));
                    }
                }
            }
            return grants;
        });
    }

    @Override
    public void saveWebSession(StoredWebSession session, int keepAtMost) throws StoreException {
        requireNonNull(session, "session is null");
        write("store a web session", connection -> {
            WebSessionSql.save(connection, session, keepAtMost);
            return null;
        });
    }

    @Override
    public Optional<StoredWebSession> webSession(String idHash, long nowMicros) throws StoreException {
        return read("read a web session", connection -> WebSessionSql.findLive(connection, idHash, nowMicros));
    }

    @Override
    public void deleteWebSession(String idHash) throws StoreException {
        write("delete a web session", connection -> {
            WebSessionSql.delete(connection, idHash);
            return null;
        });
    }

    @Override
    public boolean healthy() {
        try {
            return read("check health", connection -> {
                try (Statement statement = connection.createStatement();
                        ResultSet one = statement.executeQuery("SELECT 1")) {
                    return one.next();
                }
            });
        }
        catch (StoreException e) {
            return false;
        }
    }

    /** Runs work in one transaction on the write connection; once more on a fresh connection if the old one was lost. */
    private <T> T write(String operation, Work<T> work) throws StoreException {
        writeLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                requireOpen();
                Connection connection;
                try {
                    if (writer == null) {
                        writer = connector.openWriter();
                    }
                    connection = writer;
                }
                catch (SQLException e) {
                    throw failure(operation, e);
                }
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                }
                catch (StoreException e) {
                    rollback(connection);
                    throw e;
                }
                catch (SQLException | RuntimeException e) {
                    // The transaction may be half done or the connection dead: start over with a
                    // new connection next time rather than trust this one's state.
                    forgetWriter();
                    // Appends and pruning are idempotent, so a retry is safe even when the commit
                    // itself was lost with the connection.
                    if (attempt == 1 && e instanceof SQLException sql && connector.isConnectionLost(sql)) {
                        continue;
                    }
                    throw failure(operation, e);
                }
            }
        }
        finally {
            writeLock.unlock();
        }
    }

    private <T> T read(String operation, Work<T> work) throws StoreException {
        readLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                requireOpen();
                try {
                    if (reader == null) {
                        reader = connector.openReader();
                    }
                    return work.run(reader);
                }
                catch (SQLException | RuntimeException e) {
                    closeQuietly(reader);
                    reader = null;
                    if (attempt == 1 && e instanceof SQLException sql && connector.isConnectionLost(sql)) {
                        continue;
                    }
                    throw failure(operation, e);
                }
            }
        }
        finally {
            readLock.unlock();
        }
    }

    private void requireOpen() throws StoreException {
        if (closed) {
            throw new StoreException("the record store " + connector.describe() + " is closed");
        }
    }

    /**
     * A failure described without the driver's message: pgJDBC's batch errors quote the INSERT with
     * its values, and those values are recorded client data (statements, parameters, result rows)
     * that must not end up in gateway logs. The SQLSTATE says what class of failure it was; the cause
     * is not attached for the same reason.
     */
    private StoreException failure(String operation, Exception e) {
        return new StoreException("could not " + operation + " in the record store " + connector.describe() + ": "
                + describe(e));
    }

    static String describe(Exception e) {
        if (e instanceof SQLException sql) {
            SQLException root = sql.getNextException() != null ? sql.getNextException() : sql;
            return root.getSQLState() == null ? sql.getClass().getSimpleName()
                    : "SQLSTATE " + root.getSQLState() + " (" + root.getClass().getSimpleName() + ")";
        }
        return e.getClass().getSimpleName();
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        }
        catch (SQLException ignored) {
            // The connection is unusable; the next operation finds out and replaces it.
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // Already broken: nothing more to release.
        }
    }

    @Override
    public void close() {
        closed = true;
        writeLock.lock();
        try {
            forgetWriter();
        }
        finally {
            writeLock.unlock();
        }
        readLock.lock();
        try {
            closeQuietly(reader);
            reader = null;
        }
        finally {
            readLock.unlock();
        }
    }

    /** Closes the writer connection (and its statements with it); the next write opens a new one. */
    private void forgetWriter() {
        writerStatements.clear();
        closeQuietly(writer);
        writer = null;
    }

    @Override
    public String toString() {
        return "RecordStore[" + connector.describe() + "]";
    }
}
