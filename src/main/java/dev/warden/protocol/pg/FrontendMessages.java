package dev.warden.protocol.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encoders for the client-to-server messages Warden sends upstream on its own behalf. */
public final class FrontendMessages {
    private FrontendMessages() {}

    public static ByteBuf sslRequest(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(8);
        buf.writeInt(8);
        buf.writeInt(ProtocolCodes.SSL_REQUEST_CODE);
        return buf;
    }

    public static ByteBuf startupMessage(ByteBufAllocator alloc, Map<String, String> parameters) {
        ByteBuf buf = alloc.buffer();
        buf.writeInt(0);
        buf.writeInt(ProtocolCodes.PROTOCOL_3_0);
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            WireStrings.writeCString(buf, entry.getKey());
            WireStrings.writeCString(buf, entry.getValue());
        }
        buf.writeByte(0);
        buf.setInt(0, buf.writerIndex());
        return buf;
    }

    public static ByteBuf cancelRequest(ByteBufAllocator alloc, int processId, int secretKey) {
        ByteBuf buf = alloc.buffer(16);
        buf.writeInt(16);
        buf.writeInt(ProtocolCodes.CANCEL_REQUEST_CODE);
        buf.writeInt(processId);
        buf.writeInt(secretKey);
        return buf;
    }

    public static ByteBuf passwordMessage(ByteBufAllocator alloc, String password) {
        ByteBuf buf = alloc.buffer();
        int start = BackendMessages.beginMessage(buf, FrontendType.AUTHENTICATION_RESPONSE);
        WireStrings.writeCString(buf, password);
        return BackendMessages.endMessage(buf, start);
    }

    public static ByteBuf saslInitialResponse(ByteBufAllocator alloc, String mechanism, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer();
        int start = BackendMessages.beginMessage(buf, FrontendType.AUTHENTICATION_RESPONSE);
        WireStrings.writeCString(buf, mechanism);
        buf.writeInt(bytes.length);
        buf.writeBytes(bytes);
        return BackendMessages.endMessage(buf, start);
    }

    public static ByteBuf saslResponse(ByteBufAllocator alloc, String data) {
        ByteBuf buf = alloc.buffer();
        int start = BackendMessages.beginMessage(buf, FrontendType.AUTHENTICATION_RESPONSE);
        buf.writeCharSequence(data, StandardCharsets.UTF_8);
        return BackendMessages.endMessage(buf, start);
    }

    public static ByteBuf terminate(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(5);
        buf.writeByte(FrontendType.TERMINATE);
        buf.writeInt(4);
        return buf;
    }
}
