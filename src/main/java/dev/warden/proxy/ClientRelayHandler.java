package dev.warden.proxy;

import dev.warden.protocol.pg.FrontendMessages;
import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.PgError;
import dev.warden.approval.ApprovalException;
import dev.warden.approval.Grant;
import dev.warden.catalog.RowEstimator;
import dev.warden.policy.RowEstimate;
import java.util.Optional;
import dev.warden.protocol.pg.ProtocolCodes;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import dev.warden.recording.RecordBodies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query phase, client side: frames what the client sends, decides and records each statement, lets
 * the in-flight queue see each message and forwards complete messages upstream once their record is
 * durable. Reading from the client pauses while the upstream socket is not writable or a record is
 * being committed, so a fast client cannot make Warden buffer without bound.
 */
final class ClientRelayHandler extends ChannelInboundHandlerAdapter implements FrontendFrameReader.Listener {
    private static final Logger log = LoggerFactory.getLogger(ClientRelayHandler.class);

    private final Session session;
    private final SessionRegistry registry;
    private final FrontendFrameReader frames;
    private final HeldForwarding forward;
    private final StatementGate gate;
    private final SessionRecording recording;
    private StatementGate.Verdict pendingVerdict;
    private long pendingStatementSeq;
    private String statementName;
    private String parseSql;
    /**
     * A refused Parse or Execute went to the server as a stand-in that fails, and the server then
     * discards every message up to Sync: until then nothing is decided or recorded again.
     */
    private boolean serverSkipsToSync;
    private boolean terminated;
    private final ApprovalParking parking;
    private ApprovalParking.ParkedStatement pendingPark;
    private EstimatedDecision pendingDeferred;
    private final RowEstimator estimator;

    /**
     * @param approvals where statements needing approval are held, or null when this gateway cannot
     *     hold them (they are then refused)
     */
    ClientRelayHandler(Session session, SessionRegistry registry, StatementGate gate, SessionRecording recording,
            int maxMessageBytes, ApprovalSetup approvals, RowEstimator estimator) {
        this(session, registry, gate, recording, maxMessageBytes, approvals, estimator, null);
    }

    /** @param writer how approved writes of a read-only identity reach the database, or null */
    ClientRelayHandler(Session session, SessionRegistry registry, StatementGate gate, SessionRecording recording,
            int maxMessageBytes, ApprovalSetup approvals, RowEstimator estimator, ApprovalParking.WriterConnector writer) {
        this.estimator = estimator;
        this.session = session;
        this.registry = registry;
        this.gate = gate;
        this.recording = recording;
        this.frames = new FrontendFrameReader(maxMessageBytes);
        this.forward = new HeldForwarding(session.client(), session.upstream());
        this.parking = approvals == null ? null
                : new ApprovalParking(session, approvals, recording, forward, session.groups(), writer, gate);
        if (parking != null) {
            session.onCancel(() -> parking.cancelAll("the client cancelled the statement"));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readFrames(ctx, (ByteBuf) msg);
    }

    private void readFrames(ChannelHandlerContext ctx, ByteBuf data) {
        try {
            frames.read(ctx.alloc(), data, this, forward);
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
        forward.awaitIfHolding(this::holdEnded);
        if (terminated && !forward.holding()) {
            finishTerminate(ctx);
        }
    }

    /** The client's Terminate went upstream with the rest: end both sides. */
    private void finishTerminate(ChannelHandlerContext ctx) {
        session.endReason("client terminated the session");
        session.markClosed(); // the server closing its side now is expected, not a failure
        session.upstream().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        ctx.close();
    }

    private void holdEnded(Throwable failure) {
        if (failure != null) {
            log.error("session {}: the audit store did not accept the statement's record, so it was not run: {}",
                    session.id(), failure.toString());
            session.closeWith(PgError.fatal(SqlState.SYSTEM_ERROR,
                    "Warden could not record this statement, so it did not run: the audit store is unavailable",
                    "Retry later; an administrator must check the gateway's store."), "audit store unavailable");
            return;
        }
        if (terminated) {
            finishTerminate(session.client().pipeline().context(this));
        }
    }

    /**
     * The enforcement point: statements are decided where they would run (a Query, an Execute, a
     * FunctionCall); a refused one is swapped for a stand-in that fails on the server the same way.
     */
    @Override
    public ByteBuf replacementFor(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
        if (type == FrontendType.SYNC) {
            serverSkipsToSync = false;
            return null;
        }
        if (serverSkipsToSync && isStatementMessage(type)) {
            // The server will discard it, so it is neither decided nor recorded: a refused DROP sent as
            // Parse/Bind/Execute is one refused statement, not two. It still goes as a failing stand-in,
            // so that it could not run even if the server did not discard it.
            if (type == FrontendType.PARSE) {
                statementName = WireStrings.readCString(buf.slice(bodyIndex, bodyLength));
            }
            return standIn(type, buf);
        }
        StatementGate.Verdict verdict;
        switch (type) {
            case FrontendType.QUERY -> verdict = gate.checkQuery(WireStrings.readCString(buf, bodyIndex, bodyLength));
            case FrontendType.PARSE -> {
                ByteBuf body = buf.slice(bodyIndex, bodyLength);
                statementName = WireStrings.readCString(body);
                parseSql = WireStrings.readCString(body);
                verdict = gate.checkParse(parseSql);
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
        if (verdict.needsEstimate()) {
            if (estimator != null) {
                return deferForEstimate(type, buf, bodyIndex, bodyLength, verdict);
            }
            verdict = verdict.estimation().decide().apply(RowEstimate.UNAVAILABLE);
        }
        if (verdict.needsApproval()) {
            if (parking != null) {
                return park(type, buf, bodyIndex, bodyLength, verdict);
            }
            // Only a gate that knows approvals are possible asks for one; anything else fails closed.
            verdict = StatementGate.Verdict.refuse(PolicyGate.errorFor(verdict.decision(), List.of()), verdict.decision());
        }
        pendingVerdict = verdict;
        pendingStatementSeq = record(type, buf, bodyIndex, bodyLength, verdict);
        if (!verdict.refused()) {
            if (pendingStatementSeq != 0) {
                // Nothing runs unrecorded: this message and all after it wait for the record.
                forward.holdUntil(recording.durable());
            }
            return null;
        }
        log.info("session {}: refused: {}", session.id(), verdict.refusal().message());
        serverSkipsToSync = type == FrontendType.PARSE || type == FrontendType.EXECUTE;
        return standIn(type, buf);
    }

    private static boolean isStatementMessage(byte type) {
        return type == FrontendType.QUERY || type == FrontendType.PARSE || type == FrontendType.EXECUTE
                || type == FrontendType.FUNCTION_CALL;
    }

    private ByteBuf standIn(byte type, ByteBuf buf) {
        return switch (type) {
            case FrontendType.QUERY -> StandIns.query(buf.alloc());
            case FrontendType.PARSE -> StandIns.parse(buf.alloc(), statementName);
            case FrontendType.EXECUTE -> StandIns.execute(buf.alloc());
            default -> StandIns.functionCall(buf.alloc());
        };
    }

    /**
     * Holds a statement for approval: a copy of it waits, a placeholder takes its place among the held
     * messages, and nothing behind it moves (the client is not read) until approvers decide.
     */
    private ByteBuf park(byte type, ByteBuf buf, int bodyIndex, int bodyLength, StatementGate.Verdict verdict) {
        RelayedStatement described = RelayedStatement.of(type, buf, bodyIndex, bodyLength, session.inFlight());
        Optional<Grant> grant = described.single() ? parking.coveringGrant(verdict.decision()) : Optional.empty();
        if (grant.isPresent()) {
            pendingVerdict = verdict;
            pendingStatementSeq = recording.statement(described.path(), described.text(), described.parameters(), verdict,
                    grant.get().id());
            parking.recordUnderGrant(grant.get());
            forward.holdUntil(recording.durable());
            return null;
        }
        ByteBuf original = buf.copy(bodyIndex - ProtocolCodes.TYPED_HEADER_LENGTH, bodyLength + ProtocolCodes.TYPED_HEADER_LENGTH);
        try {
            ApprovalParking.ParkedStatement parked = parking.park(described.path(), described.text(),
                    described.parameters(), verdict, original, standIn(type, buf));
            pendingVerdict = verdict;
            pendingStatementSeq = parked.statementSeq;
            pendingPark = parked;
            forward.holdUntil(parked.released);
            return parked.placeholder;
        } catch (ApprovalException e) {
            StatementGate.Verdict refused = StatementGate.Verdict.refuse(
                    ApprovalParking.unavailable(verdict.decision(), e), verdict.decision());
            pendingVerdict = refused;
            pendingStatementSeq = record(type, buf, bodyIndex, bodyLength, refused);
            if (pendingStatementSeq != 0) {
                forward.holdUntil(recording.durable());
            }
            return standIn(type, buf);
        }
    }

    /** What a Query, Execute or FunctionCall runs, as recorded and shown to approvers. */
    /**
     * Holds a statement whose decision waits for the planner's row estimate. Reading stops after it
     * (later messages are decided, and recorded, only after this one) and the estimate's verdict
     * decides what takes its place.
     */
    private ByteBuf deferForEstimate(byte type, ByteBuf buf, int bodyIndex, int bodyLength, StatementGate.Verdict verdict) {
        RelayedStatement statement = RelayedStatement.of(type, buf, bodyIndex, bodyLength, session.inFlight());
        EstimatedDecision deferred = new EstimatedDecision(statement,
                buf.copy(bodyIndex - ProtocolCodes.TYPED_HEADER_LENGTH, bodyLength + ProtocolCodes.TYPED_HEADER_LENGTH),
                standIn(type, buf));
        pendingDeferred = deferred;
        pendingVerdict = null;
        pendingStatementSeq = 0;
        frames.pause();
        forward.holdUntil(deferred.released);
        estimator.estimate(session.target(), verdict.estimation().statement(),
                        ApprovalParking.asText(statement.parameters()), verdict.estimation().exact())
                .exceptionally(failure -> RowEstimate.UNAVAILABLE)
                .thenAccept(estimate -> session.client().eventLoop().execute(
                        () -> resolve(deferred, verdict.estimation().decide().apply(estimate), estimate)));
        return deferred.placeholder;
    }

    /** On the event loop: the estimate is in and the statement is decided; then reading goes on. */
    private void resolve(EstimatedDecision deferred, StatementGate.Verdict verdict, RowEstimate estimate) {
        if (session.closed() || !session.client().isActive()) {
            deferred.abandon();
            return;
        }
        deferred.decide(verdict, estimate, recording, forward, parking);
        frames.resume();
        ChannelHandlerContext ctx = session.client().pipeline().context(this);
        if (ctx != null) {
            readFrames(ctx, Unpooled.EMPTY_BUFFER);
        }
    }

    /** Records the statement a Query, Execute or FunctionCall runs (and a Parse refused outright). */
    private long record(byte type, ByteBuf buf, int bodyIndex, int bodyLength, StatementGate.Verdict verdict) {
        return switch (type) {
            case FrontendType.QUERY -> recording.statement(RecordBodies.ProtocolPath.SIMPLE, WireStrings.readCString(buf, bodyIndex, bodyLength),
                    List.of(), verdict);
            case FrontendType.EXECUTE -> {
                String portal = WireStrings.readCString(buf, bodyIndex, bodyLength);
                String sql = session.inFlight().portalSql(portal);
                yield recording.statement(RecordBodies.ProtocolPath.EXTENDED, sql == null ? "" : sql, session.inFlight().portalParameters(portal),
                        verdict);
            }
            case FrontendType.FUNCTION_CALL -> recording.statement(RecordBodies.ProtocolPath.FUNCTION_CALL,
                    "function OID " + Integer.toUnsignedLong(buf.getInt(bodyIndex)), List.of(), verdict);
            case FrontendType.PARSE -> verdict.refused()
                    ? recording.statement(RecordBodies.ProtocolPath.EXTENDED, parseSql, List.of(), verdict) : 0;
            default -> 0;
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
        if (type == FrontendType.COPY_DATA) {
            // COPY FROM STDIN: the data the client sends is evidence too, kept like result rows.
            InFlightOperation head = session.inFlight().head();
            if (head != null && head.capture() != null) {
                head.capture().onCopyData(buf, bodyIndex, bodyLength);
            }
        }
        session.inFlight().onFrontendMessage(type, buf, bodyIndex, bodyLength);
        if (pendingVerdict != null) {
            session.inFlight().applyToLast(pendingVerdict);
            if (pendingStatementSeq != 0) {
                session.inFlight().recordLast(pendingStatementSeq, recording.newCapture());
            }
            if (pendingPark != null) {
                pendingPark.attach(session.inFlight().last());
                pendingPark = null;
            }
            pendingVerdict = null;
            pendingStatementSeq = 0;
        } else if (pendingDeferred != null) {
            pendingDeferred.attach(session.inFlight().last());
            pendingDeferred = null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!forward.holding()) {
            session.upstream().flush();
        }
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
        forward.discard();
        if (parking != null) {
            parking.voidAll("the client disconnected");
        }
        if (session.upstream().isActive() && !terminated) {
            // The client vanished without Terminate; end the server session the polite way.
            session.upstream().writeAndFlush(FrontendMessages.terminate(ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        session.markClosed();
        registry.remove(session);
        recording.sessionEnd(session.endReason().orElse(terminated ? "client terminated the session" : "client disconnected"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("session {}: client connection failed: {}", session.id(), cause.toString());
        session.closeWith(null);
    }
}
