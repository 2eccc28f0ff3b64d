package dev.warden.proxy;

import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceToken;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import dev.warden.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how the client must prove who it is, by its user name (docs/decisions.md, 21):
 * <ol>
 *   <li>a configured identity with a verifier: SCRAM-SHA-256 against it;
 *   <li>a usable service token of that name in the store: SCRAM-SHA-256 against its verifier;
 *   <li>otherwise, when {@code oidc:} is configured: an access token as the password (over TLS);
 *   <li>otherwise: SCRAM-SHA-256 against a decoy, failing like a wrong token.
 * </ol>
 * The store is asked on a worker thread, never on the event loop; the client sends nothing until it
 * is asked for a password, so anything that arrives meanwhile is kept for the next handler, which
 * treats it as the protocol says.
 */
final class CredentialLookupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(CredentialLookupHandler.class);

    private final GatewayContext context;
    private final StartupPhaseHandler.ClientStartup startup;
    private CompositeByteBuf early;

    CredentialLookupHandler(GatewayContext context, StartupPhaseHandler.ClientStartup startup) {
        this.context = context;
        this.startup = startup;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Optional<Identity> configured = context.identity(startup.user());
        if (configured.isPresent()) {
            Optional<ScramVerifier> verifier = configured.get().verifier();
            if (verifier.isPresent()) {
                proceed(ctx, new ClientAuthenticationHandler(context, startup, verifier.get(),
                        Optional.of(AuthenticatedClient.configured(configured.get()))));
            } else {
                // Configured without a verifier only when oidc: is (the loader checks).
                proceed(ctx, new AccessTokenAuthenticationHandler(context, startup));
            }
            return;
        }
        ctx.channel().config().setAutoRead(false);
        try {
            context.authenticationWorkers().execute(() -> {
                try {
                    Optional<ServiceToken> token = context.serviceTokens().findUsable(startup.user());
                    ctx.executor().execute(() -> onLookup(ctx, token));
                } catch (StoreException | RuntimeException e) {
                    log.error("cannot look up service tokens for a login from {}: {}", ctx.channel().remoteAddress(),
                            e.getMessage());
                    ctx.executor().execute(() -> unavailable(ctx));
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("too many logins waiting; refusing one from {}", ctx.channel().remoteAddress());
            release();
            LoginCompletion.refuse(ctx, PgError.fatal(SqlState.TOO_MANY_CONNECTIONS,
                    "too many logins are in progress at this gateway", "Retry in a moment."));
        }
    }

    private void onLookup(ChannelHandlerContext ctx, Optional<ServiceToken> token) {
        if (!ctx.channel().isActive()) {
            release();
            return;
        }
        if (token.isPresent()) {
            proceed(ctx, new ClientAuthenticationHandler(context, startup, token.get().verifier(),
                    Optional.of(AuthenticatedClient.withServiceToken(token.get()))));
        } else if (context.accessTokens().isPresent()) {
            proceed(ctx, new AccessTokenAuthenticationHandler(context, startup));
        } else {
            proceed(ctx, new ClientAuthenticationHandler(context, startup, context.decoyVerifier(startup.user()),
                    Optional.empty()));
        }
    }

    private void unavailable(ChannelHandlerContext ctx) {
        release();
        // Said to every name that is not configured, so it reveals nothing about which exist.
        LoginCompletion.refuse(ctx, PgError.fatal(SqlState.CONNECTION_FAILURE,
                "Warden cannot check credentials right now: its store is unavailable",
                "Retry later; an administrator must check the gateway's store."));
    }

    private void proceed(ChannelHandlerContext ctx, ChannelInboundHandlerAdapter next) {
        ByteBuf pending = early;
        early = null;
        ctx.pipeline().replace(this, "authentication", next);
        ctx.channel().config().setAutoRead(true);
        if (pending != null) {
            // A replaced context forwards to its replacement, so this reaches {@code next}.
            ctx.fireChannelRead(pending);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (early == null) {
            early = ctx.alloc().compositeBuffer();
        }
        if (early.readableBytes() + in.readableBytes() > ClientAuthenticationHandler.MAX_AUTHENTICATION_MESSAGE) {
            in.release();
            release();
            LoginCompletion.refuse(ctx, PgError.fatal(SqlState.PROTOCOL_VIOLATION,
                    "unexpected data before the server asked for a password"));
            return;
        }
        early.addComponent(true, in);
    }

    private void release() {
        if (early != null) {
            early.release();
            early = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("connection from {} failed before authentication: {}", ctx.channel().remoteAddress(), cause.toString());
        release();
        ctx.close();
    }
}
