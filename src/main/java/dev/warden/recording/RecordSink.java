package dev.warden.recording;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a session's records go: the store's batching writer. {@code submit} never blocks; the future
 * completes once the whole batch is durable (or fails, and then nothing after it may run).
 */
@FunctionalInterface
public interface RecordSink {
    CompletableFuture<Void> submit(List<ChainedRecord> batch);
}
