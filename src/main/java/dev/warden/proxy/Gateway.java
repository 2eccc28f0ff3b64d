package dev.warden.proxy;

import dev.warden.approval.ApprovalService;
import dev.warden.approval.GrantService;
import dev.warden.approval.SharedApprovals;
import dev.warden.approval.WebhookNotifier;
import dev.warden.catalog.RowEstimator;
import dev.warden.catalog.TargetCatalogs;
import dev.warden.control.ControlPlane;
import dev.warden.control.ControlPlanes;
import dev.warden.control.LiveSignals;
import dev.warden.config.ConfigException;
import dev.warden.config.WardenConfig;
import dev.warden.policy.PolicyHolder;
import dev.warden.policy.PolicyWatcher;
import dev.warden.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Warden gateway: the listeners, the live policy (reloaded when its file changes or on
 * SIGHUP) and the catalogs of the targets. What {@code warden start} and {@code warden demo} run.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayServer server;
    private final TargetCatalogs catalogs;
    private final PolicyHolder policies;
    private final PolicyWatcher watcher;
    private final AuditTrail audit;
    private final ApprovalService approvals;
    private final ControlPlane controlPlane;
    private final RowEstimator estimator;
    private final SharedApprovals shared;

    private Gateway(GatewayServer server, TargetCatalogs catalogs, PolicyHolder policies, PolicyWatcher watcher,
            AuditTrail audit, ApprovalService approvals, ControlPlane controlPlane, RowEstimator estimator,
            SharedApprovals shared) {
        this.shared = shared;
        this.estimator = estimator;
        this.approvals = approvals;
        this.controlPlane = controlPlane;
        this.server = server;
        this.catalogs = catalogs;
        this.policies = policies;
        this.watcher = watcher;
        this.audit = audit;
    }

    /**
     * @throws ConfigException when the policy file is invalid (the gateway does not start)
     * @throws StoreException when the audit store cannot be opened (the gateway does not start)
     */
    public static Gateway start(WardenConfig config)
            throws ConfigException, StoreException, IOException, InterruptedException {
        PolicyHolder policies = null;
        if (config.policy().isPresent()) {
            policies = PolicyHolder.load(config.policy().get());
        } else {
            log.warn("no policy: configured: every statement will be refused (rule warden-no-policy)");
        }
        // The store comes first: without it no session may start (fail closed).
        AuditTrail audit = AuditTrail.open(config.audit());
        TargetCatalogs catalogs = new TargetCatalogs(config, TargetCatalogs.DEFAULT_REFRESH_INTERVAL);
        PolicyWatcher watcher = null;
        GatewayServer server = null;
        ApprovalService approvals = null;
        ControlPlane controlPlane = null;
        RowEstimator estimator = null;
        SharedApprovals shared = null;
        java.util.concurrent.atomic.AtomicReference<GatewayServer> serverRef = new java.util.concurrent.atomic.AtomicReference<>();
        LiveSignals signals = null;
        try {
            Optional<ApprovalSetup> approvalSetup = Optional.empty();
            if (config.control().listener().isPresent()) {
                // Approvals need somewhere approvers can act: the control plane.
                WebhookNotifier notifier = WebhookNotifier.forConfig(config.control());
                GrantService grants = new GrantService(audit.store(), Clock.systemUTC());
                signals = new LiveSignals(config.targets().keySet());
                // Nodes sharing the store see and decide each other's requests (a random name per run).
                shared = new SharedApprovals(audit.store(), "node-" + java.util.UUID.randomUUID(),
                        notifier.andThen(signals.approvalNotifier()), Clock.systemUTC());
                approvals = new ApprovalService(Clock.systemUTC(), config.control().maxPendingApprovals(), shared,
                        Optional.of(grants));
                shared.start(approvals, grants);
                PolicyHolder livePolicies = policies;
                controlPlane = ControlPlanes.start(config, Optional.ofNullable(livePolicies), audit.store(), approvals, grants,
                        signals, Optional.of(shared),
                        Optional.of(dev.warden.store.ServiceTokenStore.open(AuditTrail.storeLocation(config.audit()))));
                String publicUrl = config.control().publicUrl()
                        .orElse(config.control().listener().get().scheme() + "://" + config.control().listener().get().host()
                                + ":" + controlPlane.port());
                notifier.publicUrlIfUnset(publicUrl);
                approvalSetup = Optional.of(new ApprovalSetup(approvals, Optional.of(grants), Optional.of(publicUrl),
                        subject -> livePolicies == null ? subject.groups() : livePolicies.policy().groupsOf(subject)));
            }
            StatementGates gates;
            if (policies != null) {
                estimator = new RowEstimator(config.targets(), config.limits().connectTimeout());
                watcher = PolicyWatcher.start(policies, PolicyWatcher.DEFAULT_DEBOUNCE);
                PolicyWatcher.reloadOnHangup(policies, () -> reloadIdentitiesOf(config, serverRef));
                gates = new PolicyGates(policies, catalogs, approvalSetup.isPresent()).withEstimates();
                log.info("policy {} loaded from {}", policies.policy().shortVersion(), policies.file());
            } else {
                gates = PolicyGates.refuseEverything();
            }
            RecordingSetup recording = audit.recording();
            if (signals != null) {
                // Metrics count sessions and statements from their records on the way to the store.
                recording = new RecordingSetup(signals.metrics().counting(recording.sink()), recording.caps(),
                        recording.checkpoints());
            }
            server = new GatewayServer(config, gates, recording, approvalSetup, Optional.ofNullable(estimator));
            serverRef.set(server);
            server.start();
            return new Gateway(server, catalogs, policies, watcher, audit, approvals, controlPlane, estimator, shared);
        } catch (IOException | StoreException | RuntimeException | InterruptedException e) {
            if (controlPlane != null) {
                controlPlane.close();
            } else if (signals != null) {
                signals.close();
            }
            if (approvals != null) {
                approvals.close();
            }
            if (shared != null) {
                shared.close();
            }
            if (estimator != null) {
                estimator.close();
            }
            audit.close();
            if (server != null) {
                server.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            catalogs.close();
            throw e;
        }
    }

    public List<InetSocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    public GatewayServer server() {
        return server;
    }

    public Optional<PolicyHolder> policies() {
        return Optional.ofNullable(policies);
    }

    /** The store and writer behind the recording (for health checks and the CLI). */
    public AuditTrail audit() {
        return audit;
    }

    /**
     * Reads warden.yaml again and puts its identities in place for new logins; an invalid file keeps
     * the running identities and logs why (file, line, field). Other settings need a restart.
     *
     * @return whether the identities were replaced
     */
    public boolean reloadIdentities() {
        return reloadIdentitiesOf(server.config(), new java.util.concurrent.atomic.AtomicReference<>(server));
    }

    private static boolean reloadIdentitiesOf(WardenConfig config, java.util.concurrent.atomic.AtomicReference<GatewayServer> server) {
        if (server.get() == null || !java.nio.file.Files.isRegularFile(config.source())) {
            return false;
        }
        try {
            WardenConfig reloaded = dev.warden.config.ConfigLoader.load(config.source());
            server.get().replaceIdentities(reloaded.identities());
            log.info("identities reloaded from {}: {} identities (other settings apply at the next start)", config.source(),
                    reloaded.identities().size());
            return true;
        } catch (ConfigException e) {
            log.error("identities not reloaded; keeping the running ones: {}", e.getMessage());
            return false;
        }
    }

    /** The approval service, when this gateway has a control plane. */
    public Optional<ApprovalService> approvals() {
        return Optional.ofNullable(approvals);
    }

    /** The control plane's port, when it has one. */
    public Optional<Integer> controlPort() {
        return Optional.ofNullable(controlPlane).map(ControlPlane::port);
    }

    @Override
    public void close() throws IOException {
        try {
            if (controlPlane != null) {
                controlPlane.close();
            }
            if (approvals != null) {
                // Parked sessions learn that nobody will decide before their connections close.
                approvals.close();
            }
            if (shared != null) {
                shared.close();
            }
            server.close();
            if (estimator != null) {
                estimator.close();
            }
        } finally {
            // After the sessions: their SESSION_END records must still reach the store.
            audit.close();
            catalogs.close();
            if (watcher != null) {
                watcher.close();
            }
        }
    }
}
