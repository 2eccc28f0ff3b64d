package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.UpstreamAccess;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.FrontendType;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.ScramException;
import dev.warden.protocol.pg.ScramPrimitives;
import dev.warden.protocol.pg.ScramServerExchange;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second phase: SCRAM-SHA-256 between the client and the gateway, against the identity's verifier.
 * Unknown identities go through the same exchange with a made-up verifier, so neither the messages
 * nor their timing reveal which names exist. Only 'p' messages are legal here; anything else (a
 * second StartupMessage, a Query) is a protocol violation that closes the connection.
 *
 * <p>OIDC access tokens will arrive as a cleartext PasswordMessage over TLS; that is a second
 * exchange chosen per identity in {@link #handlerAdded}, the rest of this phase stays as it is.
 */
final class ClientAuthenticationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationHandler.class);
    /** SASL messages are tiny; a JWT as a password later may be a few kilobytes. */
    static final int MAX_AUTHENTICATION_MESSAGE = 64 * 1024;

    private enum State { AWAIT_INITIAL_RESPONSE, AWAIT_FINAL_RESPONSE, CONNECTING_UPSTREAM, DONE }

    private final GatewayContext context;
    private final StartupPhaseHandler.ClientStartup startup;
    private final Optional<Identity> identity;
    private ScramServerExchange exchange;
    private final LoginMessageBuffer messages = new LoginMessageBuffer(MAX_AUTHENTICATION_MESSAGE);
    private State state = State.AWAIT_INITIAL_RESPONSE;

    ClientAuthenticationHandler(GatewayContext context, StartupPhaseHandler.ClientStartup startup) {
        this.context = context;
        this.startup = startup;
        this.identity = context.identity(startup.user());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ScramVerifier verifier = identity.flatMap(Identity::verifier).orElseGet(() -> context.decoyVerifier(startup.user()));
        exchange = new ScramServerExchange(verifier.iterations(), verifier.salt(), verifier.storedKey(),
                verifier.serverKey(), context.random());
        ctx.writeAndFlush(BackendMessages.authenticationSasl(ctx.alloc(), List.of(ScramPrimitives.MECHANISM)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messages.append(ctx.alloc(), (ByteBuf) msg);
        try {
            while (state == State.AWAIT_INITIAL_RESPONSE || state == State.AWAIT_FINAL_RESPONSE) {
                int type = messages.peekType();
                if (type == -1) {
                    return;
                }
                if (type != FrontendType.AUTHENTICATION_RESPONSE) {
                    throw new ProtocolException(String.format("expected SASL response, got message type %d", type & 0xFF));
                }
                LoginMessageBuffer.Message message = messages.next();
                if (message == null) {
                    return;
                }
                onAuthenticationMessage(ctx, message.body());
            }
            if (messages.isReadable()) {
                // The client must wait for AuthenticationOk before sending anything else.
                throw new ProtocolException("unexpected message during authentication");
            }
        } catch (ProtocolException e) {
            log.info("client {} broke the protocol during authentication: {}", ctx.channel().remoteAddress(), e.getMessage());
            fail(ctx, PgError.fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage()));
        } finally {
            messages.releaseIfDrained();
        }
    }

    private void onAuthenticationMessage(ChannelHandlerContext ctx, ByteBuf body) {
        try {
            if (state == State.AWAIT_INITIAL_RESPONSE) {
                String mechanism = WireStrings.readCString(body);
                if (!mechanism.equals(ScramPrimitives.MECHANISM)) {
                    throw new ProtocolException("client selected an invalid SASL authentication mechanism");
                }
                if (body.readableBytes() < 4) {
                    throw new ProtocolException("malformed SASLInitialResponse");
                }
                int dataLength = body.readInt();
                if (dataLength < 0 || dataLength != body.readableBytes()) {
                    throw new ProtocolException("malformed SASLInitialResponse");
                }
                byte[] serverFirst = exchange.handleClientFirst(ByteBufUtil.getBytes(body));
                state = State.AWAIT_FINAL_RESPONSE;
                ctx.writeAndFlush(BackendMessages.authenticationSaslContinue(ctx.alloc(), serverFirst));
            } else {
                byte[] serverFinal = exchange.handleClientFinal(ByteBufUtil.getBytes(body));
                if (identity.isEmpty()) {
                    throw new ScramException("unknown identity");
                }
                state = State.CONNECTING_UPSTREAM;
                ctx.write(BackendMessages.authenticationSaslFinal(ctx.alloc(), serverFinal));
                onAuthenticated(ctx, identity.get());
            }
        } catch (ScramException e) {
            authenticationFailed(ctx, e.getMessage());
        }
    }

    private void authenticationFailed(ChannelHandlerContext ctx, String reason) {
        state = State.DONE;
        ctx.channel().config().setAutoRead(false);
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        Duration delay = context.loginThrottle().recordFailure(remote.getAddress());
        log.warn("authentication failed for user \"{}\" from {}: {}{}", startup.user(), remote.getAddress().getHostAddress(),
                reason, delay.isZero() ? "" : " (answering after " + delay.toMillis() + " ms)");
        PgError error = PgError.fatal(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + startup.user() + "\"");
        ctx.executor().schedule(() -> fail(ctx, error), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onAuthenticated(ChannelHandlerContext ctx, Identity who) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        context.loginThrottle().recordSuccess(remote.getAddress());
        Optional<TargetConfig> target = context.target(startup.database());
        if (target.isEmpty()) {
            fail(ctx, PgError.fatal(SqlState.INVALID_CATALOG_NAME, "database \"" + startup.database() + "\" does not exist",
                    "Warden serves the targets named in its configuration; ask for one of those."));
            return;
        }
        if (who.access() == UpstreamAccess.READ_WRITE && target.get().readWrite().isEmpty()) {
            fail(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "identity \"" + who.name() + "\" needs read-write access, but target \"" + target.get().name()
                            + "\" has no read_write credential",
                    "An administrator must add credentials.read_write to the target or change the identity's access."));
            return;
        }
        ctx.channel().config().setAutoRead(false);
        new SessionStarter(context, ctx.channel(), startup, who, target.get()).start();
    }

    private void fail(ChannelHandlerContext ctx, PgError error) {
        state = State.DONE;
        release();
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(BackendMessages.errorResponse(ctx.alloc(), error)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void release() {
        messages.release();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("connection from {} failed during authentication: {}", ctx.channel().remoteAddress(), cause.toString());
        release();
        ctx.close();
    }
}
