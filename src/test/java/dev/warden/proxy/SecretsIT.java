package dev.warden.proxy;

import static dev.warden.testing.WireMessages.startup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.SecretReference;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.LogCapture;
import dev.warden.testing.RawPgClient;
import dev.warden.testing.RawPgClient.Message;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upstream password and the client's token must reach no log line and no byte a client
 * receives, whether the session works or the upstream login fails in any of the ways it can.
 */
class SecretsIT {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private static Path directory;
    /** Every secret any gateway in this class holds or any client here knows. */
    private static final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void createDirectory() throws Exception {
        directory = Files.createTempDirectory("warden-secrets-");
    }

    @AfterAll
    static void deleteDirectory() throws Exception {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static GatewayFixture start(UnaryOperator<TargetConfig> target) {
        GatewayFixture fixture = GatewayFixture.start(config -> GatewayFixture.withTarget(
                GatewayFixture.withLimits(config, BadInputIT.limits(config, config.limits().maxMessageBytes(),
                        config.limits().authenticationTimeout())), target));
        secrets.add(fixture.token());
        secrets.add(fixture.upstreamRole().password());
        return fixture;
    }

    private static Map<String, String> login() {
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", GatewayFixture.IDENTITY);
        startup.put("database", GatewayFixture.TARGET);
        startup.put("application_name", "secrets-it");
        return startup;
    }

    /** Logs in over raw TCP and returns the bytes the gateway sent, asserting the 08001 it ends with. */
    private static String failedLogin(GatewayFixture fixture, String expectedText) throws Exception {
        try (RawPgClient client = new RawPgClient(fixture)) {
            client.send(startup(login()));
            Message answer = client.scram(fixture.token());
            assertThat(answer).isNotNull();
            assertThat(answer.type()).as("%s", answer).isEqualTo('E');
            assertThat(answer.fields()).containsEntry('S', "FATAL").containsEntry('C', "08001");
            assertThat(answer.message()).startsWith("could not connect to target \"app\"").contains(expectedText);
            assertThat(client.closedByServer()).isTrue();
            return new String(client.received(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
        }
    }

    /** For upstream failures: no secret, and not the upstream's own error text, which names the upstream role. */
    private static void assertNoSecretIn(String text, GatewayFixture fixture) {
        assertNoSecretIn(text);
        assertThat(text).doesNotContain(fixture.upstreamRole().name())
                .doesNotContain("password authentication failed");
    }

    private static UnaryOperator<TargetConfig> credential(String reference) {
        return target -> {
            UpstreamCredential wrong = new UpstreamCredential(target.readOnly().user(), SecretReference.parse(reference));
            return new TargetConfig(target.name(), target.host(), target.port(), target.database(), target.tls(),
                    target.caFile(), wrong, Optional.of(wrong));
        };
    }

    @Test
    void secretsReachNoLogLineAndNoClientByte() throws Exception {
        String wrongPassword = "wrong-" + UUID.randomUUID();
        secrets.add(wrongPassword);
        Path wrongFile = Files.writeString(directory.resolve("wrong-password"), wrongPassword);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        try (LogCapture logs = LogCapture.start()) {
            try (GatewayFixture working = start(UnaryOperator.identity())) {
                try (Connection connection = working.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT current_user")) {
                    assertThat(rows.next()).isTrue();
                }
                try (RawPgClient client = new RawPgClient(working)) {
                    Message ok = client.login(login(), working.token());
                    assertThat(ok.type()).isEqualTo('R');
                    client.readUntil('Z');
                    assertNoSecretIn(new String(client.received(), StandardCharsets.ISO_8859_1));
                }
                // A client with a wrong token: its exception must not echo anything the gateway holds.
                java.util.Properties properties = new java.util.Properties();
                properties.setProperty("user", GatewayFixture.IDENTITY);
                properties.setProperty("password", "not-" + working.token());
                assertThatThrownBy(() -> java.sql.DriverManager.getConnection(working.jdbcUrl(), properties))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("28P01");
                            assertNoSecretIn(String.valueOf(e.getMessage()));
                        });
            }

            try (GatewayFixture wrongUpstreamPassword = start(credential("file:" + wrongFile))) {
                String bytes = failedLogin(wrongUpstreamPassword, "refused the gateway's login");
                assertNoSecretIn(bytes, wrongUpstreamPassword);
                assertThatThrownBy(wrongUpstreamPassword::connect).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08001");
                    assertNoSecretIn(String.valueOf(e.getMessage()), wrongUpstreamPassword);
                });
            }

            try (GatewayFixture missingSecret = start(credential("file:" + directory.resolve("does-not-exist")))) {
                assertNoSecretIn(failedLogin(missingSecret, "credential for it is unavailable"), missingSecret);
            }

            try (GatewayFixture unreachable = start(target -> new TargetConfig(target.name(), "127.0.0.1", closedPort,
                    target.database(), target.tls(), target.caFile(), target.readOnly(), target.readWrite()))) {
                long started = System.nanoTime();
                String bytes = failedLogin(unreachable, "unreachable");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CONNECT_TIMEOUT);
                assertNoSecretIn(bytes, unreachable);
            }

            // The failures were logged for the operator, without the secrets.
            assertThat(logs.lines()).anyMatch(line -> line.contains("upstream refused the login"));
            assertThat(logs.lines()).anyMatch(line -> line.contains("is unavailable"));
            for (String secret : secrets) {
                assertThat(logs.lines()).as("log lines").noneMatch(line -> line.contains(secret));
            }
        }
    }

    @Test
    void aSecretsFileIsNeverQuotedWhenItCannotBeUsed() throws Exception {
        // A file that is not a password (a private key, by mistake) must not be echoed into a log.
        String notAPassword = "-----BEGIN PRIVATE KEY-----\n" + UUID.randomUUID() + "\n-----END PRIVATE KEY-----\n";
        Path keyFile = Files.writeString(directory.resolve("key.pem"), notAPassword);
        try (LogCapture logs = LogCapture.start();
                GatewayFixture fixture = start(credential("file:" + keyFile))) {
            try (RawPgClient client = new RawPgClient(fixture)) {
                client.send(startup(login()));
                Message answer = client.scram(fixture.token());
                assertThat(answer.type()).isEqualTo('E');
                assertThat(new String(client.received(), StandardCharsets.UTF_8)).doesNotContain(notAPassword.substring(28, 60));
            }
            assertThat(logs.lines()).noneMatch(line -> line.contains(notAPassword.substring(28, 60)));
        }
    }
}
