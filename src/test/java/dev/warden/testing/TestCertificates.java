package dev.warden.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority and a server certificate it signed for {@code localhost} and
 * {@code 127.0.0.1}, generated fresh (EC P-256) and written as PEM files. Nothing is checked in:
 * a key in the repository would be a key anyone could use, and it would expire one day.
 */
public final class TestCertificates {
    public static final String SERVER_DNS_NAME = "localhost";
    public static final String SERVER_IP_ADDRESS = "127.0.0.1";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(7);

    private final Path caCertificate;
    private final Path serverCertificate;
    private final Path serverPrivateKey;

    private TestCertificates(Path caCertificate, Path serverCertificate, Path serverPrivateKey) {
        this.caCertificate = requireNonNull(caCertificate, "caCertificate is null");
        this.serverCertificate = requireNonNull(serverCertificate, "serverCertificate is null");
        this.serverPrivateKey = requireNonNull(serverPrivateKey, "serverPrivateKey is null");
    }

    /** Writes {@code ca.crt}, {@code server.crt} and {@code server.key} (PKCS#8) into {@code directory}. */
    public static TestCertificates create(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Files.createDirectories(directory);
        KeyPair caKeys = generateKeyPair();
        X509Certificate ca = issueCa(caKeys, "Warden Test CA");
        KeyPair serverKeys = generateKeyPair();
        X509Certificate server = issueServer(ca, caKeys, serverKeys);
        return new TestCertificates(
                writePem(directory.resolve("ca.crt"), "CERTIFICATE", encoded(ca)),
                writePem(directory.resolve("server.crt"), "CERTIFICATE", encoded(server)),
                writePem(directory.resolve("server.key"), "PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
    }

    /**
     * Writes {@code unrelated-ca.crt}: a CA that signed nothing here, for tests in which a client
     * trusting it must refuse the server.
     */
    public static Path createUnrelatedCa(Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Files.createDirectories(directory);
        X509Certificate unrelated = issueCa(generateKeyPair(), "Unrelated Test CA");
        return writePem(directory.resolve("unrelated-ca.crt"), "CERTIFICATE", encoded(unrelated));
    }

    public Path caCertificate() {
        return caCertificate;
    }

    public Path serverCertificate() {
        return serverCertificate;
    }

    public Path serverPrivateKey() {
        return serverPrivateKey;
    }

    private static X509Certificate issueCa(KeyPair keys, String commonName) {
        X500Name subject = new X500Name("CN=" + commonName + ",O=Warden tests");
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys);
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not issue the test CA", e);
        }
    }

    private static X509Certificate issueServer(X509Certificate ca, KeyPair caKeys, KeyPair serverKeys) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        X500Name subject = new X500Name("CN=" + SERVER_DNS_NAME + ",O=Warden tests");
        // Hostname verification (pgJDBC sslmode=verify-full, libpq, browsers) reads the SAN only,
        // never the CN, so both the name and the address a test may dial are listed.
        GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, SERVER_DNS_NAME),
                new GeneralName(GeneralName.iPAddress, SERVER_IP_ADDRESS)});
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(issuer, subject, serverKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca));
            return sign(builder, caKeys);
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not issue the test server certificate", e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        // Back-dated a little so a clock that is slightly off does not make it "not yet valid".
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        }
        catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encode " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
