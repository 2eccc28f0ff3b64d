package dev.warden.proxy;

import dev.warden.config.OidcConfig;
import dev.warden.identity.AccessTokenVerifier;
import dev.warden.identity.AuthenticationMethod;
import dev.warden.identity.Identity;
import dev.warden.identity.InvalidAccessTokenException;
import dev.warden.identity.VerifiedAccessToken;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication with an OIDC access token sent as the password (AuthenticationCleartextPassword).
 * The token is a bearer credential, so it is asked for only over TLS (or, when explicitly enabled for
 * development, from loopback); otherwise the client is told to use TLS and never invited to send it.
 * Verification may fetch keys over HTTP, so it runs on a worker thread.
 *
 * <p>The token is never logged, recorded or echoed; only the identity it names is.
 */
final class AccessTokenAuthenticationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AccessTokenAuthenticationHandler.class);

    private enum State { AWAIT_PASSWORD, VERIFYING, DONE }

    private final GatewayContext context;
    private final StartupPhaseHandler.ClientStartup startup;
    private final OidcConfig oidc;
    private final AccessTokenVerifier verifier;
    private final LoginCompletion completion;
    private final LoginMessageBuffer messages =
            new LoginMessageBuffer(ClientAuthenticationHandler.MAX_AUTHENTICATION_MESSAGE);
    private State state = State.AWAIT_PASSWORD;

    AccessTokenAuthenticationHandler(GatewayContext context, StartupPhaseHandler.ClientStartup startup) {
        this.context = context;
        this.startup = startup;
        this.oidc = context.config().oidc().orElseThrow(() -> new IllegalStateException("oidc: is not configured"));
        this.verifier = context.accessTokens().orElseThrow(() -> new IllegalStateException("oidc: is not configured"));
        this.completion = new LoginCompletion(context, startup);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!startup.tls() && !(oidc.allowLoopbackWithoutTls() && fromLoopback(ctx))) {
            state = State.DONE;
            log.info("refused to ask {} for an access token without TLS", ctx.channel().remoteAddress());
            LoginCompletion.refuse(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "Warden accepts an access token as the password only over TLS",
                    "Connect with sslmode=require (or verify-full); the listener must have tls enabled."));
            return;
        }
        ctx.writeAndFlush(BackendMessages.authenticationCleartextPassword(ctx.alloc()));
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state != State.AWAIT_PASSWORD) {
            // After the password the client must wait for our answer; whatever comes is dropped.
            ((ByteBuf) msg).release();
            if (state == State.VERIFYING) {
                fail(ctx, PgError.fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message during authentication"));
            }
            return;
        }
        messages.append(ctx.alloc(), (ByteBuf) msg);
        try {
            int type = messages.peekType();
            if (type == -1) {
                return;
            }
            if (type != FrontendType.AUTHENTICATION_RESPONSE) {
                throw new ProtocolException(String.format("expected password response, got message type %d", type & 0xFF));
            }
            LoginMessageBuffer.Message message = messages.next();
            if (message == null) {
                return;
            }
            String token = readPassword(message.body());
            if (messages.isReadable()) {
                throw new ProtocolException("unexpected message during authentication");
            }
            verify(ctx, token);
        } catch (ProtocolException e) {
            log.info("client {} broke the protocol during authentication: {}", ctx.channel().remoteAddress(), e.getMessage());
            fail(ctx, PgError.fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage()));
        } finally {
            messages.releaseIfDrained();
        }
    }

    private static String readPassword(ByteBuf body) {
        String password = WireStrings.readCString(body);
        if (body.isReadable()) {
            throw new ProtocolException("malformed password message");
        }
        return password;
    }

    private void verify(ChannelHandlerContext ctx, String token) {
        state = State.VERIFYING;
        ctx.channel().config().setAutoRead(false);
        try {
            context.authenticationWorkers().execute(() -> {
                try {
                    VerifiedAccessToken verified = verifier.verify(token);
                    ctx.executor().execute(() -> onVerified(ctx, verified));
                } catch (InvalidAccessTokenException e) {
                    ctx.executor().execute(() -> onRejected(ctx, e));
                } catch (RuntimeException e) {
                    log.error("access token check failed unexpectedly: {}", e.toString());
                    ctx.executor().execute(() -> fail(ctx, PgError.fatal(SqlState.INTERNAL_ERROR,
                            "Warden could not check the access token")));
                }
            });
        } catch (RejectedExecutionException e) {
            fail(ctx, PgError.fatal(SqlState.TOO_MANY_CONNECTIONS, "too many logins are in progress at this gateway",
                    "Retry in a moment."));
        }
    }

    private void onRejected(ChannelHandlerContext ctx, InvalidAccessTokenException e) {
        if (state != State.VERIFYING || !ctx.channel().isActive()) {
            return;
        }
        state = State.DONE;
        if (e.issuerUnavailable()) {
            // The issuer, not the client, is at fault: say so, without counting it against the client.
            log.error("cannot check access tokens: {}", e.getMessage());
            LoginCompletion.refuse(ctx, PgError.fatal(SqlState.CONNECTION_FAILURE,
                    "Warden cannot check access tokens right now: the identity provider is unreachable",
                    "Retry later; an administrator must check the gateway's oidc: issuer."));
            return;
        }
        completion.failed(ctx, e.getMessage(), e.clientReason());
    }

    private void onVerified(ChannelHandlerContext ctx, VerifiedAccessToken token) {
        if (state != State.VERIFYING || !ctx.channel().isActive()) {
            return;
        }
        state = State.DONE;
        if (!oidc.userMatches(startup.user(), token.identity())) {
            log.warn("access token of {} presented for user \"{}\" from {}", token.identity(), startup.user(),
                    ctx.channel().remoteAddress());
            LoginCompletion.refuse(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "user \"" + startup.user() + "\" does not match the access token's identity \"" + token.identity() + "\"",
                    "Connect as user " + token.identity() + ", or ask an administrator for an alias under oidc.aliases."));
            return;
        }
        completion.authenticated(ctx, new AuthenticatedClient(identityOf(token), AuthenticationMethod.OIDC,
                Optional.empty()));
    }

    /**
     * The token's identity, with the groups and access the configuration gives it (if it lists the
     * identity) added to those of the token: configured groups cannot be shed by a token.
     */
    private Identity identityOf(VerifiedAccessToken token) {
        Optional<Identity> configured = context.identity(token.identity());
        Set<String> groups = new LinkedHashSet<>(token.groups());
        configured.ifPresent(identity -> groups.addAll(identity.groups()));
        return new Identity(token.identity(), Optional.empty(), List.copyOf(groups),
                configured.map(Identity::access).orElse(oidc.access()));
    }

    private void fail(ChannelHandlerContext ctx, PgError error) {
        state = State.DONE;
        messages.release();
        LoginCompletion.refuse(ctx, error);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        messages.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("connection from {} failed during authentication: {}", ctx.channel().remoteAddress(), cause.toString());
        messages.release();
        ctx.close();
    }
}
