package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.ListenerConfig;
import dev.warden.config.OidcConfig;
import dev.warden.config.WardenConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.UpstreamAccess;
import dev.warden.recording.ChainedRecord;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.LogCapture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import dev.warden.testing.RawPgClient;
import dev.warden.testing.TestCertificates;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.WireMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * OIDC access tokens as the PostgreSQL password, against a real issuer (discovery, JWKS, signed
 * tokens) and a real PostgreSQL, through pgJDBC and psql over TLS.
 */
class OidcAuthenticationIT {
    private static final String AUDIENCE = "warden";
    private static final String POLICY = """
            rules:
              - name: contractors-may-not-delete
                outcome: deny
                subjects: { groups: [contractors] }
                match: { statements: [delete] }
                reason: "Contractors do not delete data."
              - name: everything-else
                outcome: allow
            """;

    private static Path directory;
    private static TestCertificates certificates;
    private static TestIssuer issuer;
    private static GatewayFixture gateway;
    private static final List<String> issuedTokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("warden-oidc-it-");
        certificates = TestCertificates.create(directory);
        issuer = TestIssuer.start();
        gateway = GatewayFixture.startWithPolicy(config -> withOidc(config, false), POLICY,
                "CREATE TABLE notes (id int, body text)", "INSERT INTO notes VALUES (1, 'one'), (2, 'two')");
    }

    /** TLS offered (not required, so refusals without it can be seen), OIDC on, one configured OIDC identity. */
    static WardenConfig withOidc(WardenConfig config, boolean loopbackWithoutTls) {
        WardenConfig withTls = GatewayFixture.withListener(config, new ListenerConfig("127.0.0.1", 0, ClientTlsMode.OPTIONAL,
                certificates.serverCertificate(), certificates.serverPrivateKey()));
        Map<String, Identity> identities = new LinkedHashMap<>(withTls.identities());
        identities.put("carol", new Identity("carol", Optional.empty(), List.of("dbas"), UpstreamAccess.READ_WRITE));
        OidcConfig oidc = new OidcConfig(issuer.issuer(), AUDIENCE, OidcConfig.IdentityClaim.SUB, Optional.of("groups"),
                UpstreamAccess.READ_ONLY, Duration.ofSeconds(60), Duration.ofMillis(500), loopbackWithoutTls,
                Map.of("bob-alias", "bob"));
        return GatewayFixture.withIdentities(withTls, identities).withOidc(Optional.of(oidc));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static String token(String subject) {
        return remember(issuer.token(subject, AUDIENCE));
    }

    private static String remember(String token) {
        issuedTokens.add(token);
        return token;
    }

    private static Connection connect(GatewayFixture through, String user, String password, String sslmode)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + through.port() + "/" + GatewayFixture.TARGET
                + "?sslmode=" + sslmode, properties);
    }

    private static Connection connect(String user, String password) throws SQLException {
        return connect(gateway, user, password, "require");
    }

    private static PSQLException refusal(String user, String password) {
        return catchThrowableOfType(PSQLException.class, () -> connect(user, password).close());
    }

    private static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void validTokenConnectsAndIsRecordedWithItsGroups() throws Exception {
        String token = remember(issuer.token("dave", AUDIENCE, Map.of("groups", List.of("analysts", "oncall")),
                Duration.ofMinutes(10)));
        try (Connection connection = connect("dave", token)) {
            assertThat(queryOne(connection, "SELECT count(*) FROM notes")).isEqualTo("2");
            // access: read_only for token identities not configured: the database refuses writes too.
            assertThat(queryOne(connection, "SHOW default_transaction_read_only")).isEqualTo("on");
        }
        SessionSummary session = latestSessionOf("dave");
        assertThat(session.authMethod()).contains("oidc");
        ChainedRecord start = gateway.audit().store().records(session.id(), 0, 1).get(0);
        assertThat(start.body()).contains("\"groups\":[\"analysts\",\"oncall\"]").contains("\"tls\":true")
                .doesNotContain(token);
    }

    @Test
    void tokenGroupsAndConfiguredGroupsBothReachThePolicy() throws Exception {
        String token = remember(issuer.token("carol", AUDIENCE, Map.of("groups", List.of("contractors")),
                Duration.ofMinutes(10)));
        try (Connection connection = connect("carol", token); Statement statement = connection.createStatement()) {
            // carol is configured read_write, so the write is refused by the policy, not by the database.
            assertThatThrownBy(() -> statement.execute("DELETE FROM notes WHERE id = 1"))
                    .isInstanceOf(PSQLException.class)
                    .hasMessageContaining("contractors-may-not-delete");
            assertThat(queryOne(connection, "SHOW default_transaction_read_only")).isEqualTo("off");
        }
        ChainedRecord start = gateway.audit().store().records(latestSessionOf("carol").id(), 0, 1).get(0);
        assertThat(start.body()).contains("\"groups\":[\"contractors\",\"dbas\"]");
    }

    @Test
    void aliasLetsAnotherUserNameActAsTheTokenIdentity() throws Exception {
        try (Connection connection = connect("bob-alias", token("bob"))) {
            assertThat(queryOne(connection, "SELECT 1")).isEqualTo("1");
        }
        assertThat(latestSessionOf("bob").authMethod()).contains("oidc");
    }

    @Test
    void userThatDoesNotMatchTheTokenIsRefused() {
        PSQLException e = refusal("mallory", token("dave"));
        assertThat(e.getSQLState()).isEqualTo("28000");
        assertThat(e.getMessage()).contains("user \"mallory\" does not match the access token's identity \"dave\"");
    }

    @Test
    void expiredTokenIsRefusedWithTheReason() {
        String expired = remember(issuer.tokenMintedAt(Instant.now().minus(Duration.ofHours(2)), "dave", AUDIENCE,
                Duration.ofHours(1)));
        PSQLException e = refusal("dave", expired);
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("password authentication failed for user \"dave\"").contains("has expired");
    }

    @Test
    void tokenNotYetValidIsRefused() {
        String future = remember(issuer.tokenMintedAt(Instant.now().plus(Duration.ofMinutes(10)), "dave", AUDIENCE,
                Duration.ofHours(1)));
        PSQLException e = refusal("dave", future);
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("not valid yet");
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        PSQLException e = refusal("dave", remember(issuer.token("dave", "some-other-api")));
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("its aud must include \"warden\"");
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        PSQLException e = refusal("dave", remember(issuer.tokenOfAnotherIssuer("dave", AUDIENCE)));
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("not issued by " + issuer.issuer());
    }

    @Test
    void forgedSignatureIsRefusedWithoutDetail() {
        PSQLException e = refusal("dave", remember(issuer.forgedToken("dave", AUDIENCE)));
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getServerErrorMessage().getDetail()).isNull();
    }

    @Test
    void unsignedTokenIsRefused() {
        PSQLException e = refusal("dave", remember(issuer.unsignedToken("dave", AUDIENCE)));
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getServerErrorMessage().getDetail()).isNull();
    }

    @Test
    void malformedTokenIsRefusedLikeAWrongPassword() {
        PSQLException e = refusal("dave", "eyJhbGciOi.not-a-jwt");
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("password authentication failed for user \"dave\"");
    }

    @Test
    void unknownUserFailsExactlyLikeAKnownOneWithABadToken() {
        PSQLException unknown = refusal("nobody-" + System.nanoTime(), "wrong");
        PSQLException known = refusal("carol", "wrong");
        assertThat(unknown.getSQLState()).isEqualTo(known.getSQLState()).isEqualTo("28P01");
        assertThat(unknown.getServerErrorMessage().getMessage().replaceAll("\"[^\"]*\"", "U"))
                .isEqualTo(known.getServerErrorMessage().getMessage().replaceAll("\"[^\"]*\"", "U"));
    }

    @Test
    void keyRotationIsFollowed() throws Exception {
        try (Connection connection = connect("erin", token("erin"))) {
            assertThat(queryOne(connection, "SELECT 1")).isEqualTo("1");
        }
        issuer.rotateKey();
        // Past the refresh interval, the unknown key id makes the gateway fetch the JWKS again.
        Thread.sleep(600);
        try (Connection connection = connect("erin", token("erin"))) {
            assertThat(queryOne(connection, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void tokenIsNeverAskedForWithoutTls() {
        PSQLException e = catchThrowableOfType(PSQLException.class,
                () -> connect(gateway, "dave", token("dave"), "disable").close());
        assertThat(e.getSQLState()).isEqualTo("28000");
        assertThat(e.getMessage()).contains("only over TLS");
    }

    @Test
    void scramIdentitiesStillWorkBesideOidc() throws Exception {
        try (Connection connection = gateway.connect()) {
            assertThat(queryOne(connection, "SELECT 1")).isEqualTo("1");
        }
        assertThat(latestSessionOf(GatewayFixture.IDENTITY).authMethod()).contains("scram-sha-256");
    }

    @Test
    void hugePasswordMessageClosesTheConnectionWithAProtocolError() throws Exception {
        try (GatewayFixture plain = GatewayFixture.start(config -> withOidc(config, true));
                RawPgClient client = new RawPgClient(plain)) {
            client.send(WireMessages.startup(Map.of("user", "dave", "database", GatewayFixture.TARGET)));
            RawPgClient.Message request = client.read();
            assertThat(request.type()).isEqualTo('R');
            assertThat(RawPgClient.authCode(request)).isEqualTo(3);
            // Only the header and a little of the body: the length alone must get it refused, before any buffering.
            client.send(new byte[] {'p'}, WireMessages.int32(200_004), "x".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            RawPgClient.Message error = client.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.sqlState()).isEqualTo("08P01");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void loopbackWithoutTlsOnlyWhenEnabled() throws Exception {
        try (GatewayFixture plain = GatewayFixture.start(config -> withOidc(config, true));
                Connection connection = connect(plain, "dave", token("dave"), "disable")) {
            assertThat(queryOne(connection, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void psqlConnectsWithATokenOverTls() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        String token = token("frank");
        ProcessResult result = ProcessRunner.program("psql")
                .args("-X", "-A", "-t", "-c", "SELECT count(*) FROM notes",
                        "host=127.0.0.1 port=" + gateway.port() + " dbname=" + GatewayFixture.TARGET
                                + " user=frank sslmode=require")
                .env("PGPASSWORD", token)
                .timeout(Duration.ofSeconds(30))
                .run();
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().strip()).isEqualTo("2");
    }

    @Test
    void tokensNeverReachTheLogOrTheStore() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            String good = token("grace");
            try (Connection connection = connect("grace", good)) {
                queryOne(connection, "SELECT 1");
            }
            String expired = remember(issuer.tokenMintedAt(Instant.now().minus(Duration.ofHours(2)), "grace", AUDIENCE,
                    Duration.ofHours(1)));
            refusal("grace", expired);
            refusal("grace", remember(issuer.forgedToken("grace", AUDIENCE)));
            refusal("mallory", token("grace"));
            for (String token : issuedTokens) {
                assertThat(log.anyLineContains(token)).as("a token in the log").isFalse();
                // The signature alone is a secret too: with it the token can be rebuilt from its parts.
                assertThat(log.anyLineContains(token.substring(token.lastIndexOf('.') + 1))).isFalse();
            }
            assertThat(log.anyLineContains("authentication failed for user \"grace\"")).isTrue();
        }
        for (SessionSummary session : gateway.audit().store().sessions(SessionQuery.all())) {
            for (ChainedRecord record : gateway.audit().store().records(session.id(), 0, 1000)) {
                for (String token : issuedTokens) {
                    assertThat(record.body()).doesNotContain(token);
                }
            }
        }
    }

    private static SessionSummary latestSessionOf(String identity) throws Exception {
        return gateway.audit().store().sessions(SessionQuery.all().withIdentity(identity)).get(0);
    }
}
