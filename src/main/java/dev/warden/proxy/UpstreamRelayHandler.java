package dev.warden.proxy;

import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.ErrorFields;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import dev.warden.recording.RecordBodies;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
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

    /** Recorded characters waiting for the store beyond which the server is not read from. */
    private static final int MAX_RECORDING_BACKLOG = 4 * 1024 * 1024;

    private final SessionRecording recording;
    private boolean pausedForRecording;

    /** For a connection that runs one statement and is closed: told at its ReadyForQuery; null for the session's own. */
    private final Runnable oneStatementDone;
    private boolean oneStatementFinished;
    /** Null when results pass unmasked (no policy). */
    private final ResultMasking masking;

    UpstreamRelayHandler(Session session, StatementGate gate, SessionRecording recording) {
        this(session, gate, recording, null, null);
    }

    /**
     * @param oneStatementDone when not null, this relays a connection of its own that runs one
     *     statement (an approved write with the writer credential): called at its ReadyForQuery,
     *     and the connection closing after that is expected
     * @param masking what the session masks in results, or null when nothing is masked
     */
    UpstreamRelayHandler(Session session, StatementGate gate, SessionRecording recording, Runnable oneStatementDone,
            ResultMasking masking) {
        this.oneStatementDone = oneStatementDone;
        this.session = session;
        this.masking = masking;
        this.gate = gate;
        this.recording = recording;
        this.forward = buf -> session.client().write(buf, session.client().voidPromise());
    }

    /** Warden's own messages (approval notices) waiting for the server's stream to reach a message boundary. */
    private final ArrayDeque<ByteBuf> inserts = new ArrayDeque<>();

    /**
     * Sends the client a message of Warden's own between two of the server's messages, never inside
     * one: at once when the stream is at a boundary, else as soon as it reaches one.
     */
    void sendBetweenMessages(ByteBuf message) {
        if (inserts.isEmpty() && scanner.atMessageBoundary()) {
            session.client().writeAndFlush(message, session.client().voidPromise());
        } else {
            inserts.addLast(message);
        }
    }

    private void flushInserts() {
        if (inserts.isEmpty() || !scanner.atMessageBoundary()) {
            return;
        }
        while (!inserts.isEmpty()) {
            session.client().write(inserts.pollFirst(), session.client().voidPromise());
        }
        session.client().flush();
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
        } catch (ResultMasking.MaskingRefusal e) {
            // Mid-result there is no error the client could continue from: end the session, send nothing unmasked.
            log.warn("session {}: masking failed, ending the session: {}", session.id(), e.getMessage());
            session.closeWith(PgError.fatal(SqlState.INTERNAL_ERROR,
                    "Warden could not mask a result, so the session ends without sending it",
                    "Ask an administrator to look at the gateway log; the statement may use a format masking does not read."));
            return;
        }
        flushInserts();
        if (sawReadyForQuery) {
            sawReadyForQuery = false;
            if (session.draining() && session.inFlight().isIdle()) {
                session.client().flush();
                session.closeWith(SessionRegistry.SHUTDOWN_ERROR);
            }
        }
    }

    /** Bodies the recording needs: the result's shape, rows up to the cap, how statements ended. */
    @Override
    public boolean wantsBody(byte type, int bodyLength) {
        InFlightOperation head = session.inFlight().head();
        boolean recorded = head != null && head.capture() != null;
        return switch (type) {
            case BackendType.READY_FOR_QUERY, BackendType.PARAMETER_STATUS -> true;
            case BackendType.ROW_DESCRIPTION, BackendType.COMMAND_COMPLETE, BackendType.ERROR_RESPONSE -> recorded;
            case BackendType.DATA_ROW, BackendType.COPY_DATA -> recorded && head.capture().wants(bodyLength);
            default -> false;
        } || (masking != null && masking.wantsBody(type));
    }

    @Override
    public boolean holdsForRewrite(byte type, int bodyLength) {
        return masking != null && masking.holds(type, bodyLength, session.inFlight().head());
    }

    @Override
    public ByteBuf rewrite(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
        return masking.rewrite(type, body, bodyIndex, bodyLength, session.inFlight().head(), session.client().alloc());
    }

    @Override
    public void onBackendMessage(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
        lastWasError = type == BackendType.ERROR_RESPONSE;
        if (type == BackendType.PARAMETER_STATUS) {
            ByteBuf parameter = body.slice(bodyIndex, bodyLength);
            recording.parameterChanged(WireStrings.readCString(parameter), WireStrings.readCString(parameter));
        }
        InFlightOperation head = session.inFlight().head();
        if (type == BackendType.ROW_DESCRIPTION && head != null) {
            onRowDescription(head, body, bodyIndex);
        } else if (masking != null) {
            masking.observe(type, body, bodyIndex, head);
        }
        if (head != null && head.capture() != null) {
            record(head, type, body, bodyIndex, bodyLength);
        }
        session.inFlight().onBackendMessage(type, body, bodyIndex);
        if (type == BackendType.READY_FOR_QUERY) {
            sawReadyForQuery = true;
            gate.onReadyForQuery(body.getByte(bodyIndex));
            if (oneStatementDone != null && !oneStatementFinished) {
                oneStatementFinished = true;
                oneStatementDone.run();
            }
        }
    }

    /** A RowDescription, parsed once: masking plans from it, the session record names its columns from it. */
    private void onRowDescription(InFlightOperation head, ByteBuf body, int bodyIndex) {
        boolean recorded = head.capture() != null;
        if (masking == null && !recorded) {
            return;
        }
        ResultDescriptions.Described described = ResultDescriptions.parse(body, bodyIndex);
        if (masking != null) {
            masking.onRowDescription(described, head);
        }
        if (recorded) {
            head.capture().describedAs(described.recorded());
        }
    }

    /** What the client saw, into the session record (before the in-flight queue moves on). */
    private void record(InFlightOperation head, byte type, ByteBuf body, int bodyIndex, int bodyLength) {
        if (masking != null && (type == BackendType.ROW_DESCRIPTION || type == BackendType.DATA_ROW
                || type == BackendType.COPY_OUT_RESPONSE)) {
            head.capture().masking(masking.note(head));
        }
        switch (type) {
            case BackendType.DATA_ROW -> {
                if (!head.capture().described() && masking != null) {
                    List<RecordBodies.Column> earlier = masking.recordedColumns(head);
                    if (earlier != null) {
                        head.capture().describedAs(earlier);
                    }
                }
                head.capture().onDataRow(body, bodyIndex, bodyLength);
            }
            case BackendType.COPY_DATA -> head.capture().onCopyData(body, bodyIndex, bodyLength);
            case BackendType.COMMAND_COMPLETE -> recording.completed(head, WireStrings.readCString(body, bodyIndex, bodyLength));
            case BackendType.ERROR_RESPONSE -> {
                if (head.refusal() != null) {
                    recording.failed(head, head.refusal().sqlState().code(), head.refusal().message());
                } else {
                    ErrorFields fields = ErrorFields.read(body.slice(bodyIndex, bodyLength));
                    recording.failed(head, fields.sqlState(), fields.message());
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.client().flush();
        if (!pausedForRecording && recording.backlog() > MAX_RECORDING_BACKLOG) {
            // A slow store slows the session instead of losing records or growing without bound.
            pausedForRecording = true;
            ctx.channel().config().setAutoRead(false);
            recording.durable().whenComplete((ignored, failure) -> ctx.executor().execute(() -> {
                pausedForRecording = false;
                ctx.channel().config().setAutoRead(session.client().isWritable());
            }));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The server drains slowly (e.g. a big COPY FROM STDIN): stop reading the client meanwhile.
        // (Not for a one-statement connection: the client is parked behind it and must stay so.)
        if (oneStatementDone == null) {
            session.client().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        scanner.release();
        while (!inserts.isEmpty()) {
            inserts.pollFirst().release();
        }
        if (oneStatementDone != null) {
            if (!oneStatementFinished) {
                log.warn("session {}: the writer connection closed before its statement finished (last message an error: {})",
                        session.id(), lastWasError);
            }
            ctx.fireChannelInactive();
            return;
        }
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
