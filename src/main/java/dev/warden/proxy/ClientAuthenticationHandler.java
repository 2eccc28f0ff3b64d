package dev.warden.proxy;

import dev.warden.identity.ScramVerifier;
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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication by SCRAM-SHA-256 between the client and the gateway, against the verifier of a
 * configured identity or of a stored service token ({@link CredentialLookupHandler} chose which).
 * Unknown names go through the same exchange with a made-up verifier, so neither the messages nor
 * their timing reveal which names exist. Only 'p' messages are legal here; anything else (a second
 * StartupMessage, a Query) is a protocol violation that closes the connection.
 */
final class ClientAuthenticationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationHandler.class);
    /** SASL messages are tiny; a JWT as a password later may be a few kilobytes. */
    static final int MAX_AUTHENTICATION_MESSAGE = 64 * 1024;

    private enum State { AWAIT_INITIAL_RESPONSE, AWAIT_FINAL_RESPONSE, CONNECTING_UPSTREAM, DONE }

    private final GatewayContext context;
    private final ScramVerifier verifier;
    private final Optional<AuthenticatedClient> onSuccess;
    private final LoginCompletion completion;
    private ScramServerExchange exchange;
    private final LoginMessageBuffer messages = new LoginMessageBuffer(MAX_AUTHENTICATION_MESSAGE);
    private State state = State.AWAIT_INITIAL_RESPONSE;

    /**
     * @param verifier the verifier to check the client's proof against (a decoy for unknown names)
     * @param onSuccess who the client is if the proof checks out; empty for a decoy, which must fail
     *     even if the proof happened to check out
     */
    ClientAuthenticationHandler(GatewayContext context, StartupPhaseHandler.ClientStartup startup, ScramVerifier verifier,
            Optional<AuthenticatedClient> onSuccess) {
        this.context = context;
        this.verifier = verifier;
        this.onSuccess = onSuccess;
        this.completion = new LoginCompletion(context, startup);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
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
                if (onSuccess.isEmpty()) {
                    throw new ScramException("unknown identity");
                }
                state = State.CONNECTING_UPSTREAM;
                ctx.write(BackendMessages.authenticationSaslFinal(ctx.alloc(), serverFinal));
                completion.authenticated(ctx, onSuccess.get());
            }
        } catch (ScramException e) {
            authenticationFailed(ctx, e.getMessage());
        }
    }

    private void authenticationFailed(ChannelHandlerContext ctx, String reason) {
        state = State.DONE;
        completion.failed(ctx, reason, Optional.empty());
    }

    private void fail(ChannelHandlerContext ctx, PgError error) {
        state = State.DONE;
        release();
        LoginCompletion.refuse(ctx, error);
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
