package dev.warden.store;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.ChainedRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real store whose appends wait at a gate the test opens: how a test holds the writer inside a
 * commit to fill its queue. Records the size of every append it was asked for.
 */
final class GatedRecordStore implements RecordStore {
    private final RecordStore delegate;
    private final Semaphore gate = new Semaphore(0);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final List<Integer> appendSizes = new CopyOnWriteArrayList<>();
    private volatile boolean open;

    GatedRecordStore(RecordStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    void open() {
        open = true;
        gate.release(Integer.MAX_VALUE / 2);
    }

    /** Waits until the writer is inside an append. */
    boolean awaitFirstAppend() throws InterruptedException {
        return entered.await(10, TimeUnit.SECONDS);
    }

    List<Integer> appendSizes() {
        return List.copyOf(appendSizes);
    }

    @Override
    public void append(List<ChainedRecord> batch) throws StoreException {
        appendSizes.add(batch.size());
        entered.countDown();
        if (!open) {
            try {
                gate.acquire();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted at the gate");
            }
        }
        delegate.append(batch);
    }

    @Override
    public List<SessionSummary> sessions(SessionQuery query) throws StoreException {
        return delegate.sessions(query);
    }

    @Override
    public Optional<SessionSummary> session(String id) throws StoreException {
        return delegate.session(id);
    }

    @Override
    public List<ChainedRecord> records(String sessionId, long afterSeq, int limit) throws StoreException {
        return delegate.records(sessionId, afterSeq, limit);
    }

    @Override
    public int pruneEndedBefore(long micros) throws StoreException {
        return delegate.pruneEndedBefore(micros);
    }

    @Override
    public void publishApproval(SharedApproval approval, long requestedMicros, long expiresMicros) throws StoreException {
        delegate.publishApproval(approval, requestedMicros, expiresMicros);
    }

    @Override
    public void approvalStatus(String id, String status) throws StoreException {
        delegate.approvalStatus(id, status);
    }

    @Override
    public Optional<SharedApproval> sharedApproval(String id) throws StoreException {
        return delegate.sharedApproval(id);
    }

    @Override
    public List<SharedApproval> pendingApprovals() throws StoreException {
        return delegate.pendingApprovals();
    }

    @Override
    public boolean vote(StoredVote vote, long votedMicros) throws StoreException {
        return delegate.vote(vote, votedMicros);
    }

    @Override
    public List<StoredVote> unappliedVotes(String node) throws StoreException {
        return delegate.unappliedVotes(node);
    }

    @Override
    public void voteApplied(String approvalId, String approver) throws StoreException {
        delegate.voteApplied(approvalId, approver);
    }

    @Override
    public void notifyNodes(String channel, String payload) throws StoreException {
        delegate.notifyNodes(channel, payload);
    }

    @Override
    public AutoCloseable listen(List<String> channels, java.util.function.Consumer<String> onNotification) {
        return delegate.listen(channels, onNotification);
    }

    @Override
    public void saveGrant(StoredGrant grant) throws StoreException {
        delegate.saveGrant(grant);
    }

    @Override
    public boolean revokeGrant(String id, String revokedBy, long revokedMicros) throws StoreException {
        return delegate.revokeGrant(id, revokedBy, revokedMicros);
    }

    @Override
    public List<StoredGrant> grantsExpiringAfter(long micros) throws StoreException {
        return delegate.grantsExpiringAfter(micros);
    }

    @Override
    public void saveWebSession(StoredWebSession session, int keepAtMost) throws StoreException {
        delegate.saveWebSession(session, keepAtMost);
    }

    @Override
    public Optional<StoredWebSession> webSession(String idHash, long nowMicros) throws StoreException {
        return delegate.webSession(idHash, nowMicros);
    }

    @Override
    public void deleteWebSession(String idHash) throws StoreException {
        delegate.deleteWebSession(idHash);
    }

    @Override
    public boolean healthy() {
        return delegate.healthy();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
