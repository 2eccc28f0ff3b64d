package dev.warden.store;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.ChainedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer in front of a {@link RecordStore}, with group commit. {@link #submit} never
 * blocks, so event loops can call it; one dedicated thread takes everything queued (up to
 * {@code maxRecordsPerCommit}) and appends it in ONE transaction, then completes those futures.
 * While a commit is under way, new batches queue up and go into the next one: the busier the
 * gateway, the more records each fsync carries.
 *
 * <p>Memory is bounded by the queue's capacity in batches, and the size of a batch by the caller:
 * each session keeps at most one batch outstanding (it waits for its future before submitting the
 * next), so the queue holds at most one batch per live session. That rule is also what keeps a
 * session's records in order: batches are written in the order submitted, and a session never has
 * two in flight. When the queue is full the future fails at once with
 * {@link StoreOverloadedException}; nothing is dropped silently.
 *
 * <p>When an append fails, every future of that group fails with the {@link StoreException} and
 * {@link #healthy()} is false until an append succeeds again; the writer keeps taking submissions,
 * so the next one is the retry. A group failed because one batch was {@linkplain
 * StoreException#isRejected() rejected} is retried batch by batch, so only the bad batch fails.
 *
 * <p>Futures complete on the writer thread: continue on your own executor (the channel's event loop)
 * and never block in a callback, or every session waits.
 */
public final class RecordWriter implements AutoCloseable {
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_RECORDS_PER_COMMIT = 1_000;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);

    private final RecordStore store;
    private final int capacity;
    private final int maxRecordsPerCommit;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile boolean healthy = true;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private volatile long lastCommitNanos;

    private record Pending(List<ChainedRecord> batch, CompletableFuture<Void> future) {}

    private RecordWriter(RecordStore store, int capacity, int maxRecordsPerCommit) {
        this.store = requireNonNull(store, "store is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (maxRecordsPerCommit < 1) {
            throw new IllegalArgumentException("maxRecordsPerCommit must be positive: " + maxRecordsPerCommit);
        }
        this.capacity = capacity;
        this.maxRecordsPerCommit = maxRecordsPerCommit;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "warden-record-writer");
        this.thread.setDaemon(true);
    }

    /** Starts a writer with the default queue capacity and commit size. */
    public static RecordWriter start(RecordStore store) {
        return start(store, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_RECORDS_PER_COMMIT);
    }

    public static RecordWriter start(RecordStore store, int queueCapacity, int maxRecordsPerCommit) {
        RecordWriter writer = new RecordWriter(store, queueCapacity, maxRecordsPerCommit);
        writer.thread.start();
        return writer;
    }

    /**
     * Queues the batch for the next group commit. Completes when the batch is durable; fails with
     * {@link StoreOverloadedException} at once when the queue is full, or with the store's
     * {@link StoreException} when its transaction failed. Never blocks.
     */
    public CompletableFuture<Void> submit(List<ChainedRecord> batch) {
        List<ChainedRecord> records = List.copyOf(requireNonNull(batch, "batch is null"));
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (closing) {
            return CompletableFuture.failedFuture(closed());
        }
        Pending pending = new Pending(records, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new StoreOverloadedException(capacity));
        }
        // The writer may have finished its last drain between the check above and the offer: take
        // the batch back (if the writer did not) so its future cannot hang.
        if (stopped && queue.remove(pending)) {
            pending.future().completeExceptionally(closed());
        }
        return pending.future();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Pending first = closing ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                commit(group(first));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            stopped = true;
            List<Pending> left = new ArrayList<>();
            queue.drainTo(left);
            for (Pending pending : left) {
                pending.future().completeExceptionally(closed());
            }
        }
    }

    /** The first batch and whatever else is queued, up to the commit size (a larger batch goes alone). */
    private List<Pending> group(Pending first) {
        List<Pending> group = new ArrayList<>();
        group.add(first);
        int rows = first.batch().size();
        // Only this thread takes from the queue, so what it peeks is what it polls.
        for (Pending next = queue.peek(); next != null && rows + next.batch().size() <= maxRecordsPerCommit;
                next = queue.peek()) {
            group.add(queue.poll());
            rows += next.batch().size();
        }
        return group;
    }

    private void commit(List<Pending> group) {
        List<ChainedRecord> rows = new ArrayList<>();
        for (Pending pending : group) {
            rows.addAll(pending.batch());
        }
        long started = System.nanoTime();
        try {
            store.append(rows);
            succeeded(group, rows.size(), System.nanoTime() - started);
        }
        catch (StoreException e) {
            failedCommits.incrementAndGet();
            if (e.isRejected() && group.size() > 1) {
                for (Pending pending : group) {
                    commit(List.of(pending));
                }
                return;
            }
            failed(group, e);
        }
        catch (RuntimeException e) {
            failedCommits.incrementAndGet();
            failed(group, new StoreException("the record store failed unexpectedly: " + e, e));
        }
    }

    private void succeeded(List<Pending> group, int rows, long nanos) {
        lastCommitNanos = nanos;
        commits.incrementAndGet();
        batches.addAndGet(group.size());
        records.addAndGet(rows);
        if (!healthy) {
            LOG.info("record store writable again: {}", store);
            healthy = true;
        }
        for (Pending pending : group) {
            pending.future().complete(null);
        }
    }

    private void failed(List<Pending> group, StoreException e) {
        if (!e.isRejected()) {
            if (healthy) {
                LOG.error("record store write failed; statements are refused until it succeeds again: {}",
                        e.getMessage());
            }
            healthy = false;
        }
        for (Pending pending : group) {
            pending.future().completeExceptionally(e);
        }
    }

    private StoreException closed() {
        return new StoreException("the record writer is closed");
    }

    /**
     * False from a failed append until the next successful one, and once closed. For health checks
     * and metrics only: do not skip submitting because of it, since the next submission is the only
     * retry (a gateway that refused to start sessions while unhealthy would never become healthy).
     */
    public boolean healthy() {
        return healthy && !closing;
    }

    /** Batches durably written. */
    public long batches() {
        return batches.get();
    }

    /** Records durably written. */
    public long records() {
        return records.get();
    }

    /** Successful transactions (group commits). */
    public long commits() {
        return commits.get();
    }

    public long failedCommits() {
        return failedCommits.get();
    }

    /** Duration of the last successful append, in nanoseconds. */
    public long lastCommitLatencyNanos() {
        return lastCommitNanos;
    }

    /** Batches waiting for the next commit. */
    public int queuedBatches() {
        return queue.size();
    }

    /** Writes what is queued, waiting up to the timeout, then stops. Does not close the store. */
    public void close(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        closing = true;
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                LOG.warn("record writer did not drain its queue within {}; failing {} queued batches", timeout,
                        queue.size());
                thread.interrupt();
                thread.join(timeout.toMillis());
            }
        }
        catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }
}
