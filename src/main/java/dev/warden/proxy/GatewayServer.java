package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ListenerConfig;
import dev.warden.config.WardenConfig;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.warden.catalog.RowEstimator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL-facing gateway: one server socket per configured listener, each connection
 * starting in {@link StartupPhaseHandler}. Both halves of a session run on one event loop thread.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
    private static final AttributeKey<ScheduledFuture<?>> AUTHENTICATION_DEADLINE =
            AttributeKey.valueOf("warden.authenticationDeadline");

    private final GatewayContext context;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Channel> serverChannels = new ArrayList<>();

    /**
     * @param gates decides every statement of every session (the policy)
     * @param recording where every session is recorded
     */
    public GatewayServer(WardenConfig config, StatementGates gates, RecordingSetup recording) {
        this(config, gates, recording, Optional.empty());
    }

    /** @param approvals where statements needing approval are held; empty: they are refused */
    public GatewayServer(WardenConfig config, StatementGates gates, RecordingSetup recording,
            Optional<ApprovalSetup> approvals) {
        this(config, gates, recording, approvals, Optional.empty());
    }

    /** @param estimator asks the targets' planners when a decision waits for a row estimate */
    public GatewayServer(WardenConfig config, StatementGates gates, RecordingSetup recording,
            Optional<ApprovalSetup> approvals, Optional<RowEstimator> estimator) {
        Transport transport = Transport.best();
        this.context = new GatewayContext(requireNonNull(config, "config is null"), transport, gates, recording, approvals,
                estimator);
        this.acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        this.workers = new MultiThreadIoEventLoopGroup(ioThreads(), transport.ioHandlerFactory());
    }

    /**
     * One event loop per core: each session is pinned to one loop, and more loops than cores only
     * adds context switches on a box the database and its clients share.
     */
    static int ioThreads() {
        return Integer.getInteger("warden.ioThreads", Runtime.getRuntime().availableProcessors());
    }

    /** The configuration the gateway started with. */
    public WardenConfig config() {
        return context.config();
    }

    /** Identities from a reloaded warden.yaml: they apply to logins from now on; live sessions go on. */
    public void replaceIdentities(java.util.Map<String, dev.warden.identity.Identity> identities) {
        context.replaceIdentities(identities);
    }

    /** Binds every listener; on failure nothing stays bound. */
    public void start() throws InterruptedException {
        try {
            context.serviceTokenSessions().start();
            for (ListenerConfig listener : context.config().listeners()) {
                SslContext tls = TlsContexts.forListener(listener);
                Channel channel = new ServerBootstrap()
                        .group(acceptors, workers)
                        .channel(context.transport().serverChannel())
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.SO_KEEPALIVE, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                startAuthenticationDeadline(channel);
                                channel.pipeline().addLast("startup", new StartupPhaseHandler(context, listener, tls));
                            }
                        })
                        .bind(listener.host(), listener.port())
                        .sync()
                        .channel();
                serverChannels.add(channel);
                log.info("listening on {} (tls {}, transport {})", channel.localAddress(),
                        listener.tls().name().toLowerCase(java.util.Locale.ROOT), context.transport().name());
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** The bound addresses, in listener order (useful with port 0). */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Channel channel : serverChannels) {
            addresses.add((InetSocketAddress) channel.localAddress());
        }
        return addresses;
    }

    public SessionRegistry sessions() {
        return context.sessions();
    }

    private void startAuthenticationDeadline(Channel channel) {
        long millis = context.limits().authenticationTimeout().toMillis();
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            if (channel.isActive()) {
                log.info("connection from {} did not authenticate in time", channel.remoteAddress());
                channel.writeAndFlush(BackendMessages.errorResponse(channel.alloc(),
                        PgError.fatal(SqlState.QUERY_CANCELED, "canceling authentication due to timeout")))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }, millis, TimeUnit.MILLISECONDS);
        channel.attr(AUTHENTICATION_DEADLINE).set(deadline);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }

    static void cancelAuthenticationDeadline(Channel channel) {
        ScheduledFuture<?> deadline = channel.attr(AUTHENTICATION_DEADLINE).getAndSet(null);
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /**
     * Graceful shutdown: stop accepting, let sessions finish what is in flight (up to the grace
     * period), then end the rest with 57P01 as PostgreSQL does.
     */
    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        serverChannels.clear();
        SessionRegistry sessions = context.sessions();
        sessions.drainAll();
        long deadline = System.nanoTime() + context.limits().shutdownGracePeriod().toNanos();
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        sessions.closeAll();
        context.serviceTokenSessions().close();
        context.authenticationWorkers().shutdownNow();
        // Bounded: a stop must end even if an event loop does not (seen from a JVM shutdown hook).
        awaitTermination("acceptor", acceptors.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS));
        awaitTermination("worker", workers.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS));
    }

    private static void awaitTermination(String what, io.netty.util.concurrent.Future<?> termination) {
        if (!termination.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            log.warn("{} event loops did not stop within 10 s; stopping anyway", what);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
