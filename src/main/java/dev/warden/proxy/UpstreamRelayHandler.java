package dev.warden.proxy;

import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query phase, server side: forwards every chunk from the server to the client as it arrives, while
 * a {@link BackendStreamScanner} follows message boundaries for the in-flight queue.
 */
final class UpstreamRelayHandler extends ChannelInboundHandlerAdapter implements BackendStreamScanner.Listener {
    private static final Logger log = LoggerFactory.getLogger(UpstreamRelayHandler.class);

    private final Session session;
    private final BackendStreamScanner scanner = new BackendStreamScanner(this);
    private final Consumer<ByteBuf> forward;
    private final StatementGate gate;
    private boolean lastWasError;
    private boolean sawReadyForQuery;

    UpstreamRelayHandler(Session session, StatementGate gate) {
        this.session = session;
        this.gate = gate;
        this.forward = buf -> session.client().write(buf, session.client().voidPromise());
    }

    /** A refused operation's stand-in failed on the server: the client gets the gateway's error instead. */
    @Override
    public ByteBuf replacementFor(byte type) {
        if (type != BackendType.ERROR_RESPONSE) {
            return null;
        }
        InFlightOperation head = session.inFlight().head();
        PgError refusal = head == null ? null : head.refusal();
        return refusal == null ? null : BackendMessages.errorResponse(session.client().alloc(), refusal);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf chunk = (ByteBuf) msg;
        try {
            scanner.scan(chunk, forward);
        } catch (ProtocolException e) {
            log.warn("session {}: upstream protocol violation: {}", session.id(), e.getMessage());
            session.closeWith(PgError.fatal(SqlState.CONNECTION_FAILURE, "lost synchronization with the upstream server"));
            return;
        }
        if (sawReadyForQuery) {
            sawReadyForQuery = false;
            if (session.draining() && session.inFlight().isIdle()) {
                session.client().flush();
                session.closeWith(SessionRegistry.SHUTDOWN_ERROR);
            }
        }
    }

    @Override
    public void onBackendMessage(byte type, ByteBuf body, int bodyIndex) {
        lastWasError = type == BackendType.ERROR_RESPONSE;
        session.inFlight().onBackendMessage(type, body, bodyIndex);
        if (type == BackendType.READY_FOR_QUERY) {
            sawReadyForQuery = true;
            gate.onReadyForQuery(body.getByte(bodyIndex));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.client().flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The server drains slowly (e.g. a big COPY FROM STDIN): stop reading the client meanwhile.
        session.client().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        scanner.release();
        if (!session.closed()) {
            log.warn("session {}: upstream closed the connection", session.id());
            // A FATAL ErrorResponse from the server (e.g. 57P01) already told the client why.
            session.closeWith(lastWasError ? null
                    : PgError.fatal(SqlState.CONNECTION_FAILURE, "the upstream server closed the connection unexpectedly"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("session {}: upstream connection failed: {}", session.id(), cause.toString());
        session.closeWith(PgError.fatal(SqlState.CONNECTION_FAILURE, "the connection to the upstream server failed"));
    }
}
