package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.config.LimitsConfig;
import dev.warden.config.TargetConfig;
import dev.warden.config.WardenConfig;
import dev.warden.identity.AccessTokenVerifier;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.warden.catalog.RowEstimator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.warden.protocol.pg.ScramPrimitives;

/** What every connection of one gateway shares: configuration, registries and TLS contexts. */
final class GatewayContext {
    private static final int DECOY_ITERATIONS = 4096;
    private static final int AUTHENTICATION_WORKERS = 4;
    private static final int AUTHENTICATION_QUEUE = 1024;

    private final WardenConfig config;
    private final SecureRandom random = new SecureRandom();
    private final byte[] decoySecret = new byte[32];
    private final Transport transport;
    private final CancelRegistry cancelRegistry;
    private final CancelForwarder cancelForwarder;
    private final LoginThrottle loginThrottle = new LoginThrottle(Clock.systemUTC(), 100_000);
    private final SessionRegistry sessions = new SessionRegistry();
    private final UpstreamConnector upstreamConnector;
    private final Map<String, SslContext> upstreamTls = new HashMap<>();
    private final StatementGates gates;
    private final RecordingSetup recording;
    private final ExecutorService authenticationWorkers;
    private final Optional<AccessTokenVerifier> accessTokens;
    private final ServiceTokenDirectory serviceTokens;
    private final ServiceTokenSessions serviceTokenSessions;

    private final Optional<ApprovalSetup> approvals;

    private final Optional<RowEstimator> estimator;

    GatewayContext(WardenConfig config, Transport transport, StatementGates gates, RecordingSetup recording,
            Optional<ApprovalSetup> approvals, Optional<RowEstimator> estimator) {
        this.estimator = requireNonNull(estimator, "estimator is null");
        this.approvals = requireNonNull(approvals, "approvals is null");
        this.recording = requireNonNull(recording, "recording is null");
        this.config = requireNonNull(config, "config is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.gates = requireNonNull(gates, "gates is null");
        random.nextBytes(decoySecret);
        this.cancelRegistry = new CancelRegistry(random);
        this.cancelForwarder = new CancelForwarder(cancelRegistry, transport,
                (int) Math.min(Integer.MAX_VALUE, config.limits().connectTimeout().toMillis()));
        this.upstreamConnector = new UpstreamConnector(this);
        this.authenticationWorkers = newAuthenticationWorkers();
        this.accessTokens = config.oidc().map(oidc -> new AccessTokenVerifier(oidc, Clock.systemUTC()));
        this.serviceTokens = new ServiceTokenDirectory(() -> AuditTrail.storeLocation(config.audit()), Clock.systemUTC());
        this.serviceTokenSessions = new ServiceTokenSessions(serviceTokens, config.serviceTokens());
        for (TargetConfig target : config.targets().values()) {
            SslContext context = TlsContexts.forTarget(target);
            if (context != null) {
                upstreamTls.put(target.name(), context);
            }
        }
    }

    /**
     * Threads for the blocking parts of a login (store look-ups, fetching an issuer's keys), so that
     * event loops never wait on them. The queue is bounded: a flood of logins is refused, not queued
     * without end.
     */
    private static ExecutorService newAuthenticationWorkers() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(AUTHENTICATION_WORKERS, AUTHENTICATION_WORKERS, 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(AUTHENTICATION_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "warden-login-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
        return workers;
    }

    /** Replaced as a whole when warden.yaml is reloaded (SIGHUP): new logins see the new identities. */
    private volatile Map<String, Identity> identities;

    Optional<Identity> identity(String name) {
        Map<String, Identity> current = identities;
        return Optional.ofNullable((current != null ? current : config.identities()).get(name));
    }

    void replaceIdentities(Map<String, Identity> reloaded) {
        this.identities = Map.copyOf(reloaded);
    }

    Optional<TargetConfig> target(String database) {
        return Optional.ofNullable(config.targets().get(database));
    }

    /**
     * A stable, made-up verifier for a name that is not an identity, as PostgreSQL does for unknown
     * roles: the salt must not change between attempts or it would reveal that the name is unknown.
     */
    ScramVerifier decoyVerifier(String user) {
        byte[] salt = Arrays.copyOf(ScramPrimitives.hmac(decoySecret, "salt:" + user), 16);
        byte[] storedKey = ScramPrimitives.hmac(decoySecret, "stored:" + user);
        byte[] serverKey = ScramPrimitives.hmac(decoySecret, "server:" + user);
        return new ScramVerifier(DECOY_ITERATIONS, salt, storedKey, serverKey);
    }

    SslContext upstreamTls(String target) {
        return upstreamTls.get(target);
    }

    LimitsConfig limits() {
        return config.limits();
    }

    WardenConfig config() {
        return config;
    }

    SecureRandom random() {
        return random;
    }

    Transport transport() {
        return transport;
    }

    CancelRegistry cancelRegistry() {
        return cancelRegistry;
    }

    CancelForwarder cancelForwarder() {
        return cancelForwarder;
    }

    LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    RecordingSetup recording() {
        return recording;
    }

    /** Asks targets' planners for row estimates; empty when decisions never wait for one. */
    Optional<RowEstimator> estimator() {
        return estimator;
    }

    /** Where statements needing approval are held; empty when this gateway cannot hold them. */
    Optional<ApprovalSetup> approvals() {
        return approvals;
    }

    StatementGates gates() {
        return gates;
    }

    ExecutorService authenticationWorkers() {
        return authenticationWorkers;
    }

    /** The verifier of OIDC access tokens, when {@code oidc:} is configured. */
    Optional<AccessTokenVerifier> accessTokens() {
        return accessTokens;
    }

    ServiceTokenDirectory serviceTokens() {
        return serviceTokens;
    }

    ServiceTokenSessions serviceTokenSessions() {
        return serviceTokenSessions;
    }

    UpstreamConnector upstreamConnector() {
        return upstreamConnector;
    }
}
