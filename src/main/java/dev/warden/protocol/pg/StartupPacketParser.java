package dev.warden.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses one complete startup packet (its length word already consumed). */
public final class StartupPacketParser {
    private StartupPacketParser() {}

    /**
     * @param body the packet after its int32 length: the request code and what follows
     * @throws ProtocolException for anything malformed
     */
    public static StartupRequest parse(ByteBuf body) {
        if (body.readableBytes() < 4) {
            throw new ProtocolException("invalid startup packet layout: too short");
        }
        int code = body.readInt();
        switch (code) {
            case ProtocolCodes.SSL_REQUEST_CODE:
                requireEnd(body, "SSLRequest");
                return new StartupRequest.SslRequest();
            case ProtocolCodes.GSSENC_REQUEST_CODE:
                requireEnd(body, "GSSENCRequest");
                return new StartupRequest.GssEncryptionRequest();
            case ProtocolCodes.CANCEL_REQUEST_CODE:
                // Protocol 3.2 allows longer cancel keys; 3.0 clients send exactly 8 bytes.
                if (body.readableBytes() != 8) {
                    throw new ProtocolException("invalid CancelRequest length");
                }
                return new StartupRequest.CancelRequest(body.readInt(), body.readInt());
            default:
                return parseStartupMessage(code, body);
        }
    }

    private static StartupRequest parseStartupMessage(int version, ByteBuf body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> protocolOptions = new ArrayList<>();
        while (true) {
            if (!body.isReadable()) {
                throw new ProtocolException("invalid startup packet layout: expected terminator as last byte");
            }
            String name = WireStrings.readCString(body);
            if (name.isEmpty()) {
                break;
            }
            String value = WireStrings.readCString(body);
            if (name.startsWith("_pq_.")) {
                protocolOptions.add(name);
            } else if (parameters.putIfAbsent(name, value) != null) {
                throw new ProtocolException("duplicate startup parameter \"" + name + "\"");
            }
        }
        requireEnd(body, "StartupMessage");
        return new StartupRequest.StartupMessage(version, parameters, protocolOptions);
    }

    private static void requireEnd(ByteBuf body, String what) {
        if (body.isReadable()) {
            throw new ProtocolException("invalid " + what + " length");
        }
    }
}
