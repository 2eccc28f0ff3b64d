package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.ErrorFields;
import dev.warden.protocol.pg.FrontendMessages;
import dev.warden.protocol.pg.Md5Password;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.ScramClientExchange;
import dev.warden.protocol.pg.ScramException;
import dev.warden.protocol.pg.ScramPrimitives;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to the upstream server with the held credential: optional TLS, StartupMessage, then
 * SCRAM-SHA-256, MD5 or cleartext as the server asks, until the first ReadyForQuery. Whatever goes
 * wrong, the client sees a generic 08001 that never contains the credential or the server's own
 * login error text (which names roles); the details go to the gateway log.
 */
final class UpstreamStartupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(UpstreamStartupHandler.class);
    private static final int MAX_STARTUP_MESSAGE = 1024 * 1024;

    private final Promise<UpstreamConnection> promise;
    private final TargetConfig target;
    private final String user;
    private final String password;
    private final Map<String, String> clientParameters;
    private final SslContext sslContext;
    private final int timeoutMillis;
    private final SecureRandom random;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final LoginMessageBuffer messages = new LoginMessageBuffer(MAX_STARTUP_MESSAGE);
    private boolean awaitingTlsAnswer;
    private ScramClientExchange scram;
    private int processId;
    private int secretKey;
    private ScheduledFuture<?> timeout;

    UpstreamStartupHandler(Promise<UpstreamConnection> promise, TargetConfig target, String user, String password,
            Map<String, String> clientParameters, SslContext sslContext, int timeoutMillis, SecureRandom random) {
        this.promise = promise;
        this.target = target;
        this.user = user;
        this.password = password;
        this.clientParameters = clientParameters;
        this.sslContext = sslContext;
        this.timeoutMillis = timeoutMillis;
        this.random = random;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, "timed out after " + timeoutMillis + " ms waiting for the upstream login",
                SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "upstream server did not complete the login in time"),
                timeoutMillis, TimeUnit.MILLISECONDS);
        if (sslContext != null) {
            awaitingTlsAnswer = true;
            ctx.writeAndFlush(FrontendMessages.sslRequest(ctx.alloc()));
        } else {
            sendStartup(ctx);
        }
        ctx.fireChannelActive();
    }

    private void sendStartup(ChannelHandlerContext ctx) {
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", user);
        startup.put("database", target.database());
        startup.putAll(clientParameters);
        ctx.writeAndFlush(FrontendMessages.startupMessage(ctx.alloc(), startup));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messages.append(ctx.alloc(), (ByteBuf) msg);
        try {
            if (awaitingTlsAnswer) {
                onTlsAnswer(ctx);
            }
            while (!promise.isDone()) {
                LoginMessageBuffer.Message message = messages.next();
                if (message == null) {
                    break;
                }
                onMessage(ctx, message.type(), message.body());
            }
        } catch (ProtocolException | ScramException e) {
            fail(ctx, e.getMessage(), SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "upstream login failed");
        } finally {
            messages.releaseIfDrained();
        }
    }

    private void onTlsAnswer(ChannelHandlerContext ctx) {
        int answer = messages.readByte();
        if (answer == -1) {
            return;
        }
        awaitingTlsAnswer = false;
        if (answer != 'S') {
            throw new ProtocolException("upstream server refused TLS (answered '" + (char) answer + "')");
        }
        if (messages.isReadable()) {
            // Same injection risk as on the client side (CVE-2021-23222 class).
            throw new ProtocolException("upstream sent unencrypted data after accepting TLS");
        }
        SslHandler ssl = sslContext.newHandler(ctx.alloc(), target.host(), target.port());
        if (target.tls() == dev.warden.config.UpstreamTlsMode.VERIFY_FULL) {
            SSLParameters sslParameters = ssl.engine().getSSLParameters();
            sslParameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.engine().setSSLParameters(sslParameters);
        }
        ctx.pipeline().addFirst("upstream-tls", ssl);
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                sendStartup(ctx);
            } else {
                fail(ctx, "TLS handshake with upstream failed: " + done.cause(),
                        SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "TLS handshake with the upstream server failed");
            }
        });
    }

    private void onMessage(ChannelHandlerContext ctx, byte type, ByteBuf body) {
        switch (type) {
            case BackendType.AUTHENTICATION -> onAuthentication(ctx, body);
            case BackendType.PARAMETER_STATUS -> parameters.put(WireStrings.readCString(body), WireStrings.readCString(body));
            case BackendType.BACKEND_KEY_DATA -> {
                processId = body.readInt();
                secretKey = body.readInt();
            }
            case BackendType.READY_FOR_QUERY -> succeed(ctx, body.readByte());
            case BackendType.ERROR_RESPONSE -> onError(ctx, body);
            case BackendType.NOTICE_RESPONSE, BackendType.NEGOTIATE_PROTOCOL_VERSION -> {
                // Nothing to act on: we ask for protocol 3.0 without options.
            }
            default -> throw new ProtocolException("unexpected message '" + (char) type + "' during upstream login");
        }
    }

    private void onAuthentication(ChannelHandlerContext ctx, ByteBuf body) {
        int code = body.readInt();
        switch (code) {
            case BackendType.AUTH_OK -> {
                // ParameterStatus, BackendKeyData and ReadyForQuery follow.
            }
            case BackendType.AUTH_CLEARTEXT_PASSWORD -> ctx.writeAndFlush(FrontendMessages.passwordMessage(ctx.alloc(), password));
            case BackendType.AUTH_MD5_PASSWORD -> {
                byte[] salt = ByteBufUtil.getBytes(body, body.readerIndex(), 4);
                ctx.writeAndFlush(FrontendMessages.passwordMessage(ctx.alloc(), Md5Password.response(user, password, salt)));
            }
            case BackendType.AUTH_SASL -> {
                List<String> mechanisms = new ArrayList<>();
                for (String m = WireStrings.readCString(body); !m.isEmpty(); m = WireStrings.readCString(body)) {
                    mechanisms.add(m);
                }
                if (!mechanisms.contains(ScramPrimitives.MECHANISM)) {
                    throw new ProtocolException("upstream offers no supported SASL mechanism: " + mechanisms);
                }
                scram = new ScramClientExchange(password, random);
                ctx.writeAndFlush(FrontendMessages.saslInitialResponse(ctx.alloc(), ScramPrimitives.MECHANISM,
                        scram.clientFirstMessage()));
            }
            case BackendType.AUTH_SASL_CONTINUE -> {
                requireScram();
                ctx.writeAndFlush(FrontendMessages.saslResponse(ctx.alloc(), scram.clientFinalMessage(ByteBufUtil.getBytes(body))));
            }
            case BackendType.AUTH_SASL_FINAL -> {
                requireScram();
                scram.verifyServerFinal(ByteBufUtil.getBytes(body));
            }
            default -> throw new ProtocolException("upstream asks for an unsupported authentication method (code " + code + ")");
        }
    }

    private void requireScram() {
        if (scram == null) {
            throw new ProtocolException("upstream sent a SASL message out of order");
        }
    }

    private void onError(ChannelHandlerContext ctx, ByteBuf body) {
        ErrorFields fields = ErrorFields.read(body);
        String sqlState = fields.sqlState();
        String message = fields.message();
        String logMessage = "upstream refused the login: " + sqlState + " " + message;
        // Resource and operator conditions (53xxx too many connections, 57P03 starting up) are worth
        // passing on, clients retry on them; anything else (28xxx, 3D000 ...) is the gateway's problem.
        if (sqlState != null && (sqlState.startsWith("53") || sqlState.startsWith("57")) && message != null) {
            SqlState state = sqlState.startsWith("53") ? SqlState.TOO_MANY_CONNECTIONS : SqlState.CONNECTION_FAILURE;
            fail(ctx, logMessage, state, "upstream server is not accepting connections: " + message);
            return;
        }
        fail(ctx, logMessage, SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "the upstream server refused the gateway's login");
    }

    private void succeed(ChannelHandlerContext ctx, byte transactionStatus) {
        cancelTimeout();
        InetSocketAddress address = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!promise.trySuccess(new UpstreamConnection(ctx.channel(), address, parameters, processId, secretKey,
                transactionStatus))) {
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String logMessage, SqlState state, String clientReason) {
        cancelTimeout();
        release();
        PgError error = PgError.fatal(state, "could not connect to target \"" + target.name() + "\": " + clientReason,
                "Retry later; if it persists, an administrator must check the gateway log for this target.");
        if (promise.tryFailure(new UpstreamConnectException(error, logMessage))) {
            log.warn("target {}: {}", target.name(), logMessage);
        }
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
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
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!promise.isDone()) {
            fail(ctx, "upstream closed the connection during login", SqlState.CONNECTION_FAILURE,
                    "upstream server closed the connection during login");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "upstream connection failed during login: " + cause, SqlState.CONNECTION_FAILURE,
                "the connection to the upstream server failed");
    }
}
