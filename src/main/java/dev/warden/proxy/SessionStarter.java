package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.identity.Identity;
import dev.warden.identity.UpstreamAccess;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.time.Clock;
import dev.warden.recording.RecordBodies;
import dev.warden.recording.RecordKind;
import dev.warden.recording.SessionLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins an authenticated client to a fresh upstream connection: finishes the client's login with
 * AuthenticationOk, the server's own ParameterStatus values, a gateway-issued BackendKeyData and
 * ReadyForQuery, then switches both pipelines to the relay handlers.
 */
final class SessionStarter {
    private static final Logger log = LoggerFactory.getLogger(SessionStarter.class);
    /** Bounds the in-flight queue; far beyond what any driver pipelines before reading. */
    static final int MAX_IN_FLIGHT = 100_000;

    private final GatewayContext context;
    private final Channel client;
    private final StartupPhaseHandler.ClientStartup startup;
    private final AuthenticatedClient who;
    private final Identity identity;
    private final TargetConfig target;

    SessionStarter(GatewayContext context, Channel client, StartupPhaseHandler.ClientStartup startup, AuthenticatedClient who,
            TargetConfig target) {
        this.context = context;
        this.client = client;
        this.startup = startup;
        this.who = who;
        this.identity = who.identity();
        this.target = target;
    }

    void start() {
        UpstreamCredential credential = identity.access() == UpstreamAccess.READ_WRITE
                ? target.readWrite().orElseThrow()
                : target.readOnly();
        Map<String, String> upstreamParameters = new LinkedHashMap<>(startup.parameters());
        if (identity.access() == UpstreamAccess.READ_ONLY) {
            // Defense in depth: the database itself refuses writes in this session's transactions,
            // should every gateway control fail. The policy refuses statements that undo it.
            upstreamParameters.put("default_transaction_read_only", "on");
        }
        context.upstreamConnector()
                .connect(client.eventLoop(), target, credential, upstreamParameters)
                .addListener(future -> {
                    if (future.isSuccess()) {
                        join((UpstreamConnection) future.getNow());
                    } else {
                        refuse(future.cause());
                    }
                });
    }

    /**
     * For a read-only identity on a target with a writer credential: how its approved writes reach
     * the database (a connection of their own, with the client's startup parameters, never the
     * read-only default); null otherwise.
     */
    private ApprovalParking.WriterConnector writerConnector() {
        if (identity.access() != UpstreamAccess.READ_ONLY || target.readWrite().isEmpty()) {
            return null;
        }
        return extra -> {
            Map<String, String> parameters = new LinkedHashMap<>(startup.parameters());
            parameters.putAll(extra);
            return context.upstreamConnector().connect(client.eventLoop(), target, target.readWrite().get(), parameters);
        };
    }

    private void refuse(Throwable cause) {
        PgError error = cause instanceof UpstreamConnectException failure
                ? failure.clientError()
                : PgError.fatal(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                        "could not connect to target \"" + target.name() + "\"");
        if (client.isActive()) {
            client.writeAndFlush(BackendMessages.errorResponse(client.alloc(), error)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The session exists only once its start is on record: SESSION_START must be durable before the
     * client is told it is in; if the store cannot take it, the session does not start.
     */
    private void join(UpstreamConnection upstream) {
        Channel server = upstream.channel();
        if (!client.isActive()) {
            server.close();
            return;
        }
        SessionLog sessionLog = new SessionLog(UUID.randomUUID().toString(), context.recording().sink(),
                Clock.systemUTC(), context.recording().checkpoints());
        String applicationName = startup.parameters().getOrDefault("application_name", "");
        SessionRecording recording = new SessionRecording(sessionLog, context.recording().caps(), applicationName,
                client.eventLoop());
        sessionLog.append(RecordKind.SESSION_START, RecordBodies.sessionStart(identity.name(), who.method().recordName(),
                identity.groups(), String.valueOf(client.remoteAddress()), startup.tls(), target.name(), applicationName));
        sessionLog.durable().whenComplete((ignored, failure) -> client.eventLoop().execute(() -> {
            if (failure != null) {
                log.error("could not record the start of a session for identity {}: {}", identity.name(),
                        failure.toString());
                server.close();
                if (client.isActive()) {
                    client.writeAndFlush(BackendMessages.errorResponse(client.alloc(), PgError.fatal(SqlState.SYSTEM_ERROR,
                            "Warden cannot record sessions right now, so it does not start one: the audit store is unavailable",
                            "Retry later; an administrator must check the gateway's store.")))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                ResultMasking masking = context.gates().maskingFor(identity, target).orElse(null);
                // A masked identity's first result needs the catalog to find masked columns; until it
                // is loaded (or after the wait) results are masked whole, so waiting briefly is kinder.
                CompletableFuture<Void> catalog = masking == null ? CompletableFuture.completedFuture(null)
                        : masking.ready().completeOnTimeout(null, MASKING_CATALOG_WAIT_SECONDS, TimeUnit.SECONDS);
                catalog.whenComplete((loaded, notLoaded) -> client.eventLoop().execute(() -> start(upstream, recording, masking)));
            }
        }));
    }

    private static final long MASKING_CATALOG_WAIT_SECONDS = 10;

    private void start(UpstreamConnection upstream, SessionRecording recording, ResultMasking masking) {
        Channel server = upstream.channel();
        if (!client.isActive()) {
            recording.sessionEnd("client disconnected before the session started");
            server.close();
            return;
        }
        GatewayServer.cancelAuthenticationDeadline(client);
        CancelKey cancelKey = context.cancelRegistry().register(upstream.address(), upstream.processId(), upstream.secretKey());
        SessionRegistry registry = context.sessions();
        Session session = new Session(registry.nextSessionId(), identity.name(), java.util.Set.copyOf(identity.groups()), target.name(), client, server,
                new InFlightQueue(MAX_IN_FLIGHT), cancelKey);

        client.write(BackendMessages.authenticationOk(client.alloc()));
        for (Map.Entry<String, String> parameter : upstream.parameters().entrySet()) {
            client.write(BackendMessages.parameterStatus(client.alloc(), parameter.getKey(), parameter.getValue()));
        }
        client.write(BackendMessages.backendKeyData(client.alloc(), cancelKey.processId(), cancelKey.secretKey()));
        client.write(BackendMessages.readyForQuery(client.alloc(), upstream.transactionStatus()));

        StatementGate gate = context.gates().forSession(identity, target, startup.parameters());
        ChannelPipeline clientPipeline = client.pipeline();
        clientPipeline.replace("authentication", "relay",
                new ClientRelayHandler(session, registry, gate, recording, context.limits().maxMessageBytes(),
                        context.approvals().orElse(null), context.estimator().orElse(null), writerConnector()));
        long idleMillis = context.limits().idleTimeout().toMillis();
        if (idleMillis > 0) {
            clientPipeline.addBefore("relay", "idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        }
        server.pipeline().remove(UpstreamStartupHandler.class);
        server.pipeline().addLast("relay", new UpstreamRelayHandler(session, gate, recording, null, masking));
        session.masking(masking);
        server.closeFuture().addListener(closed -> context.cancelRegistry().unregister(cancelKey));
        registry.add(session);
        who.serviceToken().ifPresent(token -> context.serviceTokenSessions().add(token.id(), session));
        client.flush();

        log.info("session {} started: identity={} auth={} target={} client={} tls={} upstream_pid={} record={}",
                session.id(), identity.name(), who.method().recordName(), target.name(), client.remoteAddress(),
                startup.tls(), upstream.processId(),
                recording.sessionId());
        client.closeFuture().addListener(closed -> log.info("session {} ended", session.id()));
        client.config().setAutoRead(true);
        server.config().setAutoRead(true);
    }
}
