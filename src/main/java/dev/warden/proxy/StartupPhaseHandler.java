package dev.warden.proxy;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.ListenerConfig;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolCodes;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.protocol.pg.StartupPacketParser;
import dev.warden.protocol.pg.StartupRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First phase of a client connection: the untyped startup packets. Handles SSLRequest (TLS when the
 * listener offers it), GSSENCRequest (always declined), CancelRequest and the StartupMessage, then
 * hands over to {@link CredentialLookupHandler}.
 */
final class StartupPhaseHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StartupPhaseHandler.class);
    private static final byte TLS_ACCEPTED = 'S';
    private static final byte DECLINED = 'N';

    private final GatewayContext context;
    private final ListenerConfig listener;
    private final SslContext sslContext;
    private ByteBuf cumulation = Unpooled.EMPTY_BUFFER;
    private boolean tlsNegotiated;
    private boolean encryptionRequested;

    StartupPhaseHandler(GatewayContext context, ListenerConfig listener, SslContext sslContext) {
        this.context = context;
        this.listener = listener;
        this.sslContext = sslContext;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, (ByteBuf) msg);
        try {
            while (ctx.channel().isActive() && ctx.pipeline().get(StartupPhaseHandler.class) == this) {
                if (cumulation.readableBytes() < 4) {
                    return;
                }
                int length = cumulation.getInt(cumulation.readerIndex());
                if (length < 8 || length > ProtocolCodes.MAX_STARTUP_PACKET_LENGTH) {
                    throw new ProtocolException("invalid length of startup packet");
                }
                if (cumulation.readableBytes() < length) {
                    return;
                }
                cumulation.skipBytes(4);
                ByteBuf body = cumulation.readSlice(length - 4);
                handle(ctx, StartupPacketParser.parse(body));
            }
        } catch (ProtocolException e) {
            log.info("connection from {} rejected: {}", ctx.channel().remoteAddress(), e.getMessage());
            reject(ctx, PgError.fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage()));
        }
    }

    private void handle(ChannelHandlerContext ctx, StartupRequest request) {
        if (request instanceof StartupRequest.SslRequest) {
            onSslRequest(ctx);
        } else if (request instanceof StartupRequest.GssEncryptionRequest) {
            onGssRequest(ctx);
        } else if (request instanceof StartupRequest.CancelRequest cancel) {
            onCancel(ctx, cancel);
        } else if (request instanceof StartupRequest.StartupMessage startup) {
            onStartup(ctx, startup);
        }
    }

    private void onSslRequest(ChannelHandlerContext ctx) {
        if (encryptionRequested) {
            throw new ProtocolException("SSLRequest sent twice");
        }
        encryptionRequested = true;
        if (sslContext == null) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(DECLINED));
            return;
        }
        // Bytes after the SSLRequest but before the handshake were not protected by TLS: a
        // man-in-the-middle could have injected them (CVE-2021-23214 / CVE-2021-3935 class).
        if (cumulation.isReadable()) {
            throw new ProtocolException("received unencrypted data after SSL request");
        }
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(TLS_ACCEPTED));
        SslHandler ssl = sslContext.newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", ssl);
        tlsNegotiated = true;
    }

    private void onGssRequest(ChannelHandlerContext ctx) {
        if (encryptionRequested) {
            throw new ProtocolException("GSSENCRequest after encryption negotiation");
        }
        encryptionRequested = true;
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(DECLINED));
    }

    private void onCancel(ChannelHandlerContext ctx, StartupRequest.CancelRequest cancel) {
        context.cancelForwarder().forward(ctx.channel().eventLoop(), cancel.processId(), cancel.secretKey());
        // A statement held for approval is not running on the server: cancelling it is Warden's job.
        context.cancelRegistry().find(cancel.processId(), cancel.secretKey())
                .ifPresent(key -> context.sessions().cancelled(key));
        // PostgreSQL answers a cancel request with nothing: just close.
        release();
        ctx.close();
    }

    private void onStartup(ChannelHandlerContext ctx, StartupRequest.StartupMessage startup) {
        if (startup.majorVersion() != 3) {
            reject(ctx, PgError.fatal(SqlState.FEATURE_NOT_SUPPORTED, String.format(
                    "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0",
                    startup.majorVersion(), startup.minorVersion())));
            return;
        }
        if (listener.tls() == ClientTlsMode.REQUIRED && !tlsNegotiated) {
            reject(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "this Warden listener requires TLS", "Connect with sslmode=require (or verify-full)."));
            return;
        }
        String user = startup.parameters().get("user");
        if (user == null || user.isEmpty()) {
            reject(ctx, PgError.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet"));
            return;
        }
        StartupParameters.Filtered filtered = StartupParameters.filter(startup.parameters());
        if (filtered.refusal().isPresent()) {
            reject(ctx, PgError.fatal(SqlState.INSUFFICIENT_PRIVILEGE, filtered.refusal().get(),
                    "Remove it from the connection settings. Allowed: " + StartupParameters.allowedList() + "."));
            return;
        }
        if (startup.minorVersion() > 0 || !startup.protocolOptions().isEmpty()) {
            // Like PostgreSQL: offer 3.0 and list the _pq_ options we ignore, then carry on.
            ctx.write(BackendMessages.negotiateProtocolVersion(ctx.alloc(), 0, startup.protocolOptions()));
        }
        String database = startup.parameters().getOrDefault("database", user);
        if (database.isEmpty()) {
            database = user;
        }
        ClientStartup clientStartup = new ClientStartup(user, database, filtered.forwarded(), tlsNegotiated);
        ByteBuf rest = cumulation.isReadable() ? cumulation.retainedSlice() : null;
        release();
        ctx.pipeline().replace(this, "authentication", new CredentialLookupHandler(context, clientStartup));
        if (rest != null) {
            ctx.pipeline().fireChannelRead(rest);
        }
    }

    private void reject(ChannelHandlerContext ctx, PgError error) {
        release();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(BackendMessages.errorResponse(ctx.alloc(), error)).addListener(ChannelFutureListener.CLOSE);
    }

    private void release() {
        if (cumulation.refCnt() > 0 && cumulation != Unpooled.EMPTY_BUFFER) {
            cumulation.release();
        }
        cumulation = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("connection from {} failed during startup: {}", ctx.channel().remoteAddress(), cause.toString());
        release();
        ctx.close();
    }

    /** What the client asked for in its StartupMessage, after filtering. */
    record ClientStartup(String user, String database, Map<String, String> parameters, boolean tls) {
        ClientStartup {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }
}
