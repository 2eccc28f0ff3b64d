package dev.warden.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
    @TempDir
    Path directory;

    @Test
    void writesPemFilesThatJavaParses() throws Exception {
        TestCertificates certificates = TestCertificates.create(directory);

        X509Certificate ca = read(certificates.caCertificate());
        X509Certificate server = read(certificates.serverCertificate());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        List<String> alternativeNames = server.getSubjectAlternativeNames().stream()
                .map(name -> String.valueOf(name.get(1)))
                .toList();
        assertThat(alternativeNames).containsExactlyInAnyOrder("localhost", "127.0.0.1");
        assertThat(Files.readString(certificates.serverPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void serverCertificateChainsToItsCaButNotToAnUnrelatedOne() throws Exception {
        TestCertificates certificates = TestCertificates.create(directory);
        X509Certificate server = read(certificates.serverCertificate());

        validate(server, read(certificates.caCertificate()));
        X509Certificate unrelated = read(TestCertificates.createUnrelatedCa(directory));
        assertThatThrownBy(() -> validate(server, unrelated)).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void nettyBuildsServerAndClientContextsFromTheFiles() throws Exception {
        TestCertificates certificates = TestCertificates.create(directory);

        SslContext server = SslContextBuilder
                .forServer(certificates.serverCertificate().toFile(), certificates.serverPrivateKey().toFile())
                .build();
        SslContext client = SslContextBuilder.forClient()
                .trustManager(certificates.caCertificate().toFile())
                .build();

        assertThat(server.isServer()).isTrue();
        assertThat(client.isClient()).isTrue();
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void validate(X509Certificate server, X509Certificate trusted) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
    }
}
