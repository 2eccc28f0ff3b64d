package dev.warden.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/** Encoders for the server-to-client messages Warden originates itself. */
public final class BackendMessages {
    private BackendMessages() {}

    public static ByteBuf authenticationOk(ByteBufAllocator alloc) {
        return authentication(alloc, BackendType.AUTH_OK, null);
    }

    public static ByteBuf authenticationSasl(ByteBufAllocator alloc, List<String> mechanisms) {
        ByteBuf buf = alloc.buffer();
        int start = beginMessage(buf, BackendType.AUTHENTICATION);
        buf.writeInt(BackendType.AUTH_SASL);
        for (String mechanism : mechanisms) {
            WireStrings.writeCString(buf, mechanism);
        }
        buf.writeByte(0);
        return endMessage(buf, start);
    }

    public static ByteBuf authenticationSaslContinue(ByteBufAllocator alloc, byte[] data) {
        return authentication(alloc, BackendType.AUTH_SASL_CONTINUE, data);
    }

    public static ByteBuf authenticationSaslFinal(ByteBufAllocator alloc, byte[] data) {
        return authentication(alloc, BackendType.AUTH_SASL_FINAL, data);
    }

    public static ByteBuf authenticationCleartextPassword(ByteBufAllocator alloc) {
        return authentication(alloc, BackendType.AUTH_CLEARTEXT_PASSWORD, null);
    }

    private static ByteBuf authentication(ByteBufAllocator alloc, int code, byte[] data) {
        ByteBuf buf = alloc.buffer(9 + (data == null ? 0 : data.length));
        int start = beginMessage(buf, BackendType.AUTHENTICATION);
        buf.writeInt(code);
        if (data != null) {
            buf.writeBytes(data);
        }
        return endMessage(buf, start);
    }

    public static ByteBuf parameterStatus(ByteBufAllocator alloc, String name, String value) {
        ByteBuf buf = alloc.buffer();
        int start = beginMessage(buf, BackendType.PARAMETER_STATUS);
        WireStrings.writeCString(buf, name);
        WireStrings.writeCString(buf, value);
        return endMessage(buf, start);
    }

    public static ByteBuf backendKeyData(ByteBufAllocator alloc, int processId, int secretKey) {
        ByteBuf buf = alloc.buffer(13);
        buf.writeByte(BackendType.BACKEND_KEY_DATA);
        buf.writeInt(12);
        buf.writeInt(processId);
        buf.writeInt(secretKey);
        return buf;
    }

    public static ByteBuf readyForQuery(ByteBufAllocator alloc, byte transactionStatus) {
        ByteBuf buf = alloc.buffer(6);
        buf.writeByte(BackendType.READY_FOR_QUERY);
        buf.writeInt(5);
        buf.writeByte(transactionStatus);
        return buf;
    }

    /** NegotiateProtocolVersion: the newest minor version we speak and the options we ignored. */
    public static ByteBuf negotiateProtocolVersion(ByteBufAllocator alloc, int newestMinor, List<String> unrecognized) {
        ByteBuf buf = alloc.buffer();
        int start = beginMessage(buf, BackendType.NEGOTIATE_PROTOCOL_VERSION);
        buf.writeInt(newestMinor);
        buf.writeInt(unrecognized.size());
        for (String option : unrecognized) {
            WireStrings.writeCString(buf, option);
        }
        return endMessage(buf, start);
    }

    public static ByteBuf errorResponse(ByteBufAllocator alloc, PgError error) {
        byte type = switch (error.severity()) {
            case ERROR, FATAL -> BackendType.ERROR_RESPONSE;
            case NOTICE, WARNING -> BackendType.NOTICE_RESPONSE;
        };
        ByteBuf buf = alloc.buffer();
        int start = beginMessage(buf, type);
        writeField(buf, 'S', error.severity().name());
        writeField(buf, 'V', error.severity().name());
        writeField(buf, 'C', error.sqlState().code());
        writeField(buf, 'M', error.message());
        if (error.detail() != null) {
            writeField(buf, 'D', error.detail());
        }
        if (error.hint() != null) {
            writeField(buf, 'H', error.hint());
        }
        buf.writeByte(0);
        return endMessage(buf, start);
    }

    private static void writeField(ByteBuf buf, char code, String value) {
        buf.writeByte(code);
        WireStrings.writeCString(buf, value);
    }

    /** Writes the type byte and a length placeholder; returns the placeholder's index. */
    static int beginMessage(ByteBuf buf, byte type) {
        buf.writeByte(type);
        int lengthIndex = buf.writerIndex();
        buf.writeInt(0);
        return lengthIndex;
    }

    static ByteBuf endMessage(ByteBuf buf, int lengthIndex) {
        buf.setInt(lengthIndex, buf.writerIndex() - lengthIndex);
        return buf;
    }
}
