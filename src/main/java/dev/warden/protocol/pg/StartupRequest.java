package dev.warden.protocol.pg;

import java.util.List;
import java.util.Map;

/** The untyped packets a client may send before authentication. */
public sealed interface StartupRequest {

    record SslRequest() implements StartupRequest {}

    record GssEncryptionRequest() implements StartupRequest {}

    record CancelRequest(int processId, int secretKey) implements StartupRequest {}

    /**
     * @param protocolVersion major in the high 16 bits, minor in the low
     * @param parameters in the order the client sent them
     * @param protocolOptions {@code _pq_.*} options, which a server must ignore and report back
     */
    record StartupMessage(int protocolVersion, Map<String, String> parameters, List<String> protocolOptions)
            implements StartupRequest {
        public int majorVersion() {
            return protocolVersion >>> 16;
        }

        public int minorVersion() {
            return protocolVersion & 0xFFFF;
        }
    }
}
