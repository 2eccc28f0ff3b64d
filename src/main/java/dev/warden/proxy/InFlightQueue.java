package dev.warden.proxy;

import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlates pipelined frontend messages with the backend messages that answer them, so every
 * RowDescription, DataRow, CommandComplete, PortalSuspended and ErrorResponse can be tied to the
 * statement and portal that produced it (protocol.html, "Extended Query" and "Pipelining").
 *
 * <p>Responses arrive in request order, so a FIFO suffices. After an ErrorResponse in the extended
 * protocol the server discards every message up to the next Sync, so those leave the queue unanswered.
 * The queue is bounded: a client that pipelines more than {@code maxInFlight} messages without reading
 * a single answer is cut off, because its answers would have to be buffered somewhere.
 */
public final class InFlightQueue {
    private static final Logger log = LoggerFactory.getLogger(InFlightQueue.class);

    private final ArrayDeque<InFlightOperation> queue = new ArrayDeque<>();
    private final Map<String, Prepared> statements = new HashMap<>();

    /** A parsed statement: its text and the parameter type OIDs the client declared (0 = unspecified). */
    record Prepared(String sql, int[] parameterTypes) {}
    private final Map<String, Portal> portals = new HashMap<>();

    /** A bound portal: the statement text behind it and the parameter values it was bound with. */
    record Portal(String sql, List<BoundParameter> parameters) {}
    private final int maxInFlight;
    private byte transactionStatus = 'I';
    private boolean desynchronised;

    public InFlightQueue(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Observes one complete frontend message; the body excludes the type byte and length word. */
    public void onFrontendMessage(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
        switch (type) {
            case FrontendType.QUERY -> add(InFlightOperation.Kind.SIMPLE_QUERY, null, WireStrings.readCString(buf, bodyIndex, bodyLength));
            case FrontendType.PARSE -> onParse(buf.slice(bodyIndex, bodyLength));
            case FrontendType.BIND -> onBind(buf.slice(bodyIndex, bodyLength));
            case FrontendType.DESCRIBE -> onDescribeOrClose(buf.slice(bodyIndex, bodyLength), true);
            case FrontendType.CLOSE -> onDescribeOrClose(buf.slice(bodyIndex, bodyLength), false);
            case FrontendType.EXECUTE -> {
                String portal = WireStrings.readCString(buf, bodyIndex, bodyLength);
                add(InFlightOperation.Kind.EXECUTE, portal, portalSql(portal));
            }
            case FrontendType.SYNC -> add(InFlightOperation.Kind.SYNC, null, null);
            case FrontendType.FUNCTION_CALL -> add(InFlightOperation.Kind.FUNCTION_CALL, null, null);
            case FrontendType.FLUSH, FrontendType.COPY_DATA, FrontendType.COPY_DONE, FrontendType.COPY_FAIL,
                    FrontendType.TERMINATE -> {
                // No response of their own.
            }
            default -> throw new ProtocolException(String.format("invalid frontend message type %d", type & 0xFF));
        }
    }

    private void onParse(ByteBuf body) {
        String name = WireStrings.readCString(body);
        String sql = WireStrings.readCString(body);
        // The server replaces the unnamed statement on Parse; a named one is an error if it exists,
        // and then the mapping below is simply what the client asked for, which is what ran before.
        statements.put(name, new Prepared(sql, parameterTypes(body)));
        add(InFlightOperation.Kind.PARSE, name, sql);
    }

    private void onBind(ByteBuf body) {
        String portal = WireStrings.readCString(body);
        String statement = WireStrings.readCString(body);
        Prepared prepared = statements.get(statement);
        String sql = prepared == null ? null : prepared.sql();
        portals.put(portal, new Portal(sql, parameters(body, prepared == null ? new int[0] : prepared.parameterTypes())));
        add(InFlightOperation.Kind.BIND, portal, sql);
        queue.peekLast().bound(statement, resultFormats(body));
    }

    /** The result format codes that end a Bind body (read after the parameters). */
    private static short[] resultFormats(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw new ProtocolException("malformed Bind message");
        }
        int count = body.readUnsignedShort();
        if (body.readableBytes() < 2L * count) {
            throw new ProtocolException("malformed Bind message");
        }
        short[] formats = new short[count];
        for (int i = 0; i < count; i++) {
            formats[i] = body.readShort();
        }
        return formats;
    }

    private String statementSql(String name) {
        Prepared prepared = statements.get(name);
        return prepared == null ? null : prepared.sql();
    }

    /** The parameter type OIDs that follow the text in a Parse body. */
    private static int[] parameterTypes(ByteBuf body) {
        if (body.readableBytes() < 2) {
            return new int[0];
        }
        int count = body.readUnsignedShort();
        if (body.readableBytes() < 4L * count) {
            throw new ProtocolException("malformed Parse message");
        }
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        return types;
    }

    /** The parameter values of a Bind body positioned after the two names. */
    private static List<BoundParameter> parameters(ByteBuf body, int[] types) {
        try {
            int formatCount = body.readUnsignedShort();
            int[] formats = new int[formatCount];
            for (int i = 0; i < formatCount; i++) {
                formats[i] = body.readShort();
            }
            int count = body.readUnsignedShort();
            List<BoundParameter> parameters = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int format = formatCount == 0 ? 0 : formatCount == 1 ? formats[0] : i < formatCount ? formats[i] : 0;
                int length = body.readInt();
                byte[] value = null;
                if (length >= 0) {
                    value = new byte[length];
                    body.readBytes(value);
                }
                parameters.add(new BoundParameter(i < types.length ? types[i] : 0, format, value));
            }
            return parameters;
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("malformed Bind message");
        }
    }

    private void onDescribeOrClose(ByteBuf body, boolean describe) {
        if (!body.isReadable()) {
            throw new ProtocolException("Describe/Close message without a target");
        }
        byte target = body.readByte();
        String name = WireStrings.readCString(body);
        boolean statement = target == 'S';
        if (!statement && target != 'P') {
            throw new ProtocolException("invalid Describe/Close target '" + (char) target + "'");
        }
        String sql = statement ? statementSql(name) : portalSql(name);
        InFlightOperation.Kind kind = describe
                ? (statement ? InFlightOperation.Kind.DESCRIBE_STATEMENT : InFlightOperation.Kind.DESCRIBE_PORTAL)
                : (statement ? InFlightOperation.Kind.CLOSE_STATEMENT : InFlightOperation.Kind.CLOSE_PORTAL);
        if (!describe) {
            // The server forgets the object as soon as it processes Close; so do we.
            (statement ? statements : portals).remove(name);
        }
        add(kind, name, sql);
    }

    private void add(InFlightOperation.Kind kind, String name, String sql) {
        if (queue.size() >= maxInFlight) {
            throw new ProtocolException("more than " + maxInFlight + " pipelined messages await a response");
        }
        queue.addLast(new InFlightOperation(kind, name, sql));
    }

    /**
     * Observes one backend message. {@code buf} holds the body only for ReadyForQuery (the others do
     * not need it yet) and may be null otherwise.
     */
    public void onBackendMessage(byte type, ByteBuf buf, int bodyIndex) {
        switch (type) {
            case BackendType.PARSE_COMPLETE, BackendType.BIND_COMPLETE, BackendType.CLOSE_COMPLETE,
                    BackendType.NO_DATA -> complete();
            case BackendType.ROW_DESCRIPTION -> onRowDescription();
            case BackendType.DATA_ROW -> {
                InFlightOperation head = queue.peekFirst();
                if (head != null) {
                    head.countRow();
                }
            }
            case BackendType.COMMAND_COMPLETE, BackendType.EMPTY_QUERY_RESPONSE, BackendType.PORTAL_SUSPENDED -> {
                InFlightOperation head = queue.peekFirst();
                if (head == null) {
                    return;
                }
                if (type == BackendType.COMMAND_COMPLETE) {
                    head.statementCompleted();
                }
                if (head.kind() == InFlightOperation.Kind.EXECUTE) {
                    queue.pollFirst();
                }
            }
            case BackendType.ERROR_RESPONSE -> onError();
            case BackendType.READY_FOR_QUERY -> onReadyForQuery(buf.getByte(bodyIndex));
            default -> {
                // ParameterDescription precedes the RowDescription/NoData that ends a Describe;
                // Copy*, FunctionCallResponse belong to the head; Notice, Notification and
                // ParameterStatus are asynchronous.
            }
        }
    }

    private void onRowDescription() {
        InFlightOperation head = queue.peekFirst();
        if (head == null) {
            return;
        }
        head.markDescribed();
        if (head.kind() == InFlightOperation.Kind.DESCRIBE_STATEMENT
                || head.kind() == InFlightOperation.Kind.DESCRIBE_PORTAL) {
            queue.pollFirst();
        }
    }

    private void complete() {
        if (queue.pollFirst() == null) {
            noteDesynchronised("a completion message arrived with nothing in flight");
        }
    }

    private void onError() {
        InFlightOperation head = queue.peekFirst();
        if (head == null || head.endsAtReadyForQuery()) {
            return;
        }
        // Extended protocol: the server skips everything up to Sync, which will answer with ReadyForQuery.
        while (!queue.isEmpty() && !queue.peekFirst().endsAtReadyForQuery()) {
            queue.pollFirst();
        }
    }

    private void onReadyForQuery(byte status) {
        transactionStatus = status;
        while (!queue.isEmpty()) {
            InFlightOperation operation = queue.pollFirst();
            if (operation.endsAtReadyForQuery()) {
                break;
            }
        }
        if (status == 'I' && queue.isEmpty()) {
            // Outside a transaction no protocol portal survives, and nothing pipelined can have bound
            // a new one: forgetting them here keeps this map bounded.
            portals.clear();
        }
    }

    private void noteDesynchronised(String what) {
        if (!desynchronised) {
            desynchronised = true;
            log.warn("in-flight tracking lost step: {}", what);
        }
    }

    /** The text of the statement behind a portal, as Bind recorded it; null when unknown. */
    public String portalSql(String portal) {
        Portal bound = portals.get(portal);
        return bound == null ? null : bound.sql();
    }

    /** The parameters a portal was bound with; empty when unknown. */
    public List<BoundParameter> portalParameters(String portal) {
        Portal bound = portals.get(portal);
        return bound == null ? List.of() : bound.parameters();
    }

    /** Attaches the gate's verdict to the operation just added. */
    void applyToLast(StatementGate.Verdict verdict) {
        InFlightOperation last = queue.peekLast();
        if (last == null) {
            throw new IllegalStateException("nothing in flight to attach a verdict to");
        }
        last.apply(verdict);
    }

    /** Ties the operation just added to its STATEMENT record. */
    void recordLast(long statementSeq, ResultCapture capture) {
        InFlightOperation last = queue.peekLast();
        if (last == null) {
            throw new IllegalStateException("nothing in flight to record");
        }
        last.recordedAs(statementSeq, capture, System.nanoTime());
    }

    /** The operation added last, or null when nothing is in flight. */
    InFlightOperation last() {
        return queue.peekLast();
    }

    /** The operation the next backend result belongs to, or null when nothing is in flight. */
    public InFlightOperation head() {
        return queue.peekFirst();
    }

    public int size() {
        return queue.size();
    }

    public boolean isIdle() {
        return queue.isEmpty() && transactionStatus == 'I';
    }

    /** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
    public byte transactionStatus() {
        return transactionStatus;
    }
}
