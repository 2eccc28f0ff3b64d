package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.cli.WardenCli;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.store.StoreRecordSource;
import dev.warden.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Crash safety: {@code warden start} in its own JVM, a client inserting rows one by one through it, and
 * {@code kill -9} in the middle. Every insert the client saw succeed has its STATEMENT record in the
 * SQLite store, and the store verifies (the killed session has no SESSION_END and is still listed as
 * active, which is not truncation). Once with the SQLite store, once with a PostgreSQL one.
 */
class RecordingCrashIT {
    private static final int INSERTS = 200;
    private static final int KILL_AFTER = 60;

    @Test
    void everyInsertAcknowledgedBeforeAKillMinusNineIsInTheStore() throws Exception {
        crashAndCheck(null);
    }

    /** The same with the store on PostgreSQL, where a committed transaction is the durability point. */
    @Test
    void everyInsertAcknowledgedBeforeAKillMinusNineIsInAPostgresStore() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String database = postgres.createDatabase("crash_store");
        TestPostgres.TestRole role = postgres.createRole("crash_store_owner");
        RecordingFailClosedIT.superuser(postgres, database, "ALTER DATABASE " + database + " OWNER TO " + role.name());
        crashAndCheck(new PostgresStore("postgresql://127.0.0.1:" + postgres.port() + "/" + database, role));
    }

    private record PostgresStore(String url, TestPostgres.TestRole role) {}

    private void crashAndCheck(PostgresStore pgStore) throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        String database = postgres.createDatabase("crash");
        TestPostgres.TestRole role = postgres.createRole("crash_owner");
        RecordingFailClosedIT.superuser(postgres, database, "ALTER DATABASE " + database + " OWNER TO " + role.name());
        RecordingFailClosedIT.superuser(postgres, database, "ALTER SCHEMA public OWNER TO " + role.name());
        try (Connection owner = postgres.connect(database, role); Statement statement = owner.createStatement()) {
            statement.execute("CREATE TABLE t (i int)");
        }
        Path directory = Files.createTempDirectory("warden-crash-");
        String token = ServiceTokens.newToken(new SecureRandom());
        int port = freePort();
        Path config = writeConfig(directory, port, postgres, database, role, token);
        if (pgStore != null) {
            Path storePassword = directory.resolve("store-password");
            Files.writeString(storePassword, pgStore.role().password());
            Files.writeString(config, Files.readString(config) + """
                    store:
                      url: %s
                      user: %s
                      password: "file:%s"
                    """.formatted(pgStore.url(), pgStore.role().name(), storePassword));
        }

        List<String> command = new ArrayList<>(List.of(WardenJvm.java()));
        command.addAll(List.of(WardenJvm.arguments("start", "--config", config.toString())));
        Process gateway = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("gateway.log").toFile())
                .start();
        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        try {
            awaitListening(port, gateway, directory);
            Properties properties = new Properties();
            properties.setProperty("user", "agent");
            properties.setProperty("password", token);
            properties.setProperty("preferQueryMode", "simple");
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/app?sslmode=disable", properties);
                    Statement statement = connection.createStatement()) {
                for (int i = 1; i <= INSERTS; i++) {
                    if (i == KILL_AFTER + 1) {
                        // The kill races with this insert and those after it: which of them got an answer
                        // is up to timing, and the assertion below holds for whichever did.
                        new Thread(gateway::destroyForcibly).start();
                    }
                    try {
                        statement.execute("INSERT INTO t VALUES (" + i + ")");
                        acknowledged.add(i);
                    } catch (SQLException e) {
                        break;
                    }
                }
            }
        } finally {
            gateway.destroyForcibly();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER).hasSizeLessThan(INSERTS);

        Path store = directory.resolve("data").resolve("warden.db");
        String storeSpec = pgStore == null ? "sqlite:" + store : pgStore.url();
        String storeUser = pgStore == null ? null : pgStore.role().name();
        String storePassword = pgStore == null ? null : pgStore.role().password();
        Set<String> recorded = new HashSet<>();
        boolean intact;
        try (StoreRecordSource source = StoreRecordSource.open(storeSpec, storeUser, storePassword)) {
            List<SessionInfo> sessions = source.sessions(SessionFilter.all());
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).ended()).as("the killed session is still active").isFalse();
            for (Iterator<ChainedRecord> records = source.records(sessions.get(0).sessionId()); records.hasNext(); ) {
                ChainedRecord record = records.next();
                if (record.kind() == RecordKind.STATEMENT) {
                    recorded.add(record.body());
                }
            }
            intact = ChainVerifier.withoutKeys().verify(source, sessions.get(0)).ok();
        }
        assertThat(intact).as("the killed session's chain verifies").isTrue();
        List<Integer> missing = new ArrayList<>();
        for (int i : acknowledged) {
            if (recorded.stream().noneMatch(body -> body.contains("\"text\":\"INSERT INTO t VALUES (" + i + ")\""))) {
                missing.add(i);
            }
        }
        assertThat(missing).as("inserts the client saw succeed but the store does not have").isEmpty();

        if (pgStore == null) {
            // And as an operator checks it.
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "audit", "verify", "--store",
                    "sqlite:" + store);
            assertThat(exit).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("intact");
        }
        deleteTree(directory);
    }

    private static Path writeConfig(Path directory, int port, TestPostgres postgres, String database,
            TestPostgres.TestRole role, String token) throws IOException {
        Path password = directory.resolve("upstream-password");
        Files.writeString(password, role.password());
        Files.writeString(directory.resolve("policy.yaml"), """
                targets:
                  "*": { default: allow }
                rules: []
                """);
        Path config = directory.resolve("warden.yaml");
        Files.writeString(config, """
                listeners:
                  - host: 127.0.0.1
                    port: %d
                targets:
                  - name: app
                    host: 127.0.0.1
                    port: %d
                    database: %s
                    tls: disable
                    credentials:
                      read_only:  { user: %s, password: "file:%s" }
                      read_write: { user: %s, password: "file:%s" }
                identities:
                  - name: agent
                    verifier: "%s"
                    groups: [agents]
                    access: read_write
                policy: policy.yaml
                data_dir: data
                """.formatted(port, postgres.port(), database, role.name(), password, role.name(), password,
                ScramVerifier.create(token, new SecureRandom()).encode()));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process gateway, Path directory) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!gateway.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the gateway did not start:\n" + Files.readString(directory.resolve("gateway.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
