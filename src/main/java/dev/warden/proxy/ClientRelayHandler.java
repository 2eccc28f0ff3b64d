package dev.warden.proxy;

import dev.warden.protocol.pg.FrontendMessages;
import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query phase, client side: frames what the client sends, lets the in-flight queue see each message
 * and forwards complete messages upstream. Reading from the client pauses while the upstream socket
 * is not writable, so a fast client cannot make Warden buffer without bound.
 */
final class ClientRelayHandler extends ChannelInboundHandlerAdapter implements FrontendFrameReader.Listener {
    private static final Logger log = LoggerFactory.getLogger(ClientRelayHandler.class);

    private final Session session;
    private final SessionRegistry registry;
    private final FrontendFrameReader frames;
    private final Consumer<ByteBuf> forward;
    private final StatementGate gate;
    private StatementGate.Verdict pendingVerdict;
    private String statementName;
    private boolean terminated;

    ClientRelayHandler(Session session, SessionRegistry registry, StatementGate gate, int maxMessageBytes) {
        this.session = session;
        this.registry = registry;
        this.gate = gate;
        this.frames = new FrontendFrameReader(maxMessageBytes);
        this.forward = buf -> session.upstream().write(buf, session.upstream().voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            frames.read(ctx.alloc(), (ByteBuf) msg, this, forward);
        } catch (FrontendFrameReader.MessageTooLargeException e) {
            log.warn("session {}: {}", session.id(), e.getMessage());
            SqlState state = e.invalidLength() ? SqlState.PROTOCOL_VIOLATION : SqlState.PROGRAM_LIMIT_EXCEEDED;
            session.closeWith(PgError.fatal(state, e.getMessage(),
                    e.invalidLength() ? null : "Send smaller messages, or raise limits.max_message_bytes in warden.yaml."));
            return;
        } catch (ProtocolException e) {
            log.warn("session {}: protocol violation: {}", session.id(), e.getMessage());
            session.closeWith(PgError.fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage()));
            return;
        }
        if (terminated) {
            session.upstream().writeAndFlush(FrontendMessages.terminate(ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            session.markClosed();
            ctx.close();
        }
    }

    /**
     * The enforcement point: statements are decided where they would run (a Query, an Execute, a
     * FunctionCall); a refused one is swapped for a stand-in that fails on the server the same way.
     */
    @Override
    public ByteBuf replacementFor(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
        StatementGate.Verdict verdict;
        switch (type) {
            case FrontendType.QUERY -> verdict = gate.checkQuery(WireStrings.readCString(buf, bodyIndex, bodyLength));
            case FrontendType.PARSE -> {
                ByteBuf body = buf.slice(bodyIndex, bodyLength);
                statementName = WireStrings.readCString(body);
                verdict = gate.checkParse(WireStrings.readCString(body));
            }
            case FrontendType.EXECUTE -> verdict = gate.checkExecute(
                    session.inFlight().portalSql(WireStrings.readCString(buf, bodyIndex, bodyLength)));
            case FrontendType.FUNCTION_CALL -> {
                if (bodyLength < 4) {
                    throw new ProtocolException("malformed FunctionCall message");
                }
                verdict = gate.checkFunctionCall(buf.getInt(bodyIndex));
            }
            default -> {
                return null;
            }
        }
        pendingVerdict = verdict;
        if (!verdict.refused()) {
            return null;
        }
        log.info("session {}: refused: {}", session.id(), verdict.refusal().message());
        return switch (type) {
            case FrontendType.QUERY -> StandIns.query(buf.alloc());
            case FrontendType.PARSE -> StandIns.parse(buf.alloc(), statementName);
            case FrontendType.EXECUTE -> StandIns.execute(buf.alloc());
            default -> StandIns.functionCall(buf.alloc());
        };
    }

    @Override
    public void onFrontendMessage(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
        if (terminated) {
            throw new ProtocolException("message after Terminate");
        }
        if (type == FrontendType.TERMINATE) {
            terminated = true;
            return;
        }
        session.inFlight().onFrontendMessage(type, buf, bodyIndex, bodyLength);
        if (pendingVerdict != null) {
            session.inFlight().applyToLast(pendingVerdict);
            pendingVerdict = null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.upstream().flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The client drains slowly: stop reading results from the server until it catches up.
        session.upstream().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && session.inFlight().isIdle()) {
            log.info("session {}: closing idle session", session.id());
            session.closeWith(PgError.fatal(SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to idle-session timeout"));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        frames.release();
        if (session.upstream().isActive() && !terminated) {
            // The client vanished without Terminate; end the server session the polite way.
            session.upstream().writeAndFlush(FrontendMessages.terminate(ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        session.markClosed();
        registry.remove(session);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("session {}: client connection failed: {}", session.id(), cause.toString());
        session.closeWith(null);
    }
}
