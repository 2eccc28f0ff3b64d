package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The record stream of one session: numbers and chains its records, and sends them to the sink in
 * batches with at most one batch outstanding, so a session never has more than one batch queued at
 * the writer (that is what bounds the writer's queue) and the records of a session reach the store in
 * order. Records appended while a batch is outstanding wait here and leave together as the next batch.
 *
 * <p>Appends come from the session's event loop, commits from the writer's thread: the state is
 * guarded by this object's monitor (uncontended in the common case).
 */
public final class SessionLog {
    private final String sessionId;
    private final RecordSink sink;
    private final Clock clock;
    private final CheckpointPolicy checkpoints;
    private long seq;
    private String previousHash = RecordChain.GENESIS;
    private List<ChainedRecord> waiting = new ArrayList<>();
    private CompletableFuture<Void> waitingDone = new CompletableFuture<>();
    private int waitingBytes;
    private boolean outstanding;
    private CompletableFuture<Void> outstandingDone;
    private int sinceCheckpoint;
    private volatile Throwable failure;

    /** Signs the chain head every so often; {@link #NONE} for unsigned chains. */
    public interface CheckpointPolicy {
        CheckpointPolicy NONE = new CheckpointPolicy() {
            @Override
            public int every() {
                return Integer.MAX_VALUE;
            }

            @Override
            public String body(String sessionId, long seq, String hash) {
                throw new UnsupportedOperationException();
            }
        };

        /** How many records between checkpoints. */
        int every();

        /** The CHECKPOINT body signing the head {@code seq}/{@code hash}. */
        String body(String sessionId, long seq, String hash);
    }

    public SessionLog(String sessionId, RecordSink sink, Clock clock, CheckpointPolicy checkpoints) {
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Appends a record. It is not sent yet: {@link #durable()} (someone waits for it) or
     * {@link #flush()} (soon, from a timer) send what has accumulated, so that the records made after a
     * statement ran (its result, its completion) travel with the next statement in one commit.
     *
     * @return its sequence number
     */
    public synchronized long append(RecordKind kind, String body) {
        link(kind, body);
        // The record's own seq, not the checkpoint's that may follow it: results and completions name
        // their statement by this number.
        long appended = seq;
        if (kind != RecordKind.CHECKPOINT && ++sinceCheckpoint >= checkpoints.every()) {
            sinceCheckpoint = 0;
            link(RecordKind.CHECKPOINT, checkpoints.body(sessionId, seq, previousHash));
        }
        return appended;
    }

    /** Sends what has accumulated (behind the outstanding batch, if any). */
    public synchronized void flush() {
        sendIfIdle();
    }

    /** Signs the head now (at session end), unless the last record already was a checkpoint. */
    public synchronized void checkpoint() {
        if (checkpoints != CheckpointPolicy.NONE && sinceCheckpoint > 0) {
            sinceCheckpoint = 0;
            link(RecordKind.CHECKPOINT, checkpoints.body(sessionId, seq, previousHash));
        }
        sendIfIdle();
    }

    private void link(RecordKind kind, String body) {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        ChainedRecord record = ChainedRecord.link(sessionId, ++seq, micros, kind, body, previousHash);
        previousHash = record.hash();
        waiting.add(record);
        waitingBytes += body.length();
    }

    /**
     * Completes when every record appended so far is durable; fails if the store refused any of them.
     * Records appended later are not covered.
     */
    public synchronized CompletableFuture<Void> durable() {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        sendIfIdle();
        if (!waiting.isEmpty()) {
            return waitingDone; // completes after the outstanding batch: batches commit in order
        }
        return outstanding ? outstandingDone : CompletableFuture.completedFuture(null);
    }

    /** Characters waiting here for the outstanding batch to commit: the relay pauses reads when large. */
    public synchronized int backlog() {
        return waitingBytes;
    }

    /** Whether the store has refused a batch of this session: nothing more of it may run. */
    public boolean failed() {
        return failure != null;
    }

    private void sendIfIdle() {
        if (outstanding || waiting.isEmpty() || failure != null) {
            return;
        }
        List<ChainedRecord> batch = waiting;
        CompletableFuture<Void> batchDone = waitingDone;
        waiting = new ArrayList<>();
        waitingDone = new CompletableFuture<>();
        waitingBytes = 0;
        outstanding = true;
        outstandingDone = batchDone;
        CompletableFuture<Void> committed;
        try {
            committed = sink.submit(batch);
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        committed.whenComplete((ignored, error) -> onCommitted(batchDone, error));
    }

    /** Runs on the writer's thread: hands the next batch over from there, keeping one outstanding. */
    private synchronized void onCommitted(CompletableFuture<Void> batchDone, Throwable error) {
        if (error != null) {
            failure = error;
            batchDone.completeExceptionally(error);
            waitingDone.completeExceptionally(error);
            return;
        }
        outstanding = false;
        outstandingDone = null;
        sendIfIdle();
        batchDone.complete(null);
    }
}
