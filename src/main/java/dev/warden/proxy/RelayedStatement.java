package dev.warden.proxy;

import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.WireStrings;
import dev.warden.recording.RecordBodies;
import dev.warden.sql.SqlLexException;
import dev.warden.sql.StatementSplitter;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * What a Query, Execute or FunctionCall message runs, as it is recorded and shown to approvers.
 *
 * @param type the message type
 * @param text the SQL (the portal's statement for an Execute; empty when unknown)
 * @param parameters the portal's bound parameters for an Execute, else none
 */
record RelayedStatement(byte type, RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters) {

    static RelayedStatement of(byte type, ByteBuf buf, int bodyIndex, int bodyLength, InFlightQueue inFlight) {
        return switch (type) {
            case FrontendType.QUERY -> new RelayedStatement(type, RecordBodies.ProtocolPath.SIMPLE,
                    WireStrings.readCString(buf, bodyIndex, bodyLength), List.of());
            case FrontendType.EXECUTE -> {
                String portal = WireStrings.readCString(buf, bodyIndex, bodyLength);
                String sql = inFlight.portalSql(portal);
                yield new RelayedStatement(type, RecordBodies.ProtocolPath.EXTENDED, sql == null ? "" : sql,
                        inFlight.portalParameters(portal));
            }
            default -> new RelayedStatement(type, RecordBodies.ProtocolPath.FUNCTION_CALL,
                    "function OID " + Integer.toUnsignedLong(buf.getInt(bodyIndex)), List.of());
        };
    }

    /**
     * Whether the message runs exactly one statement. A grant covers the rule that named the
     * decision; a Query of several statements may hold others under other rules.
     */
    boolean single() {
        if (type != FrontendType.QUERY) {
            return true;
        }
        try {
            return StatementSplitter.split(text).size() == 1;
        } catch (SqlLexException e) {
            return false;
        }
    }
}
