package dev.warden.proxy;

import java.net.InetSocketAddress;

/**
 * The BackendKeyData Warden gave a client, and the upstream backend's key it stands for. The client
 * never sees the upstream key: it would let anyone who learns it cancel queries on the server directly.
 */
record CancelKey(int processId, int secretKey, InetSocketAddress upstreamAddress, int upstreamProcessId,
        int upstreamSecretKey) {}
