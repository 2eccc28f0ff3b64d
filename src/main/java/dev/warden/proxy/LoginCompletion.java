package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.identity.ServiceToken;
import dev.warden.identity.UpstreamAccess;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a login, whichever way the client proved itself: a failure answered after the
 * throttle's delay with the one message that reveals nothing, or a success checked against the
 * target (exists, has the credential, is within the service token's scope) and handed to
 * {@link SessionStarter}.
 */
final class LoginCompletion {
    private static final Logger log = LoggerFactory.getLogger(LoginCompletion.class);

    private final GatewayContext context;
    private final StartupPhaseHandler.ClientStartup startup;

    LoginCompletion(GatewayContext context, StartupPhaseHandler.ClientStartup startup) {
        this.context = context;
        this.startup = startup;
    }

    /**
     * A wrong or unverifiable password. The client learns only that authentication failed (plus,
     * for a genuine OIDC token, why its own token was not accepted); the log gets {@code reason}.
     */
    void failed(ChannelHandlerContext ctx, String reason, Optional<String> clientDetail) {
        ctx.channel().config().setAutoRead(false);
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        Duration delay = context.loginThrottle().recordFailure(remote.getAddress());
        log.warn("authentication failed for user \"{}\" from {}: {}{}", startup.user(), remote.getAddress().getHostAddress(),
                reason, delay.isZero() ? "" : " (answering after " + delay.toMillis() + " ms)");
        PgError error = new PgError(PgError.Severity.FATAL, SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + startup.user() + "\"", clientDetail.orElse(null), null);
        ctx.executor().schedule(() -> refuse(ctx, error), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void authenticated(ChannelHandlerContext ctx, AuthenticatedClient who) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        context.loginThrottle().recordSuccess(remote.getAddress());
        Optional<TargetConfig> target = context.target(startup.database());
        if (target.isEmpty()) {
            refuse(ctx, PgError.fatal(SqlState.INVALID_CATALOG_NAME, "database \"" + startup.database() + "\" does not exist",
                    "Warden serves the targets named in its configuration; ask for one of those."));
            return;
        }
        Optional<ServiceToken> token = who.serviceToken();
        if (token.isPresent() && !token.get().allowsTarget(target.get().name())) {
            log.warn("service token {} of {} used for target {} outside its scope", token.get().id(), token.get().name(),
                    target.get().name());
            refuse(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "the service token of \"" + who.identity().name() + "\" is not valid for target \""
                            + target.get().name() + "\"",
                    "It is valid for: " + String.join(", ", token.get().targets())
                            + ". Ask an administrator for a token with --target " + target.get().name() + "."));
            return;
        }
        if (who.identity().access() == UpstreamAccess.READ_WRITE && target.get().readWrite().isEmpty()) {
            refuse(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "identity \"" + who.identity().name() + "\" needs read-write access, but target \"" + target.get().name()
                            + "\" has no read_write credential",
                    "An administrator must add credentials.read_write to the target or change the identity's access."));
            return;
        }
        ctx.channel().config().setAutoRead(false);
        new SessionStarter(context, ctx.channel(), startup, who, target.get()).start();
    }

    /** Sends a final error and closes the connection. */
    static void refuse(ChannelHandlerContext ctx, PgError error) {
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(BackendMessages.errorResponse(ctx.alloc(), error)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
