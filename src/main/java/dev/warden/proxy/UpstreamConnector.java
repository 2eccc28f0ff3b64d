package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the upstream connection on the client's own event loop (so both halves of a session share a
 * thread and need no locking), with auto-read off until the session is joined.
 */
final class UpstreamConnector {
    private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);

    private final GatewayContext context;

    UpstreamConnector(GatewayContext context) {
        this.context = context;
    }

    Promise<UpstreamConnection> connect(EventLoop loop, TargetConfig target, UpstreamCredential credential,
            Map<String, String> clientParameters) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        String password;
        try {
            password = credential.password().resolve();
        } catch (Exception e) {
            // The client's hint sends the operator to the gateway log, so the reason must be there.
            log.warn("target {}: credential {} is unavailable: {}", target.name(), credential.password(), e.getMessage());
            promise.setFailure(new UpstreamConnectException(
                    PgError.fatal(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                            "could not connect to target \"" + target.name() + "\": the gateway's credential for it is unavailable",
                            "An administrator must check the gateway log and the target's credential reference."),
                    "credential " + credential.password() + " for target " + target.name() + " is unavailable: " + e.getMessage()));
            return promise;
        }
        InetSocketAddress address = InetSocketAddress.createUnresolved(target.host(), target.port());
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, context.limits().connectTimeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(context.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, GatewayServer.WATER_MARK)
                .handler(new UpstreamStartupHandler(promise, target, credential.user(), password, clientParameters,
                        context.upstreamTls(target.name()), timeoutMillis, context.random()));
        ChannelFuture connected = bootstrap.connect(target.host(), target.port());
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                log.warn("target {}: connect to {}:{} failed: {}", target.name(), target.host(), target.port(),
                        future.cause().toString());
                promise.tryFailure(new UpstreamConnectException(
                        PgError.fatal(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                                "could not connect to target \"" + target.name() + "\": upstream server is unreachable",
                                "Retry later; if it persists, an administrator must check that the database is up."),
                        "connect to " + address + " failed: " + future.cause()));
            }
        });
        return promise;
    }
}
