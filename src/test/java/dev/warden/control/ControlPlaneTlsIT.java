package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestCertificates;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The control plane with TLS of its own: HTTPS with the configured certificate, and no plain HTTP beside it. */
class ControlPlaneTlsIT {
    @Test
    void servesHttpsWithItsCertificateAndNothingInTheClear() throws Exception {
        Path directory = Files.createTempDirectory("warden-control-tls-");
        TestCertificates certificates = TestCertificates.create(directory);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> config.withControl(new ControlConfig(
                Optional.of(new ControlConfig.Listener("127.0.0.1", 0, Optional.of(new ControlConfig.Tls(
                        certificates.serverCertificate(), certificates.serverPrivateKey())))),
                Optional.empty(), Map.of(), ControlConfig.DEFAULT_MAX_PENDING_APPROVALS, List.of(), Optional.empty())),
                ApprovalIT.POLICY, ApprovalIT.SETUP)) {
            int port = gateway.fullGateway().controlPort().orElseThrow();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificates.caCertificate())).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/healthz"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.sslSession()).isPresent();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain HTTP gets no answer from a TLS listener").isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the CA refuses the certificate").isInstanceOf(java.io.IOException.class);
        }
    }

    private static SSLContext trusting(Path ca) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
