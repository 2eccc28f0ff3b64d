package dev.warden.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Client-to-server forwarding that can wait: once a statement has been recorded, nothing from the
 * client goes upstream until that record is durable (nothing runs unrecorded). Meanwhile what was
 * already read is kept in order and the client is not read from, so the hold is bounded by one read.
 * The same hold will park a session whose statement awaits approval.
 */
final class HeldForwarding implements Consumer<ByteBuf> {
    /** Told on the event loop when a hold ends: null when released, else why it failed. */
    interface Release {
        void held(Throwable failure);
    }

    private final Channel client;
    private final Channel upstream;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private CompletableFuture<Void> barrier;
    private boolean waiting;

    HeldForwarding(Channel client, Channel upstream) {
        this.client = client;
        this.upstream = upstream;
    }

    /** Forwards now, or keeps it in order behind the current hold. Takes ownership of {@code buf}. */
    @Override
    public void accept(ByteBuf buf) {
        if (barrier == null) {
            upstream.write(buf, upstream.voidPromise());
        } else {
            held.addLast(buf);
        }
    }

    /**
     * Holds everything from now on until {@code until} completes, and until any earlier hold ends too:
     * a statement parked for approval keeps what follows it waiting even when a later record is durable.
     */
    void holdUntil(CompletableFuture<Void> until) {
        barrier = barrier == null || barrier.isDone() && !barrier.isCompletedExceptionally() ? until
                : CompletableFuture.allOf(barrier, until);
    }

    /**
     * Puts {@code actual} where {@code placeholder} waits among the held messages (the parked
     * statement once it is decided: itself if approved, a stand-in if not). Takes ownership of both.
     */
    void substitute(ByteBuf placeholder, ByteBuf actual) {
        boolean found = false;
        for (int i = held.size(); i > 0; i--) {
            ByteBuf next = held.pollFirst();
            if (next == placeholder) {
                found = true;
                next.release();
                held.addLast(actual);
            } else {
                held.addLast(next);
            }
        }
        if (!found) {
            // The session ended and dropped what it held.
            actual.release();
        }
    }

    boolean holding() {
        return barrier != null;
    }

    /**
     * Called at the end of a client read: if a hold is pending, stop reading the client and arrange
     * to forward (or fail) when it ends.
     */
    void awaitIfHolding(Release onEnd) {
        if (barrier == null || waiting) {
            return;
        }
        CompletableFuture<Void> current = barrier;
        if (current.isDone() && !current.isCompletedExceptionally()) {
            release();
            return;
        }
        waiting = true;
        client.config().setAutoRead(false);
        current.whenComplete((ignored, failure) -> client.eventLoop().execute(() -> {
            waiting = false;
            if (failure != null) {
                discard();
                onEnd.held(failure);
            } else if (current == barrier) {
                release();
                onEnd.held(null);
            } else {
                // A later statement was recorded meanwhile: wait for that one too.
                awaitIfHolding(onEnd);
            }
        }));
    }

    private void release() {
        barrier = null;
        while (!held.isEmpty()) {
            upstream.write(held.pollFirst(), upstream.voidPromise());
        }
        upstream.flush();
        client.config().setAutoRead(upstream.isWritable());
    }

    /** Drops what is held (the session is ending); safe to call repeatedly. */
    void discard() {
        barrier = null;
        while (!held.isEmpty()) {
            held.pollFirst().release();
        }
    }
}
