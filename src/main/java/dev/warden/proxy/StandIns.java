package dev.warden.proxy;

import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the gateway sends the server in place of a refused message: a message that fails at once,
 * harmlessly and in the same way the refused one would have failed. The server therefore ends up
 * in exactly the state PostgreSQL semantics give the client after an error (an open transaction
 * becomes aborted, the rest of an extended-protocol pipeline is skipped until Sync), and its
 * ErrorResponse, replaced by the gateway's own, keeps the response stream in order.
 */
final class StandIns {
    /** A syntax error at the first word; a DBA reading the server log sees who refused it. */
    static final String REFUSED_QUERY = "WARDEN REFUSED THIS STATEMENT";
    /** No client can create a portal with this name through Warden: it holds a control byte. */
    static final String REFUSED_PORTAL = "\u0001warden refused this statement";

    private StandIns() {}

    /** The stand-in for a Query, Execute or FunctionCall. */
    static ByteBuf of(byte type, ByteBufAllocator alloc) {
        return switch (type) {
            case FrontendType.QUERY -> query(alloc);
            case FrontendType.EXECUTE -> execute(alloc);
            case FrontendType.FUNCTION_CALL -> functionCall(alloc);
            default -> throw new IllegalArgumentException("no stand-in for message type " + (char) type);
        };
    }

    static ByteBuf query(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        buf.writeByte(FrontendType.QUERY);
        buf.writeInt(0);
        WireStrings.writeCString(buf, REFUSED_QUERY);
        return buf.setInt(1, buf.writerIndex() - 1);
    }

    /** Parse of the refused-statement text under the client's statement name: 42601, skip to Sync. */
    static ByteBuf parse(ByteBufAllocator alloc, String statementName) {
        ByteBuf buf = alloc.buffer();
        buf.writeByte(FrontendType.PARSE);
        buf.writeInt(0);
        WireStrings.writeCString(buf, statementName);
        WireStrings.writeCString(buf, REFUSED_QUERY);
        buf.writeShort(0);
        return buf.setInt(1, buf.writerIndex() - 1);
    }

    /** Execute of a portal that does not exist: 34000, then the server skips to Sync. */
    static ByteBuf execute(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        buf.writeByte(FrontendType.EXECUTE);
        buf.writeInt(0);
        WireStrings.writeCString(buf, REFUSED_PORTAL);
        buf.writeInt(0);
        return buf.setInt(1, buf.writerIndex() - 1);
    }

    /** FunctionCall of OID 0, which never exists: 42883. */
    static ByteBuf functionCall(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(15);
        buf.writeByte(FrontendType.FUNCTION_CALL);
        buf.writeInt(14);
        buf.writeInt(0); // function OID
        buf.writeShort(0); // argument format codes
        buf.writeShort(0); // arguments
        buf.writeShort(0); // result format: text
        return buf;
    }
}
