package dev.warden.demo;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.AuditConfig;
import dev.warden.config.ControlConfig;
import dev.warden.config.ConfigDefaults;
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
import dev.warden.config.ConfigException;
import dev.warden.proxy.Gateway;
import dev.warden.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code warden demo} runs: the demo database, a service token for a demo agent, and the
 * gateway in front of the database. The upstream passwords go to owner-only files in a temporary
 * directory and are referenced as {@code file:}, exactly as a production config would.
 */
public final class DemoGateway implements AutoCloseable {
    public static final String AGENT = "demo-agent";
    /** The sample policy's approver (group dbas lists her). */
    public static final String APPROVER = "alice";
    /** The policy the demo runs with; also the starting point the docs recommend. */
    public static final String SAMPLE_POLICY = "/policy/sample-policy.yaml";

    private final DemoDatabase database;
    private final Gateway gateway;
    private final Path secrets;
    private final String agentToken;
    private final String approverToken;

    private final AuditConfig audit;
    private final SecretReference checkpointKey;

    private DemoGateway(DemoDatabase database, Gateway gateway, Path secrets, String agentToken, String approverToken,
            AuditConfig audit, SecretReference checkpointKey) {
        this.approverToken = approverToken;
        this.audit = audit;
        this.checkpointKey = checkpointKey;
        this.database = database;
        this.gateway = gateway;
        this.secrets = secrets;
        this.agentToken = agentToken;
    }

    public static DemoGateway start(int port) throws IOException, SQLException, InterruptedException {
        DemoDatabase database = DemoDatabase.start();
        Path secrets = null;
        try {
            secrets = Files.createTempDirectory("warden-demo-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            SecretReference readOnly = writeSecret(secrets, "warden_ro", database.readOnlyPassword());
            SecretReference readWrite = writeSecret(secrets, "warden_rw", database.readWritePassword());
            SecureRandom random = new SecureRandom();
            String token = ServiceTokens.newToken(random);
            Identity agent = new Identity(AGENT, ScramVerifier.create(token, random), List.of("agents"),
                    UpstreamAccess.READ_ONLY);
            String approverToken = ServiceTokens.newToken(random);
            Identity approver = new Identity(APPROVER, ScramVerifier.create(approverToken, random), List.of("dbas"),
                    UpstreamAccess.READ_ONLY);
            TargetConfig target = new TargetConfig(database.database(), database.host(), database.port(),
                    database.database(), UpstreamTlsMode.DISABLE, null,
                    new UpstreamCredential(database.readOnlyUser(), readOnly),
                    Optional.of(new UpstreamCredential(database.readWriteUser(), readWrite)));
            Path policy = secrets.resolve("policy.yaml");
            copyResource(SAMPLE_POLICY, policy);
            // The sample policy takes the masking key from the environment; the demo makes one of its own.
            byte[] maskingKey = new byte[32];
            random.nextBytes(maskingKey);
            SecretReference masking = writeSecret(secrets, "masking-key", java.util.HexFormat.of().formatHex(maskingKey));
            Files.writeString(policy, Files.readString(policy).replace("key: env:WARDEN_MASKING_KEY", "key: " + masking));
            // Session chains are signed, as they should be in production: a random key, by reference.
            byte[] key = new byte[32];
            random.nextBytes(key);
            SecretReference checkpointKey = writeSecret(secrets, "audit-key", java.util.HexFormat.of().formatHex(key));
            AuditConfig defaults = AuditConfig.defaults(secrets.resolve("data"));
            AuditConfig audit = new AuditConfig(defaults.dataDirectory(), defaults.storeUrl(), Optional.empty(),
                    Optional.empty(), defaults.resultRows(), defaults.resultBytes(), defaults.checkpointEvery(),
                    Optional.of(checkpointKey), Optional.empty());
            WardenConfig config = new WardenConfig(Path.of("<demo>"),
                    List.of(new ListenerConfig("127.0.0.1", port, ClientTlsMode.OFF, null, null)),
                    Map.of(target.name(), target), Map.of(agent.name(), agent, approver.name(), approver),
                    ConfigDefaults.limits(), Optional.of(policy), audit)
                    // The control plane on a free loopback port: approvals, grants and their REST API.
                    // alice (group dbas) approves, and as an auditor replays the sessions in the web UI.
                    .withControl(ControlConfig.onLoopback(0, Map.of("approver", java.util.Set.of("dbas"),
                            "auditor", java.util.Set.of("dbas"))));
            Gateway gateway = Gateway.start(config);
            return new DemoGateway(database, gateway, secrets, token, approverToken, audit, checkpointKey);
        } catch (ConfigException e) {
            database.close();
            deleteQuietly(secrets);
            throw new IllegalStateException("the bundled sample policy is invalid: " + e.getMessage(), e);
        } catch (StoreException e) {
            database.close();
            deleteQuietly(secrets);
            throw new IOException("cannot open the demo's audit store: " + e.getMessage(), e);
        } catch (IOException | RuntimeException | InterruptedException e) {
            database.close();
            deleteQuietly(secrets);
            throw e;
        }
    }

    private static void copyResource(String resource, Path destination) throws IOException {
        try (InputStream in = DemoGateway.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource not found: " + resource);
            }
            Files.copy(in, destination);
        }
    }

    private static SecretReference writeSecret(Path directory, String name, String value) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, value, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return SecretReference.parse("file:" + file.toAbsolutePath());
    }

    /** The database behind the gateway, for tests that compare what a client saw with what is stored. */
    DemoDatabase database() {
        return database;
    }

    public int port() {
        return gateway.boundAddresses().get(0).getPort();
    }

    public String agentToken() {
        return agentToken;
    }

    public String approverToken() {
        return approverToken;
    }

    /** The control plane's address (approvals, grants). */
    public String controlUrl() {
        return "http://127.0.0.1:" + gateway.controlPort().orElseThrow();
    }

    public String connectionUri() {
        return "postgresql://" + AGENT + ":" + agentToken + "@127.0.0.1:" + port() + "/" + database.database()
                + "?sslmode=disable";
    }

    public void printWelcome(PrintWriter out) {
        out.println();
        out.println("Warden demo is running: embedded PostgreSQL with sample PII (database \"shop\"),");
        out.println("the gateway on 127.0.0.1:" + port() + ", and a service token for \"" + AGENT + "\".");
        out.println("The token is shown only here; the database password never leaves the gateway.");
        out.println();
        out.println("Connect with:");
        out.println("  psql \"" + connectionUri() + "\"");
        out.println();
        out.println("Then try:");
        out.println("  SELECT full_name, email, ssn FROM customers LIMIT 5;  -- allowed, masked and recorded");
        out.println("  DROP TABLE orders;                                -- refused by rule no-drop-or-truncate");
        out.println("  DELETE FROM orders WHERE 1=1;                     -- refused: an unbounded write");
        out.println("  UPDATE customers SET email = 'ada@new.example' WHERE id = 1;");
        out.println("                                                    -- held until a person approves it");
        out.println();
        out.println("Approve it as " + APPROVER + " (group dbas) from another terminal:");
        out.println("  export WARDEN_URL=" + controlUrl() + " WARDEN_USER=" + APPROVER + " WARDEN_TOKEN=" + approverToken);
        out.println("  java -jar target/warden.jar approvals");
        out.println("  java -jar target/warden.jar approve APPROVAL_ID --reason \"looks right\"");
        out.println("The demo agent is read-only: the approved write runs once with the writer credential.");
        out.println("Or approve in the web UI: " + controlUrl() + "  (log in as " + APPROVER + " with the token above)");
        out.println();
        out.println("Every session is recorded (" + storeSpec() + "). Replay the agent's sessions, masked as it saw them,");
        out.println("in the web UI (as " + APPROVER + "): " + replayPageUrl());
        out.println("or in another terminal:");
        out.println("  java -jar target/warden.jar sessions --store " + storeSpec());
        out.println("  java -jar target/warden.jar replay SESSION_ID --store " + storeSpec());
        out.println("  java -jar target/warden.jar audit verify --store " + storeSpec() + " --checkpoint-key " + checkpointKey);
        out.println("Press Ctrl-C to stop (the demo's data and recordings are deleted).");
    }

    /** The web UI's sessions page, where each recorded session is replayed. */
    public String replayPageUrl() {
        return controlUrl() + "/ui/#/sessions";
    }

    /** The demo store as {@code --store} takes it. */
    public String storeSpec() {
        return "sqlite:" + audit.dataDirectory().resolve(audit.storeUrl().substring("sqlite:".length()));
    }

    @Override
    public void close() throws IOException {
        try {
            gateway.close();
        } finally {
            try {
                database.close();
            } finally {
                deleteQuietly(secrets);
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var files = Files.walk(directory)) {
            // Deepest first: the store's files, then the data directory, then the secrets.
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Best effort: the directory is owner-only and under the temp dir.
        }
    }
}
