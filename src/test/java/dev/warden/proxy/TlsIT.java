package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.ListenerConfig;
import dev.warden.config.SecretReference;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.config.UpstreamTlsMode;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** TLS toward the client in each listener mode, and toward an upstream PostgreSQL with ssl=on. */
class TlsIT {
    private static Path directory;
    private static TestCertificates certificates;
    private static Path unrelatedCa;

    @BeforeAll
    static void createCertificates() throws Exception {
        directory = Files.createTempDirectory("warden-tls-it-");
        certificates = TestCertificates.create(directory);
        unrelatedCa = TestCertificates.createUnrelatedCa(directory);
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static GatewayFixture withListenerTls(ClientTlsMode mode) {
        return GatewayFixture.start(config -> GatewayFixture.withListener(config, new ListenerConfig("127.0.0.1", 0, mode,
                mode == ClientTlsMode.OFF ? null : certificates.serverCertificate(),
                mode == ClientTlsMode.OFF ? null : certificates.serverPrivateKey())));
    }

    private static Connection connect(GatewayFixture gateway, String host, String sslParameters) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", GatewayFixture.IDENTITY);
        properties.setProperty("password", gateway.token());
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + gateway.port() + "/"
                + GatewayFixture.TARGET + "?" + sslParameters, properties);
    }

    private static String verifyFull(Path ca) {
        return "sslmode=verify-full&sslrootcert=" + ca;
    }

    /**
     * Runs a query. With sslmode=verify-full pgJDBC cannot have connected without TLS and a verified
     * certificate, so success is the proof of encryption.
     */
    private static void assertWorks(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
    }

    @Test
    void requiredListenerAcceptsVerifiedTlsAndRefusesPlaintextWithAHint() throws Exception {
        try (GatewayFixture gateway = withListenerTls(ClientTlsMode.REQUIRED)) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                try (Connection connection = connect(gateway, host, verifyFull(certificates.caCertificate()))) {
                    assertWorks(connection);
                }
            }
            assertThatThrownBy(() -> connect(gateway, "localhost", "sslmode=disable"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28000");
                        assertThat(e.getServerErrorMessage().getMessage()).contains("requires TLS");
                        assertThat(e.getServerErrorMessage().getHint()).contains("sslmode=require");
                    });
            // A client that trusts another CA must refuse the gateway.
            assertThatThrownBy(() -> connect(gateway, "localhost", verifyFull(unrelatedCa)))
                    .isInstanceOf(SQLException.class);
            try (Connection connection = connect(gateway, "localhost", verifyFull(certificates.caCertificate()))) {
                assertWorks(connection);
            }
        }
    }

    @Test
    void optionalListenerServesBoth() throws Exception {
        try (GatewayFixture gateway = withListenerTls(ClientTlsMode.OPTIONAL)) {
            try (Connection connection = connect(gateway, "localhost", verifyFull(certificates.caCertificate()))) {
                assertWorks(connection);
            }
            try (Connection connection = connect(gateway, "localhost", "sslmode=disable")) {
                assertWorks(connection);
            }
            try (Connection connection = connect(gateway, "localhost", "sslmode=prefer")) {
                assertWorks(connection);
            }
        }
    }

    @Test
    void listenerWithoutTlsDeclinesItCleanly() throws Exception {
        try (GatewayFixture gateway = withListenerTls(ClientTlsMode.OFF)) {
            assertThatThrownBy(() -> connect(gateway, "localhost", "sslmode=require"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).containsIgnoringCase("does not support SSL"));
            try (Connection connection = connect(gateway, "localhost", "sslmode=prefer")) {
                assertWorks(connection);
            }
            BadInputIT.assertServes(gateway);
        }
    }

    @Test
    void upstreamTlsIsNeverSilentlyDowngraded() throws Exception {
        // The shared test server has ssl=off and answers the SSLRequest with 'N'.
        try (GatewayFixture gateway = GatewayFixture.start(config -> GatewayFixture.withTarget(config,
                target -> new TargetConfig(target.name(), target.host(), target.port(), target.database(),
                        UpstreamTlsMode.REQUIRE, null, target.readOnly(), target.readWrite())))) {
            assertThatThrownBy(gateway::connect).isInstanceOfSatisfying(PSQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getServerErrorMessage().getMessage()).startsWith("could not connect to target \"app\"");
            });
        }
    }

    /** A second PostgreSQL with ssl=on and the test server certificate. */
    @Nested
    class UpstreamTls {
        private static EmbeddedPostgres server;

        @BeforeAll
        static void startServer() throws Exception {
            // PostgreSQL refuses a key file that others can read.
            Path key = directory.resolve("upstream.key");
            Files.copy(certificates.serverPrivateKey(), key);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            server = EmbeddedPostgres.builder()
                    .setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", certificates.serverCertificate().toString())
                    .setServerConfig("ssl_key_file", key.toString())
                    // 127.0.0.2 too: an address the certificate does not name, to check host name verification.
                    .setServerConfig("listen_addresses", "127.0.0.1,127.0.0.2")
                    .start();
        }

        @AfterAll
        static void stopServer() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        private GatewayFixture gatewayTo(String host, UpstreamTlsMode mode, Path ca) throws Exception {
            Path password = Files.writeString(directory.resolve("upstream-password-" + mode + "-" + host), "unused");
            // zonky's server trusts local connections; the point here is the transport, not the login.
            UpstreamCredential credential = new UpstreamCredential("postgres", SecretReference.parse("file:" + password));
            return GatewayFixture.start(config -> GatewayFixture.withTarget(config, target -> new TargetConfig(
                    target.name(), host, server.getPort(), "postgres", mode, ca, credential, Optional.of(credential))));
        }

        private static boolean upstreamSessionIsEncrypted(GatewayFixture gateway) throws SQLException {
            try (Connection connection = gateway.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertThat(rows.next()).isTrue();
                return rows.getBoolean(1);
            }
        }

        @Test
        void verifyFullWithTheRightCa() throws Exception {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                try (GatewayFixture gateway = gatewayTo(host, UpstreamTlsMode.VERIFY_FULL, certificates.caCertificate())) {
                    assertThat(upstreamSessionIsEncrypted(gateway)).isTrue();
                }
            }
        }

        @Test
        void verifyFullWithAnUnrelatedCaRefusesTheServer() throws Exception {
            try (GatewayFixture gateway = gatewayTo("localhost", UpstreamTlsMode.VERIFY_FULL, unrelatedCa)) {
                assertThatThrownBy(gateway::connect).isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08001");
                    assertThat(e.getServerErrorMessage().getMessage()).startsWith("could not connect to target \"app\"");
                });
            }
        }

        @Test
        void verifyFullRefusesACertificateForAnotherHost() throws Exception {
            try (GatewayFixture gateway = gatewayTo("127.0.0.2", UpstreamTlsMode.VERIFY_FULL, certificates.caCertificate())) {
                assertThatThrownBy(gateway::connect).isInstanceOfSatisfying(PSQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("08001"));
            }
            try (GatewayFixture gateway = gatewayTo("127.0.0.2", UpstreamTlsMode.REQUIRE, null)) {
                assertThat(upstreamSessionIsEncrypted(gateway)).isTrue();
            }
        }

        @Test
        void requireEncryptsWithoutCheckingTheCertificate() throws Exception {
            try (GatewayFixture gateway = gatewayTo("localhost", UpstreamTlsMode.REQUIRE, null)) {
                assertThat(upstreamSessionIsEncrypted(gateway)).isTrue();
            }
        }

        @Test
        void disableStaysInPlaintext() throws Exception {
            try (GatewayFixture gateway = gatewayTo("localhost", UpstreamTlsMode.DISABLE, null)) {
                assertThat(upstreamSessionIsEncrypted(gateway)).isFalse();
            }
        }
    }
}
