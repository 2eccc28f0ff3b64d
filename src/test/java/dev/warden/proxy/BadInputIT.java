package dev.warden.proxy;

import static dev.warden.testing.WireMessages.concat;
import static dev.warden.testing.WireMessages.int32;
import static dev.warden.testing.WireMessages.message;
import static dev.warden.testing.WireMessages.query;
import static dev.warden.testing.WireMessages.startup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.LimitsConfig;
import dev.warden.config.ListenerConfig;
import dev.warden.config.WardenConfig;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.LogCapture;
import dev.warden.testing.RawPgClient;
import dev.warden.testing.RawPgClient.Message;
import dev.warden.testing.TestCertificates;
import dev.warden.testing.WireMessages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * What a hostile or broken client can send over raw TCP, and what it gets back. After every case
 * the same gateway must still serve an ordinary pgJDBC client.
 */
class BadInputIT {
    private static final int MAX_MESSAGE_BYTES = 8192;

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start(config -> GatewayFixture.withLimits(config,
                limits(config, MAX_MESSAGE_BYTES, config.limits().authenticationTimeout())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void gatewayStillServesANormalClient() throws Exception {
        assertServes(gateway);
    }

    static void assertServes(GatewayFixture fixture) throws Exception {
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    static LimitsConfig limits(WardenConfig config, int maxMessageBytes, Duration authenticationTimeout) {
        LimitsConfig limits = config.limits();
        return new LimitsConfig(maxMessageBytes, limits.connectTimeout(), authenticationTimeout, limits.idleTimeout(),
                Duration.ofSeconds(1));
    }

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Map<String, String> login() {
        return params("user", GatewayFixture.IDENTITY, "database", GatewayFixture.TARGET);
    }

    private static void assertFatal(Message message, String sqlState) {
        assertThat(message).as("expected an ErrorResponse").isNotNull();
        assertThat(message.type()).as("%s", message).isEqualTo('E');
        assertThat(message.fields()).containsEntry('S', "FATAL").containsEntry('C', sqlState);
    }

    /** An error with the given SQLSTATE, or the connection simply closed: both are acceptable refusals. */
    private static void assertRefused(RawPgClient client, String sqlState) throws Exception {
        Message message = client.read();
        if (message != null) {
            assertFatal(message, sqlState);
        }
        assertThat(client.closedByServer()).isTrue();
    }

    // --- authentication ---

    @Test
    void wrongToken() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            Message answer = client.login(login(), gateway.token() + "x");
            assertFatal(answer, "28P01");
            assertThat(answer.message()).isEqualTo("password authentication failed for user \"agent\"");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownIdentityIsIndistinguishableFromAWrongToken() throws Exception {
        Map<String, String> stranger = params("user", "mallory", "database", GatewayFixture.TARGET);
        String first;
        String second;
        String known;
        try (RawPgClient client = new RawPgClient(gateway)) {
            first = client.serverFirstMessage(stranger);
        }
        try (RawPgClient client = new RawPgClient(gateway)) {
            second = client.serverFirstMessage(stranger);
        }
        try (RawPgClient client = new RawPgClient(gateway)) {
            known = client.serverFirstMessage(login());
        }
        // Same salt every time and the same iteration count as a real identity: the salt of a name
        // that changed per attempt, or an odd count, would tell an attacker the name does not exist.
        assertThat(salt(first)).isEqualTo(salt(second));
        assertThat(iterations(first)).isEqualTo(iterations(known));
        assertThat(first.replaceAll("r=[^,]*,s=[^,]*", "")).isEqualTo(known.replaceAll("r=[^,]*,s=[^,]*", ""));

        try (RawPgClient client = new RawPgClient(gateway)) {
            Message answer = client.login(stranger, gateway.token());
            assertFatal(answer, "28P01");
            assertThat(answer.message()).isEqualTo("password authentication failed for user \"mallory\"");
            assertThat(answer.fields().keySet()).containsExactly('S', 'V', 'C', 'M');
            assertThat(client.closedByServer()).isTrue();
        }
        try (RawPgClient client = new RawPgClient(gateway)) {
            Message answer = client.login(login(), "not-the-token");
            assertThat(answer.fields().keySet()).containsExactly('S', 'V', 'C', 'M');
        }
    }

    private static String salt(String serverFirst) {
        return serverFirst.replaceAll(".*,s=([^,]*),.*", "$1");
    }

    private static String iterations(String serverFirst) {
        return serverFirst.replaceAll(".*,i=", "");
    }

    @Test
    void unknownDatabaseIsReportedOnlyAfterAuthentication() throws Exception {
        Map<String, String> startup = params("user", GatewayFixture.IDENTITY, "database", "payroll");
        try (RawPgClient client = new RawPgClient(gateway)) {
            // Without the token, the name of a database must not be confirmed or denied.
            Message answer = client.login(startup, "wrong");
            assertFatal(answer, "28P01");
        }
        try (RawPgClient client = new RawPgClient(gateway)) {
            Message answer = client.login(startup, gateway.token());
            assertFatal(answer, "3D000");
            assertThat(answer.message()).isEqualTo("database \"payroll\" does not exist");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"options", "replication", "role", "session_authorization", "default_transaction_read_only"})
    void refusedStartupParameters(String name) throws Exception {
        Map<String, String> startup = login();
        startup.put(name, name.equals("options") ? "-c default_transaction_read_only=off" : "postgres");
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(startup));
            Message answer = client.read();
            assertFatal(answer, "42501");
            assertThat(answer.message()).contains("\"" + name + "\"");
            assertThat(answer.fields().get('H')).contains("application_name");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    // --- malformed startup ---

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 7, -1, Integer.MAX_VALUE, 20_000, 10_001})
    void startupPacketWithInvalidLength(int length) throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(int32(length), int32(WireMessages.PROTOCOL_3_0));
            assertRefused(client, "08P01");
        }
    }

    @Test
    void httpRequestInsteadOfAStartupPacket() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertRefused(client, "08P01");
        }
    }

    @Test
    void startupPacketWithoutItsTerminator() throws Exception {
        byte[] packet = startup(login());
        // Drop the final NUL but keep the length consistent with what is sent.
        byte[] truncated = java.util.Arrays.copyOf(packet, packet.length - 1);
        ByteBuffer.wrap(truncated).putInt(truncated.length);
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(truncated);
            assertRefused(client, "08P01");
        }
    }

    @Test
    void truncatedStartupPacketThenEof() throws Exception {
        byte[] packet = startup(login());
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(java.util.Arrays.copyOf(packet, packet.length / 2));
            client.shutdownOutput();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolVersionTwoIsRefused() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(2 << 16, login()));
            Message answer = client.read();
            assertFatal(answer, "0A000");
            assertThat(answer.message()).contains("unsupported frontend protocol 2.0");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolVersionThreeFiveIsNegotiatedDownAndTheLoginContinues() throws Exception {
        Map<String, String> startup = login();
        startup.put("_pq_.some_future_option", "on");
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup((3 << 16) | 5, startup));
            Message negotiate = client.read();
            assertThat(negotiate.type()).isEqualTo('v');
            ByteBuffer body = ByteBuffer.wrap(negotiate.body());
            assertThat(body.getInt()).as("newest minor version").isZero();
            assertThat(body.getInt()).as("unrecognized options").isEqualTo(1);
            assertThat(new String(negotiate.body(), 8, negotiate.body().length - 9, StandardCharsets.UTF_8))
                    .isEqualTo("_pq_.some_future_option");
            Message afterLogin = client.scram(gateway.token());
            assertThat(afterLogin.type()).as("%s", afterLogin).isEqualTo('R');
            assertThat(RawPgClient.authCode(afterLogin)).isZero();
            client.readUntil('Z');
            client.send(query("SELECT 40 + 2"));
            assertThat(client.readUntil('D').text()).contains("42");
            client.readUntil('Z');
        }
    }

    @Test
    void dataAfterSslRequestInTheSameWriteIsRefusedBeforeAnyHandshake() throws Exception {
        Path directory = Files.createTempDirectory("warden-tls-");
        TestCertificates certificates = TestCertificates.create(directory);
        try (GatewayFixture tls = GatewayFixture.start(config -> GatewayFixture.withListener(config,
                new ListenerConfig("127.0.0.1", 0, ClientTlsMode.OPTIONAL, certificates.serverCertificate(),
                        certificates.serverPrivateKey())))) {
            try (RawPgClient client = new RawPgClient(tls)) {
                // A man in the middle would append its own plaintext StartupMessage to the SSLRequest
                // (CVE-2021-23214): the gateway must not answer 'S' and then treat it as encrypted.
                client.send(WireMessages.sslRequest(), startup(login()));
                int first = client.readByte();
                assertThat(first).as("first byte").isNotEqualTo('S');
                assertThat(first == 'E' || first == -1).as("error or close, got %s", first).isTrue();
                assertThat(client.closedByServer()).isTrue();
                if (first == 'E') {
                    assertThat(new String(client.received(), StandardCharsets.UTF_8)).contains("08P01");
                }
            }
            assertServes(tls);
        }
    }

    // --- broken protocol during authentication ---

    @Test
    void secondStartupMessageDuringScram() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(login()));
            Message sasl = client.read();
            assertThat(RawPgClient.authCode(sasl)).isEqualTo(10);
            client.send(startup(params("user", "postgres", "database", "postgres")));
            Message answer = client.read();
            assertFatal(answer, "08P01");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void queryDuringAuthentication() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(login()));
            client.read();
            client.send(query("SELECT 1"));
            Message answer = client.read();
            assertFatal(answer, "08P01");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void queryPipelinedRightAfterTheStartupPacket() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            // A client may not send anything before AuthenticationOk.
            client.send(startup(login()), query("SELECT 1"));
            Message sasl = client.read();
            assertThat(sasl.type()).isEqualTo('R');
            assertFatal(client.read(), "08P01");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -5, 70_000, Integer.MAX_VALUE})
    void authenticationMessageWithInvalidLength(int length) throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(login()));
            client.read();
            client.send(new byte[] {'p'}, int32(length));
            assertRefused(client, "08P01");
        }
    }

    @Test
    void truncatedAuthenticationMessageThenEof() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(startup(login()));
            client.read();
            client.send(new byte[] {'p'}, int32(100), "SCRAM".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    // --- after login ---

    private static RawPgClient loggedIn() throws Exception {
        RawPgClient client = new RawPgClient(gateway);
        Message ok = client.login(login(), gateway.token());
        assertThat(ok.type()).as("%s", ok).isEqualTo('R');
        client.readUntil('Z');
        return client;
    }

    @Test
    void messageOverTheLimitAfterLogin() throws Exception {
        try (RawPgClient client = loggedIn()) {
            client.send(query("SELECT '" + "x".repeat(MAX_MESSAGE_BYTES) + "'"));
            Message answer = client.read();
            assertFatal(answer, "54000");
            assertThat(answer.message()).contains("limit of " + MAX_MESSAGE_BYTES + " bytes");
            assertThat(answer.fields().get('H')).contains("max_message_bytes");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void headerAnnouncingAHugeMessageIsRefusedWithoutWaitingForTheBody() throws Exception {
        try (RawPgClient client = loggedIn()) {
            client.send(new byte[] {'Q'}, int32(Integer.MAX_VALUE));
            Message answer = client.read();
            assertFatal(answer, "54000");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1})
    void messageWithAnImpossibleLengthAfterLogin(int length) throws Exception {
        try (RawPgClient client = loggedIn()) {
            client.send(new byte[] {'Q'}, int32(length));
            assertRefused(client, "08P01");
        }
    }

    @Test
    void truncatedFrameThenEofAfterLogin() throws Exception {
        try (RawPgClient client = loggedIn()) {
            byte[] q = query("SELECT 1");
            client.send(java.util.Arrays.copyOf(q, q.length - 3));
            client.shutdownOutput();
            // Nothing complete was sent: no answer, only the close.
            assertThat(client.closedByServer()).isTrue();
            assertThat(new String(client.received(), StandardCharsets.UTF_8)).doesNotContain("?column?");
        }
    }

    @Test
    void unknownMessageTypeIsRefusedByTheGatewayNotForwarded() throws Exception {
        try (LogCapture logs = LogCapture.start(); RawPgClient client = loggedIn()) {
            client.send(message('!', new byte[3]));
            Message answer = client.read();
            assertThat(answer.type()).isEqualTo('E');
            assertThat(answer.sqlState()).isEqualTo("08P01");
            assertThat(answer.message()).isEqualTo("invalid frontend message type 33");
            assertThat(client.closedByServer()).isTrue();
            // Fail closed: the gateway itself refused it (PostgreSQL would word it the same way).
            assertThat(logs.lines()).anyMatch(line -> line.contains("protocol violation: invalid frontend message type 33"));
        }
    }

    // --- cancel ---

    @Test
    void cancelRequestWithAWrongKeyHasNoEffect() throws Exception {
        try (Connection connection = gateway.connect()) {
            int processId = connection.unwrap(PGConnection.class).getBackendPID();
            long started = System.nanoTime();
            CompletableFuture<Boolean> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.execute("SELECT pg_sleep(1.5)");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            for (int secret : new int[] {0, 1, -1, 0x5eed}) {
                try (RawPgClient client = new RawPgClient(gateway)) {
                    client.send(WireMessages.cancelRequest(processId, secret));
                    // PostgreSQL answers a cancel request with nothing at all, match or not.
                    assertThat(client.closedByServer()).isTrue();
                    assertThat(client.received()).isEmpty();
                }
            }
            try (RawPgClient client = new RawPgClient(gateway)) {
                client.send(WireMessages.cancelRequest(processId + 1, 42));
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(sleeping.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
    }

    @Test
    void cancelRequestWithTrailingBytesIsRefused() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.send(int32(20), int32(WireMessages.CANCEL_REQUEST_CODE), int32(1), int32(2), int32(3));
            assertRefused(client, "08P01");
        }
    }

    // --- timeouts and back-off ---

    @Test
    void authenticationTimeout() throws Exception {
        try (GatewayFixture impatient = GatewayFixture.start(config -> GatewayFixture.withLimits(config,
                limits(config, MAX_MESSAGE_BYTES, Duration.ofMillis(500))))) {
            try (RawPgClient silent = new RawPgClient(impatient.host(), impatient.port(), Duration.ofSeconds(5));
                    RawPgClient stalled = new RawPgClient(impatient.host(), impatient.port(), Duration.ofSeconds(5))) {
                long started = System.nanoTime();
                // One sends nothing at all; the other stops in the middle of SCRAM.
                stalled.send(startup(login()));
                Message answer = silent.read();
                if (answer != null) {
                    assertFatal(answer, "57014");
                }
                assertThat(silent.closedByServer()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400),
                        Duration.ofMillis(3000));
                assertThat(stalled.read().type()).isEqualTo('R');
                Message stalledAnswer = stalled.read();
                if (stalledAnswer != null) {
                    assertFatal(stalledAnswer, "57014");
                }
                assertThat(stalled.closedByServer()).isTrue();
            }
            assertServes(impatient);
        }
    }

    @Test
    void repeatedFailuresFromOneSourceAreAnsweredMoreSlowly() throws Exception {
        try (GatewayFixture throttled = GatewayFixture.start()) {
            long[] millis = new long[5];
            for (int attempt = 0; attempt < 5; attempt++) {
                try (RawPgClient client = new RawPgClient(throttled)) {
                    client.send(startup(login()));
                    long started = System.nanoTime();
                    Message answer = client.scram("guess-" + attempt);
                    millis[attempt] = Duration.ofNanos(System.nanoTime() - started).toMillis();
                    assertFatal(answer, "28P01");
                }
            }
            assertThat(millis[0]).isLessThan(250);
            assertThat(millis[4]).as("fifth failure, times %s", java.util.Arrays.toString(millis))
                    .isGreaterThanOrEqualTo(250);
            // The right token still gets in, immediately, and clears the count.
            assertServes(throttled);
            try (RawPgClient client = new RawPgClient(throttled)) {
                client.send(startup(login()));
                long started = System.nanoTime();
                assertFatal(client.scram("guess-again"), "28P01");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
            }
        }
    }
}
