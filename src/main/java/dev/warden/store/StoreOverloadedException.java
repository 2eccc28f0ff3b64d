package dev.warden.store;

/**
 * The writer's queue is full: the store is slower than the gateway is producing records. The batch
 * was not queued; the caller refuses the statement (fail closed) rather than waiting on an event loop.
 */
public final class StoreOverloadedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreOverloadedException(int capacity) {
        super("the record store is overloaded: " + capacity + " batches are already waiting to be written");
    }
}
