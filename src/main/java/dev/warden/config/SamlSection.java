package dev.warden.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code control.saml}. Everything a login depends on is checked here, at start, so that a
 * wrong certificate or address shows up in {@code warden config validate} rather than as a refused
 * login on the day people need it.
 */
final class SamlSection {
    private static final List<String> KEYS = List.of("idp_entity_id", "idp_sso_url", "idp_certificate", "sp_entity_id",
            "identity_attribute", "groups_attribute", "want_assertions_signed");
    private static final String NAME_ID = "NameID";
    private static final Map<String, Boolean> BOOLEANS = new LinkedHashMap<>();

    static {
        BOOLEANS.put("true", true);
        BOOLEANS.put("false", false);
    }

    private SamlSection() {}

    /** @param publicUrl the control plane's public address: the ACS URL and default entity id are built from it */
    static Optional<SamlConfig> read(YamlNode node, Optional<String> publicUrl, Path baseDirectory) {
        return node.asMapping(KEYS).flatMap(mapping -> {
            ConfigProblems problems = mapping.self().problems();
            int before = problems.size();
            String idpEntityId = mapping.required("idp_entity_id", YamlNode::asWord);
            URI sso = mapping.required("idp_sso_url", SamlSection::readSsoUrl);
            X509Certificate certificate = mapping.required("idp_certificate", n -> readCertificate(n, baseDirectory));
            String spEntityId = mapping.optional("sp_entity_id", YamlNode::asWord);
            String identity = mapping.optional("identity_attribute", YamlNode::asWord);
            String groups = mapping.optional("groups_attribute", YamlNode::asWord);
            Boolean signed = mapping.value("want_assertions_signed", n -> n.asChoice(BOOLEANS), true);
            if (publicUrl.isEmpty()) {
                // The IdP must be told one fixed ACS address, and responses are checked against it: it
                // cannot be worked out from a request's Host header.
                node.problem("needs control.public_url: the identity provider posts to <public_url>" + SamlConfig.ACS_PATH);
                return Optional.empty();
            }
            if (problems.size() != before) {
                return Optional.empty();
            }
            SamlConfig defaults = SamlConfig.of(idpEntityId, sso, certificate, publicUrl.get(), Optional.ofNullable(groups));
            return Optional.of(new SamlConfig(idpEntityId, sso, certificate,
                    spEntityId != null ? spEntityId : defaults.spEntityId(), defaults.acsUrl(),
                    identity == null || identity.equals(NAME_ID) ? Optional.empty() : Optional.of(identity),
                    defaults.groupsAttribute(), signed));
        });
    }

    /**
     * https, or http to loopback for development: the AuthnRequest itself is not secret, but a browser
     * sent to a plain-http IdP elsewhere types its password where anyone on the way can read it.
     */
    private static Optional<URI> readSsoUrl(YamlNode node) {
        return node.asUri().flatMap(uri -> {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                node.problem("must be an https:// URL with a host and no credentials or fragment");
                return Optional.empty();
            }
            if (scheme.equals("http") && !YamlNode.isLoopbackHost(uri.getHost())) {
                node.problem("must use https: people type their passwords there (http is accepted for localhost only)");
                return Optional.empty();
            }
            return Optional.of(uri);
        });
    }

    /**
     * The IdP's signing certificate, parsed now. java-saml checks RSA (and DSA) signatures only, so a
     * certificate with another kind of key could never verify a login: refused here, with the reason.
     */
    private static Optional<X509Certificate> readCertificate(YamlNode node, Path baseDirectory) {
        return node.asReadableFile(baseDirectory).flatMap(file -> {
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(file)) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (CertificateException | ClassCastException e) {
                node.problem("file " + file + " is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)");
                return Optional.empty();
            } catch (IOException e) {
                node.problem("cannot read " + file + ": " + e.getClass().getSimpleName());
                return Optional.empty();
            }
            if (!(certificate.getPublicKey() instanceof RSAPublicKey rsa)) {
                node.problem("the certificate in " + file + " holds a " + certificate.getPublicKey().getAlgorithm()
                        + " key; SAML responses are verified with RSA keys only");
                return Optional.empty();
            }
            if (rsa.getModulus().bitLength() < 2048) {
                node.problem("the certificate in " + file + " holds an RSA key of " + rsa.getModulus().bitLength()
                        + " bits; at least 2048 are needed");
                return Optional.empty();
            }
            return Optional.of(certificate);
        });
    }
}
