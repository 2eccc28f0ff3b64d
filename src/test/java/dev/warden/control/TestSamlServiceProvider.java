package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.SamlConfig;
import dev.warden.testing.TestSamlIdentityProvider;
import dev.warden.testing.TestSamlIdentityProvider.Spec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The checks of {@link SamlServiceProvider} under settings the integration test's control plane does
 * not use (Response-level signatures, an identity attribute), without a server in between.
 */
class TestSamlServiceProvider {
    static final String PUBLIC_URL = "https://warden.example.com";
    static final String REQUEST_ID = "ONELOGIN_test-request";

    @TempDir
    static Path directory;
    static TestSamlIdentityProvider idp;

    @BeforeAll
    static void createIdp() throws Exception {
        idp = TestSamlIdentityProvider.create(directory, "idp");
    }

    static SamlConfig config(Optional<String> identityAttribute, boolean wantAssertionsSigned) {
        SamlConfig defaults = SamlConfig.of(TestSamlIdentityProvider.ENTITY_ID, URI.create("https://idp.test/sso?tenant=1"),
                idp.certificate(), PUBLIC_URL, Optional.of("groups"));
        return new SamlConfig(defaults.idpEntityId(), defaults.idpSsoUrl(), defaults.idpCertificate(), defaults.spEntityId(),
                defaults.acsUrl(), identityAttribute, defaults.groupsAttribute(), wantAssertionsSigned);
    }

    static SamlServiceProvider provider(SamlConfig config) {
        return new SamlServiceProvider(config, new AssertionReplayCache(Clock.systemUTC(), 10));
    }

    static Spec spec() {
        return new Spec(REQUEST_ID, PUBLIC_URL + "/saml/metadata", PUBLIC_URL + "/saml/acs").attribute("groups", "dbas");
    }

    static SamlServiceProvider.VerifiedLogin verify(SamlServiceProvider provider, Document response) throws Exception {
        return provider.verify(provider.read(TestSamlIdentityProvider.encode(response)), REQUEST_ID);
    }

    @Test
    void withoutWantAssertionsSignedASignedResponseCoversItsAssertion() throws Exception {
        SamlServiceProvider provider = provider(config(Optional.empty(), false));
        SamlServiceProvider.VerifiedLogin login = verify(provider, idp.signResponse(TestSamlIdentityProvider.build(spec())));
        assertThat(login.identity()).isEqualTo("alice");
        assertThat(login.groups()).containsExactly("dbas");
        // Unsigned is still unsigned.
        assertThatThrownBy(() -> verify(provider, TestSamlIdentityProvider.build(spec())))
                .isInstanceOf(SamlRefusedException.class).hasMessageContaining("not signed by the configured identity provider");
    }

    @Test
    void aSignedResponseWrappedInAnEvilOneIsRefused() throws Exception {
        // XSW on the Response: the signed original hides in the evil Response's Extensions, under the same
        // ID, so the signature's reference still finds signed content; the reader must not take the evil assertion.
        SamlServiceProvider provider = provider(config(Optional.empty(), false));
        Document original = idp.signResponse(TestSamlIdentityProvider.build(spec()));
        Spec evilSpec = spec().attribute("groups", "admins");
        evilSpec.nameId = "mallory";
        Document evil = TestSamlIdentityProvider.build(evilSpec);
        Element evilRoot = evil.getDocumentElement();
        Element originalRoot = original.getDocumentElement();
        evilRoot.setAttribute("ID", originalRoot.getAttribute("ID"));
        Element signature = (Element) originalRoot.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")
                .item(0);
        Element extensions = evil.createElementNS(TestSamlIdentityProvider.NS_PROTOCOL, "samlp:Extensions");
        extensions.appendChild(evil.importNode(originalRoot, true));
        Element issuer = (Element) evilRoot.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "Issuer").item(0);
        evilRoot.insertBefore(evil.importNode(signature, true), issuer.getNextSibling());
        evilRoot.insertBefore(extensions, issuer.getNextSibling().getNextSibling());
        assertThatThrownBy(() -> verify(provider, evil)).isInstanceOf(SamlRefusedException.class);
    }

    @Test
    void sha1SignaturesAreRefused() {
        SamlServiceProvider provider = provider(config(Optional.empty(), true));
        Document response = TestSamlIdentityProvider.build(spec());
        idp.sign((Element) response.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "Assertion").item(0),
                XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
        assertThatThrownBy(() -> verify(provider, response)).isInstanceOf(SamlRefusedException.class)
                .hasMessageContaining("not signed by the configured identity provider");
    }

    @Test
    void theIdentityMayComeFromOneAttributeValue() throws Exception {
        SamlServiceProvider provider = provider(config(Optional.of("email"), true));
        Spec spec = spec().attribute("email", "alice@example.com");
        assertThat(verify(provider, idp.signAssertion(TestSamlIdentityProvider.build(spec))).identity())
                .isEqualTo("alice@example.com");
        Spec two = spec().attribute("email", "alice@example.com", "root@example.com");
        assertThatThrownBy(() -> verify(provider, idp.signAssertion(TestSamlIdentityProvider.build(two))))
                .isInstanceOf(SamlRefusedException.class).hasMessageContaining("does not name one identity");
        assertThatThrownBy(() -> verify(provider, idp.signAssertion(TestSamlIdentityProvider.build(spec()))))
                .isInstanceOf(SamlRefusedException.class).hasMessageContaining("does not name one identity");
    }

    @Test
    void groupsThatCannotBeReadRefuseTheLoginInsteadOfBeingDropped() {
        SamlServiceProvider provider = provider(config(Optional.empty(), true));
        Spec spec = spec().attribute("groups", "dbas", "sales team");
        assertThatThrownBy(() -> verify(provider, idp.signAssertion(TestSamlIdentityProvider.build(spec))))
                .isInstanceOf(SamlRefusedException.class).hasMessageContaining("groups cannot be read");
    }

    @Test
    void aFailedIdentityProviderLoginIsNotASession() {
        SamlServiceProvider provider = provider(config(Optional.empty(), true));
        Spec spec = spec();
        spec.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
        assertThatThrownBy(() -> verify(provider, idp.signAssertion(TestSamlIdentityProvider.build(spec))))
                .isInstanceOf(SamlRefusedException.class).hasMessageContaining("did not log you in");
    }

    @Test
    void aDocumentTypeDeclarationIsNeverParsed() {
        SamlServiceProvider provider = provider(config(Optional.empty(), true));
        String xml = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + TestSamlIdentityProvider.serialize(idp.signAssertion(TestSamlIdentityProvider.build(spec())));
        String encoded = java.util.Base64.getEncoder().encodeToString(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> provider.read(encoded)).isInstanceOf(SamlRefusedException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void theLoginRedirectCarriesADeflatedRequestForOurAssertionConsumer() throws Exception {
        SamlServiceProvider provider = provider(config(Optional.empty(), true));
        SamlServiceProvider.LoginRedirect redirect = provider.newLogin();
        assertThat(redirect.location().toString()).startsWith("https://idp.test/sso?tenant=1&SAMLRequest=");
        String encoded = java.net.URLDecoder.decode(redirect.location().getRawQuery().substring("tenant=1&SAMLRequest=".length()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(TestSamlIdentityProvider.requestIdOf(encoded)).isEqualTo(redirect.requestId());
        assertThat(provider.newLogin().requestId()).isNotEqualTo(redirect.requestId());
    }
}
