package dev.warden.store;

import dev.warden.recording.ChainedRecord;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of session records and the session index derived from them. Thread-safe. On the
 * gateway's hot path it is written only through the {@link RecordWriter}, which batches concurrent
 * sessions into one transaction; reads serve the CLI, the REST API and replay.
 */
public interface RecordStore extends AutoCloseable {

    /** Opens the store, creating or migrating its schema first. */
    static RecordStore open(StoreLocation location) throws StoreException {
        return JdbcRecordStore.open(location);
    }

    /**
     * Stores the records in ONE transaction, with the session rows they imply, and returns only when
     * the transaction is durable (SQLite: WAL with {@code synchronous=FULL}; PostgreSQL: a commit with
     * {@code synchronous_commit=on}).
     *
     * <p>Idempotent for records already stored with the same hash, so a batch whose commit outcome
     * was unknown (the connection died during COMMIT) can be submitted again. A record that conflicts
     * with a stored one (same session and seq, another hash) fails the whole transaction with a
     * {@linkplain StoreException#isRejected() rejected} exception.
     */
    void append(List<ChainedRecord> batch) throws StoreException;

    /** Sessions matching the query, newest start first. */
    List<SessionSummary> sessions(SessionQuery query) throws StoreException;

    Optional<SessionSummary> session(String id) throws StoreException;

    /** Publishes a request parked on {@code node}, or updates its status (pending ... voided). */
    void publishApproval(SharedApproval approval, long requestedMicros, long expiresMicros) throws StoreException;

    void approvalStatus(String id, String status) throws StoreException;

    Optional<SharedApproval> sharedApproval(String id) throws StoreException;

    /** Pending requests of every node, oldest first. */
    List<SharedApproval> pendingApprovals() throws StoreException;

    /** Records a vote for another node's request and notifies it; false when this approver already voted. */
    boolean vote(StoredVote vote, long votedMicros) throws StoreException;

    /** Votes not applied yet on requests parked on {@code node}. */
    List<StoredVote> unappliedVotes(String node) throws StoreException;

    void voteApplied(String approvalId, String approver) throws StoreException;

    /**
     * Wakes the other nodes listening on {@code channel} (PostgreSQL NOTIFY, delivered at commit);
     * nothing on a store only one node uses (SQLite).
     */
    void notifyNodes(String channel, String payload) throws StoreException;

    /**
     * Calls {@code onNotification} with the channel whenever a node notifies one of {@code channels},
     * on a thread of the listener's own, until closed; a store without notifications returns a
     * listener that never calls (callers poll as well).
     */
    AutoCloseable listen(List<String> channels, java.util.function.Consumer<String> onNotification);

    /** Stores a new grant (durably, before it is in effect). */
    void saveGrant(StoredGrant grant) throws StoreException;

    /** Marks a grant revoked; returns false when no unrevoked grant has that id. */
    boolean revokeGrant(String id, String revokedBy, long revokedMicros) throws StoreException;

    /** Grants that expire after {@code micros} (revoked ones included), oldest first. */
    List<StoredGrant> grantsExpiringAfter(long micros) throws StoreException;

    /** Up to {@code limit} records of the session with {@code seq > afterSeq}, by seq. */
    List<ChainedRecord> records(String sessionId, long afterSeq, int limit) throws StoreException;

    /**
     * Deletes every session that ended before the cutoff, its records with it. A chain is deleted
     * whole or not at all, so what remains still verifies.
     *
     * @return the number of sessions deleted
     */
    int pruneEndedBefore(long micros) throws StoreException;

    /**
     * Stores a web UI session (durably, before its cookie is handed out), first deleting expired ones
     * and, when {@code keepAtMost} are stored, the oldest: the table stays bounded.
     */
    void saveWebSession(StoredWebSession session, int keepAtMost) throws StoreException;

    /** The session stored under {@code idHash} if it is still live at {@code nowMicros}. */
    Optional<StoredWebSession> webSession(String idHash, long nowMicros) throws StoreException;

    /** Deletes a web session (logout); nothing when there is none. */
    void deleteWebSession(String idHash) throws StoreException;

    /** Whether the store answers a trivial query now. */
    boolean healthy();

    @Override
    void close();
}
