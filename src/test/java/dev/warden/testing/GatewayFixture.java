package dev.warden.testing;

import dev.warden.config.AuditConfig;
import dev.warden.config.ClientTlsMode;
import dev.warden.config.ConfigDefaults;
import dev.warden.config.LimitsConfig;
import dev.warden.config.ListenerConfig;
import dev.warden.config.SecretReference;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.config.UpstreamTlsMode;
import dev.warden.config.WardenConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.policy.PolicyHolder;
import dev.warden.proxy.Gateway;
import dev.warden.proxy.AuditTrail;
import dev.warden.proxy.GatewayServer;
import dev.warden.store.StoreException;
import dev.warden.proxy.StatementGates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real gateway on a free loopback port in front of a fresh database of the shared
 * {@link TestPostgres}, with one identity ({@link #IDENTITY}) whose token the test knows. The upstream
 * role owns the database, so tests can create tables through the gateway. The upstream password is
 * passed by {@code file:} reference, as in production.
 *
 * <p>{@link #start()} runs the bare {@link GatewayServer} with the given statement gates;
 * {@link #startWithPolicy(String, String...)} and {@link #startWithoutPolicy()} run a whole
 * {@link Gateway} as {@code warden start} does: the policy file in the fixture's directory (watched and
 * reloaded), the target catalog, and the policy gate.
 */
public final class GatewayFixture implements AutoCloseable {
    public static final String IDENTITY = "agent";
    public static final String TARGET = "app";

    private final TestPostgres postgres;
    private final String database;
    private final TestPostgres.TestRole upstreamRole;
    private final String token;
    private final Path directory;
    private final GatewayServer gateway;
    private final Gateway policyGateway;
    private final AuditTrail audit;
    private final WardenConfig config;
    private boolean closed;

    private GatewayFixture(Prepared prepared, WardenConfig config, GatewayServer gateway, Gateway policyGateway,
            AuditTrail audit) {
        this.audit = audit;
        this.postgres = prepared.postgres();
        this.database = prepared.database();
        this.upstreamRole = prepared.role();
        this.token = prepared.token();
        this.directory = prepared.directory();
        this.config = config;
        this.gateway = gateway;
        this.policyGateway = policyGateway;
    }

    /** The fresh database, upstream role, identity token and directory of one fixture, before any gateway runs. */
    private record Prepared(TestPostgres postgres, String database, TestPostgres.TestRole role, String token, Path directory,
            WardenConfig config) {}

    public static GatewayFixture start() {
        return start(UnaryOperator.identity());
    }

    /** @param customize adjusts the configuration before the gateway starts (TLS, limits ...) */
    public static GatewayFixture start(UnaryOperator<WardenConfig> customize) {
        return start(customize, StatementGates.passThrough());
    }

    /** @param gates decides the statements of every session (the bare relay lets all through) */
    public static GatewayFixture start(UnaryOperator<WardenConfig> customize, StatementGates gates) {
        Prepared prepared = prepare(List.of());
        WardenConfig config = customize.apply(prepared.config());
        AuditTrail audit;
        try {
            // Even the bare relay records every session, to a real SQLite store in the fixture's directory.
            audit = AuditTrail.open(config.audit());
        } catch (StoreException e) {
            throw new IllegalStateException("could not open the test store", e);
        }
        GatewayServer server = new GatewayServer(config, gates, audit.recording());
        try {
            server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new GatewayFixture(prepared, config, server, null, audit);
    }

    /**
     * A {@link Gateway} deciding with {@code policyYaml}, written to {@link #policyFile()} (rewrite that file to
     * make the gateway reload it).
     *
     * @param setupSql run on the fresh database, as its owner, before the gateway starts (so the target catalog
     *     knows the tables from the first statement on)
     */
    public static GatewayFixture startWithPolicy(String policyYaml, String... setupSql) {
        return startWithPolicy(UnaryOperator.identity(), policyYaml, setupSql);
    }

    /** Like {@link #startWithPolicy(String, String...)}, with the configuration adjusted first (recording, limits ...). */
    public static GatewayFixture startWithPolicy(UnaryOperator<WardenConfig> customize, String policyYaml,
            String... setupSql) {
        Prepared prepared = prepare(List.of(setupSql));
        Path policy = prepared.directory().resolve("policy.yaml");
        try {
            Files.writeString(policy, policyYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return startGateway(prepared, withPolicy(customize.apply(prepared.config()), Optional.of(policy)));
    }

    /** A {@link Gateway} configured without a policy file: it must refuse every statement. */
    public static GatewayFixture startWithoutPolicy() {
        Prepared prepared = prepare(List.of());
        return startGateway(prepared, withPolicy(prepared.config(), Optional.empty()));
    }

    private static GatewayFixture startGateway(Prepared prepared, WardenConfig config) {
        try {
            Gateway gateway = Gateway.start(config);
            return new GatewayFixture(prepared, config, null, gateway, gateway.audit());
        } catch (StoreException e) {
            throw new IllegalStateException("the gateway could not open its store", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.warden.config.ConfigException e) {
            throw new IllegalStateException("the gateway refused its configuration", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Prepared prepare(List<String> setupSql) {
        try {
            TestPostgres postgres = TestPostgres.shared();
            String database = postgres.createDatabase("gw");
            TestPostgres.TestRole role = postgres.createRole("warden");
            try (Connection admin = postgres.superuserConnection(database); Statement statement = admin.createStatement()) {
                statement.execute("ALTER DATABASE " + database + " OWNER TO " + role.name());
                statement.execute("ALTER SCHEMA public OWNER TO " + role.name());
                if (!setupSql.isEmpty()) {
                    statement.execute("SET ROLE " + role.name());
                    for (String sql : setupSql) {
                        statement.execute(sql);
                    }
                    statement.execute("RESET ROLE");
                }
            }
            Path directory = Files.createTempDirectory("warden-test-");
            Path secret = directory.resolve("upstream-password");
            Files.writeString(secret, role.password());
            SecureRandom random = new SecureRandom();
            String token = ServiceTokens.newToken(random);
            UpstreamCredential credential = new UpstreamCredential(role.name(), SecretReference.parse("file:" + secret));
            TargetConfig target = new TargetConfig(TARGET, postgres.host(), postgres.port(), database,
                    UpstreamTlsMode.DISABLE, null, credential, Optional.of(credential));
            Identity identity = new Identity(IDENTITY, ScramVerifier.create(token, random), List.of("agents"),
                    UpstreamAccess.READ_WRITE);
            WardenConfig config = new WardenConfig(directory.resolve("warden.yaml"),
                    List.of(new ListenerConfig("127.0.0.1", 0, ClientTlsMode.OFF, null, null)),
                    Map.of(TARGET, target), Map.of(IDENTITY, identity), ConfigDefaults.limits(), Optional.empty(),
                    AuditConfig.defaults(directory.resolve("data")));
            return new Prepared(postgres, database, role, token, directory, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the test database", e);
        }
    }

    /** Returns a copy of {@code config} with another policy file (or none). */
    public static WardenConfig withPolicy(WardenConfig config, Optional<Path> policy) {
        return new WardenConfig(config.source(), config.listeners(), config.targets(), config.identities(), config.limits(),
                policy, config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    /** Returns a copy of {@code config} with other limits. */
    public static WardenConfig withLimits(WardenConfig config, LimitsConfig limits) {
        return new WardenConfig(config.source(), config.listeners(), config.targets(), config.identities(), limits,
                config.policy(), config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    /** Returns a copy of {@code config} with its recording settings replaced by {@code change(audit)}. */
    public static WardenConfig withAudit(WardenConfig config, UnaryOperator<AuditConfig> change) {
        return new WardenConfig(config.source(), config.listeners(), config.targets(), config.identities(), config.limits(),
                config.policy(), change.apply(config.audit()), config.oidc(), config.serviceTokens(), config.control());
    }

    /** Returns a copy of {@code config} with other identities (OIDC-only ones have no verifier). */
    public static WardenConfig withIdentities(WardenConfig config, Map<String, Identity> identities) {
        return new WardenConfig(config.source(), config.listeners(), config.targets(), identities, config.limits(),
                config.policy(), config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    /** Returns a copy of {@code config} whose single listener is replaced. */
    public static WardenConfig withListener(WardenConfig config, ListenerConfig listener) {
        return new WardenConfig(config.source(), List.of(listener), config.targets(), config.identities(), config.limits(),
                config.policy(), config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    /** Returns a copy of {@code config} with the target replaced by {@code change(target)}. */
    public static WardenConfig withTarget(WardenConfig config, UnaryOperator<TargetConfig> change) {
        return withTargets(config, Map.of(TARGET, change.apply(config.targets().get(TARGET))));
    }

    /** Returns a copy of {@code config} with these targets instead of its own. */
    public static WardenConfig withTargets(WardenConfig config, Map<String, TargetConfig> targets) {
        return new WardenConfig(config.source(), config.listeners(), targets, config.identities(),
                config.limits(), config.policy(), config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    /** The whole gateway (policy, control plane, approvals) of a fixture started with a policy. */
    public Gateway fullGateway() {
        if (policyGateway == null) {
            throw new IllegalStateException("this fixture runs the bare relay");
        }
        return policyGateway;
    }

    /**
     * Returns a copy of {@code config} recording to a PostgreSQL store at {@code url}, logging in as
     * {@code role} (its password by {@code file:} reference, next to the data directory).
     */
    public static WardenConfig withPostgresStore(WardenConfig config, String url, TestPostgres.TestRole role) {
        return withAudit(config, audit -> {
            Path secret = audit.dataDirectory().resolveSibling("store-password");
            try {
                Files.writeString(secret, role.password());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new AuditConfig(audit.dataDirectory(), url, Optional.of(role.name()),
                    Optional.of(SecretReference.parse("file:" + secret)), audit.resultRows(), audit.resultBytes(),
                    audit.checkpointEvery(), audit.checkpointKey(), audit.retention());
        });
    }

    /** Returns a copy of {@code config} with one more identity. */
    public static WardenConfig withIdentity(WardenConfig config, Identity identity) {
        Map<String, Identity> identities = new java.util.LinkedHashMap<>(config.identities());
        identities.put(identity.name(), identity);
        return new WardenConfig(config.source(), config.listeners(), config.targets(), identities, config.limits(),
                config.policy(), config.audit(), config.oidc(), config.serviceTokens(), config.control());
    }

    public int port() {
        return gateway().boundAddresses().get(0).getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The service token of {@link #IDENTITY}. */
    public String token() {
        return token;
    }

    /** The database name on the upstream server (clients ask for {@link #TARGET}). */
    public String upstreamDatabase() {
        return database;
    }

    /** The upstream role and its password: what must never reach a client. */
    public TestPostgres.TestRole upstreamRole() {
        return upstreamRole;
    }

    public TestPostgres postgres() {
        return postgres;
    }

    public GatewayServer gateway() {
        return policyGateway != null ? policyGateway.server() : gateway;
    }

    /** The policy file a {@link #startWithPolicy} gateway watches. */
    public Path policyFile() {
        return directory.resolve("policy.yaml");
    }

    /** The live policy of a {@link #startWithPolicy} gateway. */
    public PolicyHolder policies() {
        if (policyGateway == null) {
            throw new IllegalStateException("this fixture runs no policy (use startWithPolicy)");
        }
        return policyGateway.policies().orElseThrow(() -> new IllegalStateException("this gateway has no policy"));
    }

    public WardenConfig config() {
        return config;
    }

    public Path directory() {
        return directory;
    }

    /** pgJDBC URL through the gateway, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + TARGET + "?sslmode=disable";
    }

    /** A pgJDBC connection through the gateway as {@link #IDENTITY}. */
    public Connection connect() throws SQLException {
        return connect(new Properties());
    }

    public Connection connect(Properties extra) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.setProperty("user", IDENTITY);
        properties.setProperty("password", token);
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** A pgJDBC connection through the gateway as another configured identity. */
    public Connection connect(String identity, String identityToken) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", identity);
        properties.setProperty("password", identityToken);
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /**
     * Runs the statements as {@link #IDENTITY} in a session of their own (one failing, a refusal say,
     * does not stop the next), closes it, and returns the session's id once its end is stored.
     */
    public String finishedSession(String... statements) throws SQLException, StoreException, InterruptedException {
        String marker = "finished-" + java.util.UUID.randomUUID();
        Properties named = new Properties();
        named.setProperty("ApplicationName", marker);
        // So pgJDBC names the application in its startup message, where the session record takes it from.
        named.setProperty("assumeMinServerVersion", "9.0");
        try (Connection client = connect(named); Statement statement = client.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException failed) {
                    // the session records it; the caller asserts on the records
                }
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<dev.warden.store.SessionSummary> session = audit.store().sessions(dev.warden.store.SessionQuery.all()
                    .withIdentity(IDENTITY)).stream().filter(s -> s.applicationName().equals(Optional.of(marker))).findFirst();
            if (session.isPresent() && session.get().endedMicros().isPresent()) {
                return session.get().id();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the session " + marker + " was not stored as ended within 10 s");
    }

    /** A pgJDBC connection straight to the upstream database, as the upstream role (for comparisons). */
    public Connection connectDirect() throws SQLException {
        return connectDirect(new Properties());
    }

    /** Like {@link #connectDirect()}, with extra pgJDBC properties (binaryTransfer, prepareThreshold ...). */
    public Connection connectDirect(Properties extra) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.setProperty("user", upstreamRole.name());
        properties.setProperty("password", upstreamRole.password());
        return DriverManager.getConnection(postgres.jdbcUrl(database) + "?sslmode=disable", properties);
    }

    /** A libpq connection string straight to the upstream database, as the upstream role. */
    public String directLibpqUri() {
        return "postgresql://" + upstreamRole.name() + ":" + upstreamRole.password() + "@127.0.0.1:" + postgres.port()
                + "/" + database + "?sslmode=disable";
    }

    /** A libpq connection string through the gateway, for psql and pgbench. */
    public String libpqUri() {
        return "postgresql://" + IDENTITY + ":" + token + "@127.0.0.1:" + port() + "/" + TARGET + "?sslmode=disable";
    }

    /** The store every session of this fixture is recorded in. */
    public AuditTrail audit() {
        return audit;
    }

    /** Stops the gateway (gracefully) and deletes the fixture's files; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (policyGateway != null) {
            try {
                policyGateway.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            gateway.close();
            audit.close();
        }
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
