package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.SocketAddress;

/**
 * One client connection joined to its upstream connection, after both are authenticated. Both
 * channels live on the same event loop, so the state here is touched by one thread only.
 */
public final class Session {
    private final long id;
    private final String identity;
    private final String target;
    private final Channel client;
    private final Channel upstream;
    private final InFlightQueue inFlight;
    private final CancelKey cancelKey;
    private boolean draining;
    private boolean closed;
    private String endReason;

    private final java.util.Set<String> groups;
    private volatile Runnable onCancel = () -> {};

    Session(long id, String identity, java.util.Set<String> groups, String target, Channel client, Channel upstream,
            InFlightQueue inFlight, CancelKey cancelKey) {
        this.id = id;
        this.groups = java.util.Set.copyOf(groups);
        this.identity = requireNonNull(identity, "identity is null");
        this.target = requireNonNull(target, "target is null");
        this.client = requireNonNull(client, "client is null");
        this.upstream = requireNonNull(upstream, "upstream is null");
        this.inFlight = requireNonNull(inFlight, "inFlight is null");
        this.cancelKey = requireNonNull(cancelKey, "cancelKey is null");
    }

    public long id() {
        return id;
    }

    public String identity() {
        return identity;
    }

    /** The identity's groups from configuration (and its token), as the session started with them. */
    public java.util.Set<String> groups() {
        return groups;
    }

    private ResultMasking masking;

    /** What this session masks in results (any connection's), or null. */
    ResultMasking masking() {
        return masking;
    }

    void masking(ResultMasking resultMasking) {
        this.masking = resultMasking;
    }

    /** What to do when the client sends a CancelRequest for this session (beyond forwarding it upstream). */
    void onCancel(Runnable action) {
        this.onCancel = requireNonNull(action, "action is null");
    }

    /** The client asked to cancel; called on whichever thread received the CancelRequest. */
    void cancelled() {
        onCancel.run();
    }

    public String target() {
        return target;
    }

    public SocketAddress clientAddress() {
        return client.remoteAddress();
    }

    Channel client() {
        return client;
    }

    Channel upstream() {
        return upstream;
    }

    InFlightQueue inFlight() {
        return inFlight;
    }

    CancelKey cancelKey() {
        return cancelKey;
    }

    /**
     * Asks the session to end at its next idle point (no statement in flight, no open transaction):
     * in-flight statements finish, the client then gets 57P01 like from a PostgreSQL shutdown.
     */
    void drain(PgError farewell) {
        draining = true;
        if (inFlight.isIdle()) {
            closeWith(farewell);
        }
    }

    boolean draining() {
        return draining;
    }

    /** Why the session ended, once something decided it should (for the SESSION_END record). */
    java.util.Optional<String> endReason() {
        return java.util.Optional.ofNullable(endReason);
    }

    void endReason(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }

    /** Sends a final error to the client (if still connected) and closes both sides. */
    void closeWith(PgError error, String reason) {
        endReason(reason);
        closeWith(error);
    }

    /** Sends a final error to the client (if still connected) and closes both sides. */
    void closeWith(PgError error) {
        if (error != null) {
            endReason(error.message());
        }
        if (closed) {
            return;
        }
        closed = true;
        if (client.isActive() && error != null) {
            client.writeAndFlush(BackendMessages.errorResponse(client.alloc(), error))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            client.close();
        }
        upstream.close();
    }

    void markClosed() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
