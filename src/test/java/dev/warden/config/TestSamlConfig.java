package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.TestCertificates;
import dev.warden.testing.TestSamlIdentityProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code control.saml}: what it reads, its defaults, and how a wrong value is reported. */
class TestSamlConfig {
    private static final String BASE = """
            listeners: [{}]
            targets:
              - name: appdb
                host: db.internal
                credentials:
                  read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
            control:
              port: 7070
              public_url: https://warden.example.com/
            """;

    @TempDir
    static Path directory;

    @BeforeAll
    static void writeCertificates() throws Exception {
        TestSamlIdentityProvider.create(directory, "idp");
        TestCertificates.create(directory.resolve("ec"));
        Files.writeString(directory.resolve("garbage.crt"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    }

    private static WardenConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, directory.resolve("warden.yaml"));
    }

    private static String problem(String yaml) {
        return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).actual().getMessage();
    }

    @Test
    void readsTheIdentityProviderAndDerivesOurAddressesFromThePublicUrl() throws Exception {
        SamlConfig saml = parse(BASE + """
                  saml:
                    idp_entity_id: https://idp.example.com/saml
                    idp_sso_url: https://idp.example.com/saml/sso
                    idp_certificate: idp.crt
                    groups_attribute: memberOf
                """).control().saml().orElseThrow();
        assertThat(saml.idpEntityId()).isEqualTo("https://idp.example.com/saml");
        assertThat(saml.idpSsoUrl()).hasToString("https://idp.example.com/saml/sso");
        assertThat(saml.idpCertificate().getSubjectX500Principal().getName()).contains("Warden test IdP");
        assertThat(saml.spEntityId()).isEqualTo("https://warden.example.com/saml/metadata");
        assertThat(saml.acsUrl()).hasToString("https://warden.example.com/saml/acs");
        assertThat(saml.identityAttribute()).isEmpty();
        assertThat(saml.groupsAttribute()).contains("memberOf");
        assertThat(saml.wantAssertionsSigned()).isTrue();
    }

    @Test
    void everyDefaultCanBeSetAndNameIdMeansTheNameId() throws Exception {
        SamlConfig saml = parse(BASE + """
                  saml:
                    idp_entity_id: urn:example:idp
                    idp_sso_url: http://localhost:8081/sso
                    idp_certificate: %s
                    sp_entity_id: urn:example:warden
                    identity_attribute: email
                    want_assertions_signed: false
                """.formatted(directory.resolve("idp.crt"))).control().saml().orElseThrow();
        assertThat(saml.spEntityId()).isEqualTo("urn:example:warden");
        assertThat(saml.identityAttribute()).contains("email");
        assertThat(saml.groupsAttribute()).isEmpty();
        assertThat(saml.wantAssertionsSigned()).isFalse();
        assertThat(parse(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: idp.crt,"
                + " identity_attribute: NameID }\n").control().saml().orElseThrow().identityAttribute()).isEqualTo(Optional.empty());
        assertThat(parse(BASE).control().saml()).isEmpty();
    }

    @Test
    void aFileThatIsNotACertificateIsNamedWithItsLineAndField() {
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: garbage.crt }\n"))
                .contains("warden.yaml:10:76: ")
                .contains("control.saml.idp_certificate: file " + directory.resolve("garbage.crt")
                        + " is not a PEM X.509 certificate");
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: missing.crt }\n"))
                .contains("control.saml.idp_certificate: file " + directory.resolve("missing.crt") + " does not exist");
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: ec/server.crt }\n"))
                .contains("control.saml.idp_certificate: the certificate in").contains("holds a EC key")
                .contains("RSA keys only");
    }

    @Test
    void theSingleSignOnAddressMustUseTlsBeyondLoopback() {
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'http://idp.example.com/sso', idp_certificate: idp.crt }\n"))
                .contains("control.saml.idp_sso_url: must use https");
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://u:p@idp/sso', idp_certificate: idp.crt }\n"))
                .contains("control.saml.idp_sso_url: must be an https:// URL").doesNotContain("u:p");
    }

    @Test
    void missingAndUnknownKeysAreReported() {
        assertThat(problem(BASE + "  saml: { idp_sso_url: 'https://i/sso', idp_certificate: idp.crt }\n"))
                .contains("control.saml.idp_entity_id: is required");
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: idp.crt, acs: y }\n"))
                .contains("control.saml.acs: unknown key");
        assertThat(problem(BASE + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: idp.crt,"
                + " want_assertions_signed: maybe }\n"))
                .contains("control.saml.want_assertions_signed: must be one of true, false (got 'maybe')");
    }

    @Test
    void theAssertionConsumerAddressNeedsThePublicUrl() {
        String yaml = BASE.replace("  public_url: https://warden.example.com/\n", "")
                + "  saml: { idp_entity_id: x, idp_sso_url: 'https://i/sso', idp_certificate: idp.crt }\n";
        assertThat(problem(yaml)).contains("control.saml: needs control.public_url");
    }
}
