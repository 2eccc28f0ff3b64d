package dev.warden.proxy;

import dev.warden.protocol.pg.FrontendMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a client's CancelRequest (carrying the gateway-issued key) into a CancelRequest with the
 * upstream backend's real key, sent on a new connection as the protocol prescribes. Like PostgreSQL
 * it never answers the requester, whether or not the key matched.
 */
final class CancelForwarder {
    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);

    private final CancelRegistry registry;
    private final Transport transport;
    private final int connectTimeoutMillis;

    CancelForwarder(CancelRegistry registry, Transport transport, int connectTimeoutMillis) {
        this.registry = registry;
        this.transport = transport;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    void forward(EventLoop loop, int processId, int secretKey) {
        registry.find(processId, secretKey).ifPresentOrElse(key -> send(loop, key),
                () -> log.info("cancel request with an unknown key ignored"));
    }

    private void send(EventLoop loop, CancelKey key) {
        new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(FrontendMessages.cancelRequest(ctx.alloc(), key.upstreamProcessId(),
                                key.upstreamSecretKey())).addListener(ChannelFutureListener.CLOSE);
                    }
                })
                .connect(key.upstreamAddress().getHostString(), key.upstreamAddress().getPort())
                .addListener(done -> {
                    if (!done.isSuccess()) {
                        log.warn("could not forward cancel request to {}: {}", key.upstreamAddress(), done.cause().toString());
                    }
                });
    }
}
