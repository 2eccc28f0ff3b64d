package dev.warden.proxy;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An upstream connection that has authenticated and reached its first ReadyForQuery.
 *
 * @param parameters every ParameterStatus the server sent during startup, in order, to be replayed
 *     to the client unchanged (Warden never invents server parameters)
 */
record UpstreamConnection(Channel channel, InetSocketAddress address, Map<String, String> parameters,
        int processId, int secretKey, byte transactionStatus) {}
