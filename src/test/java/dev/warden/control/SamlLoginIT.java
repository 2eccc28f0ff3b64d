package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.config.SamlConfig;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.LogCapture;
import dev.warden.testing.TestSamlIdentityProvider;
import dev.warden.testing.TestSamlIdentityProvider.Spec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * SAML login against a real control plane over real HTTP, with responses from an identity provider
 * built in the test ({@link TestSamlIdentityProvider}) and posted to {@code /saml/acs} the way a
 * browser posts the IdP's form: cross-site. Every check the issue asks for is a response that fails
 * it and is refused, next to the one valid response that logs in.
 */
class SamlLoginIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String IDP_ORIGIN = "https://idp.test";

    static TestSamlIdentityProvider idp;
    static TestSamlIdentityProvider impostor;
    static GatewayFixture gateway;
    static String base;
    static String spEntityId;
    static String acsUrl;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String body, HttpResponse<String> raw) {
        String location() {
            return raw.headers().firstValue("Location").orElse("");
        }

        Optional<String> cookie(String name) {
            return raw.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                    .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).filter(v -> !v.isEmpty()).findFirst();
        }

        String error() throws Exception {
            return JSON.readTree(body).get("error").asText();
        }
    }

    /** One browser's login in progress: the request id the IdP must answer and the cookie it holds. */
    record Started(String requestId, String browserCookie) {}

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory("warden-saml-");
        idp = TestSamlIdentityProvider.create(keys, "idp");
        impostor = TestSamlIdentityProvider.create(keys, "impostor");
        SamlConfig saml = SamlConfig.of(TestSamlIdentityProvider.ENTITY_ID, URI.create("https://idp.test/sso"),
                idp.certificate(), base, Optional.of("groups"));
        spEntityId = saml.spEntityId();
        acsUrl = saml.acsUrl().toString();
        gateway = GatewayFixture.startWithPolicy(config -> config.withControl(
                ControlConfig.onLoopback(port, Map.of("approver", Set.of("dbas"), "auditor", Set.of("auditors")))
                        .withPublicUrl(base).withSaml(saml)),
                ApprovalIT.POLICY, ApprovalIT.SETUP);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    static Reply get(String pathOrUrl, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.GET());
    }

    /** What the IdP's auto-submitting form makes the browser send: a cross-site POST without our cookies. */
    static Reply postResponse(String encoded) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(acsUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", IDP_ORIGIN).header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + URLEncoder.encode(encoded, StandardCharsets.UTF_8)
                        + "&RelayState=")));
    }

    static Started startLogin() throws Exception {
        Reply reply = get("/saml/login", null);
        assertThat(reply.status()).isEqualTo(302);
        URI location = URI.create(reply.location());
        assertThat(location.getHost()).isEqualTo("idp.test");
        String samlRequest = URLDecoder.decode(location.getRawQuery().substring("SAMLRequest=".length()), StandardCharsets.UTF_8);
        String cookie = reply.cookie(SamlLoginApi.BROWSER_COOKIE).orElseThrow();
        assertThat(reply.raw().headers().allValues("Set-Cookie").toString()).contains("SameSite=Lax").contains("HttpOnly");
        return new Started(TestSamlIdentityProvider.requestIdOf(samlRequest), SamlLoginApi.BROWSER_COOKIE + "=" + cookie);
    }

    static Spec spec(Started login) {
        return new Spec(login.requestId(), spEntityId, acsUrl).attribute("groups", "dbas", "auditors");
    }

    static String signed(Spec spec) {
        return TestSamlIdentityProvider.encode(idp.signAssertion(TestSamlIdentityProvider.build(spec)));
    }

    /** Follows a 303 from the ACS to completion in the browser that started; returns the session cookie. */
    static String complete(Reply acs, Started login) throws Exception {
        assertThat(acs.status()).as(acs.body()).isEqualTo(303);
        assertThat(acs.location()).startsWith("/saml/complete?ticket=");
        assertThat(acs.cookie(WebSessions.COOKIE)).as("the cross-site POST opens no session").isEmpty();
        Reply done = get(acs.location(), login.browserCookie());
        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.location()).isEqualTo("/ui/");
        assertThat(done.raw().headers().allValues("Set-Cookie").toString()).contains("SameSite=Strict").contains("HttpOnly");
        return WebSessions.COOKIE + "=" + done.cookie(WebSessions.COOKIE).orElseThrow();
    }

    static JsonNode me(String cookie) throws Exception {
        Reply reply = get("/api/v1/me", cookie);
        assertThat(reply.status()).isEqualTo(200);
        return JSON.readTree(reply.body());
    }

    /** A fresh login whose response, built and signed as {@code build} says, is refused; returns the reason. */
    static String refused(java.util.function.Function<Started, String> build) throws Exception {
        Started login = startLogin();
        Reply reply = postResponse(build.apply(login));
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.cookie(WebSessions.COOKIE)).isEmpty();
        assertThat(reply.location()).isEmpty();
        return reply.error();
    }

    static String refusedSigned(Consumer<Spec> change) throws Exception {
        return refused(login -> {
            Spec spec = spec(login);
            change.accept(spec);
            return signed(spec);
        });
    }

    static String refusedDocument(UnaryOperator<Document> change) throws Exception {
        return refused(login -> TestSamlIdentityProvider.encode(change.apply(TestSamlIdentityProvider.build(spec(login)))));
    }

    @Test
    void aSignedAssertionLogsInWithRolesFromItsGroups() throws Exception {
        Started login = startLogin();
        String session = complete(postResponse(signed(spec(login))), login);
        JsonNode me = me(session);
        assertThat(me.get("authenticated").asBoolean()).isTrue();
        assertThat(me.get("identity").asText()).isEqualTo("alice");
        assertThat(me.get("roles").toString()).isEqualTo("[\"approver\",\"auditor\"]");
        assertThat(me.get("login").asText()).isEqualTo("saml");
        // The session works for the API and logs out like any web session.
        assertThat(get("/api/v1/sessions", session).status()).isEqualTo(200);
    }

    @Test
    void aResponseSignedBesideItsSignedAssertionLogsInToo() throws Exception {
        Started login = startLogin();
        Document document = idp.signResponse(idp.signAssertion(TestSamlIdentityProvider.build(spec(login))));
        String session = complete(postResponse(TestSamlIdentityProvider.encode(document)), login);
        assertThat(me(session).get("identity").asText()).isEqualTo("alice");
    }

    @Test
    void aLargeResponseFarBeyondTheUsualBodyLimitLogsIn() throws Exception {
        // Other control-plane bodies are capped at 16 KiB; a response with a certificate and many groups is not.
        Started login = startLogin();
        String[] groups = new String[200];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = "group-with-a-long-descriptive-name-" + i;
        }
        groups[0] = "dbas";
        String encoded = signed(spec(login).attribute("groups", groups));
        assertThat(encoded.length()).isGreaterThan(16 * 1024);
        assertThat(me(complete(postResponse(encoded), login)).get("groups").toString())
                .contains("\"group-with-a-long-descriptive-name-199\"");
    }

    @Test
    void aCraftedIssuerCannotForgeALogLine() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            refusedSigned(spec -> spec.issuer = "https://evil.example.com/idp\n12:00:00.000 INFO forged line");
            assertThat(logs.lines().stream().filter(line -> line.contains("SAML login refused")))
                    .anyMatch(line -> line.contains("evil.example.com/idp?12:00"));
        }
    }

    @Test
    void theLoginPageOffersSamlWhenNobodyIsLoggedIn() throws Exception {
        JsonNode me = me(null);
        assertThat(me.get("authenticated").asBoolean()).isFalse();
        assertThat(me.get("login_url").asText()).isEqualTo("/saml/login");
        assertThat(me.get("login_methods").toString()).contains("\"method\":\"saml\"").contains("/saml/login");
    }

    @Test
    void unsignedAssertionsAreRefused() throws Exception {
        assertThat(refusedDocument(document -> document)).contains("not signed by the configured identity provider");
    }

    @Test
    void aResponseSignedOnlyAroundAnUnsignedAssertionIsRefusedWhileAssertionsMustBeSigned() throws Exception {
        assertThat(refusedDocument(idp::signResponse)).contains("not signed by the configured identity provider");
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedEvenWithItsCertificateInTheMessage() throws Exception {
        // The impostor puts its own certificate in KeyInfo, as every signer here does: it must not be trusted.
        assertThat(refused(login -> TestSamlIdentityProvider.encode(
                impostor.signAssertion(TestSamlIdentityProvider.build(spec(login))))))
                .contains("not signed by the configured identity provider");
    }

    @Test
    void anAssertionChangedAfterSigningIsRefused() throws Exception {
        assertThat(refused(login -> {
            Document document = idp.signAssertion(TestSamlIdentityProvider.build(spec(login)));
            document.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "NameID").item(0).setTextContent("mallory");
            return TestSamlIdentityProvider.encode(document);
        })).contains("not signed by the configured identity provider");
        assertThat(refused(login -> {
            Document document = idp.signAssertion(TestSamlIdentityProvider.build(spec(login)));
            Node value = document.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "AttributeValue").item(0);
            value.setTextContent("admins");
            return TestSamlIdentityProvider.encode(document);
        })).contains("not signed by the configured identity provider");
    }

    @Test
    void anAssertionForAnotherServiceProviderIsRefused() throws Exception {
        assertThat(refusedSigned(spec -> spec.audience = "https://other-app.example.com/saml"))
                .contains("not issued for this service provider");
        assertThat(refusedSigned(spec -> spec.audience = null)).contains("not issued for this service provider");
    }

    @Test
    void aResponseForAnotherRecipientOrDestinationIsRefused() throws Exception {
        assertThat(refusedSigned(spec -> spec.recipient = "https://other-app.example.com/saml/acs"))
                .contains("subject confirmation does not hold");
        assertThat(refusedSigned(spec -> spec.destination = "https://other-app.example.com/saml/acs"))
                .contains("sent to another address");
    }

    @Test
    void expiredAndNotYetValidAssertionsAreRefused() throws Exception {
        // Beyond java-saml's fixed drift of three minutes either way.
        assertThat(refusedSigned(spec -> {
            spec.notBefore = Instant.now().minus(Duration.ofMinutes(30));
            spec.notOnOrAfter = Instant.now().minus(Duration.ofMinutes(10));
        })).contains("expired");
        assertThat(refusedSigned(spec -> {
            spec.notBefore = Instant.now().plus(Duration.ofMinutes(10));
            spec.notOnOrAfter = Instant.now().plus(Duration.ofMinutes(20));
        })).contains("not valid yet");
    }

    @Test
    void aResponseFromAnotherIssuerIsRefused() throws Exception {
        assertThat(refusedSigned(spec -> spec.issuer = "https://evil.example.com/idp")).contains("another identity provider");
    }

    @Test
    void aReplayedResponseIsRefusedTheSecondTime() throws Exception {
        Started login = startLogin();
        String encoded = signed(spec(login));
        complete(postResponse(encoded), login);
        Reply again = postResponse(encoded);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).contains("answers no login started here");
    }

    @Test
    void anAssertionIdIsNeverAcceptedTwiceEvenForAnotherRequest() throws Exception {
        Started first = startLogin();
        Spec spec = spec(first);
        complete(postResponse(signed(spec)), first);
        // The same assertion id answering a new request: only the replay cache stands in the way.
        Started second = startLogin();
        Spec reused = spec(second);
        reused.assertionId = spec.assertionId;
        Reply reply = postResponse(signed(reused));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).contains("used before");
    }

    @Test
    void responsesToRequestsWeDidNotIssueAreRefused() throws Exception {
        assertThat(refusedSigned(spec -> {
            spec.inResponseTo = "_never-issued";
            spec.confirmationInResponseTo = "_never-issued";
        })).contains("answers no login started here");
        assertThat(refusedSigned(spec -> {
            spec.inResponseTo = null;
            spec.confirmationInResponseTo = null;
        })).contains("answers no login started here");
        // The Response's own InResponseTo is unsigned here: the signed assertion must name the request too.
        assertThat(refusedSigned(spec -> spec.confirmationInResponseTo = null)).contains("subject confirmation does not hold");
    }

    @Test
    void anEvilAssertionBesideTheSignedOneIsRefused() throws Exception {
        // XML signature wrapping: the signed assertion stays intact and verifiable; an unsigned one
        // naming mallory as admin comes first, where a careless reader would take it.
        assertThat(refused(login -> {
            Document document = idp.signAssertion(TestSamlIdentityProvider.build(spec(login)));
            Spec evil = spec(login).attribute("groups", "admins");
            evil.nameId = "mallory";
            Element status = (Element) document.getElementsByTagNameNS(TestSamlIdentityProvider.NS_PROTOCOL, "Status").item(0);
            Node imported = document.importNode(
                    TestSamlIdentityProvider.parse(TestSamlIdentityProvider.assertionXml(evil)).getDocumentElement(), true);
            document.getDocumentElement().insertBefore(imported, status.getNextSibling());
            return TestSamlIdentityProvider.encode(document);
        })).contains("not signed by the configured identity provider");
    }

    @Test
    void anEvilAssertionWrappingTheSignedOneUnderItsIdIsRefused() throws Exception {
        // XSW with the evil twin taking the signed assertion's ID and hiding the original inside itself,
        // so that the reference still resolves to signed content.
        assertThat(refused(login -> {
            Document document = idp.signAssertion(TestSamlIdentityProvider.build(spec(login)));
            Element signedAssertion = (Element) document.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION,
                    "Assertion").item(0);
            Spec evil = spec(login).attribute("groups", "admins");
            evil.nameId = "mallory";
            evil.assertionId = signedAssertion.getAttribute("ID");
            Element evilAssertion = (Element) document.importNode(
                    TestSamlIdentityProvider.parse(TestSamlIdentityProvider.assertionXml(evil)).getDocumentElement(), true);
            Node signature = signedAssertion.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
            // The twin carries the original signature; the original goes inside it, where the reference may find it.
            Node issuer = evilAssertion.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "Issuer").item(0);
            evilAssertion.insertBefore(signature.cloneNode(true), issuer.getNextSibling());
            document.getDocumentElement().replaceChild(evilAssertion, signedAssertion);
            Node evilSubject = evilAssertion.getElementsByTagNameNS(TestSamlIdentityProvider.NS_ASSERTION, "Subject").item(0);
            Element advice = document.createElementNS(TestSamlIdentityProvider.NS_ASSERTION, "saml:Advice");
            advice.appendChild(signedAssertion);
            evilAssertion.insertBefore(advice, evilSubject.getNextSibling().getNextSibling());
            return TestSamlIdentityProvider.encode(document);
        })).contains("not signed by the configured identity provider");
    }

    @Test
    void theSessionOpensOnlyInTheBrowserThatStartedTheLogin() throws Exception {
        // Login CSRF: the attacker's own valid response, posted from the attacker's page into the victim's
        // browser, must not log the victim in as the attacker.
        Started attacker = startLogin();
        Started victim = startLogin();
        Reply acs = postResponse(signed(spec(attacker)));
        assertThat(acs.status()).isEqualTo(303);
        Reply done = get(acs.location(), victim.browserCookie());
        assertThat(done.status()).isEqualTo(400);
        assertThat(done.error()).contains("started in another browser");
        assertThat(done.cookie(WebSessions.COOKIE)).isEmpty();
        assertThat(get(acs.location(), attacker.browserCookie()).status()).as("a ticket is spent on first use").isEqualTo(400);
    }

    @Test
    void aPersonWithoutAControlPlaneRoleIsNotLetIn() throws Exception {
        Started login = startLogin();
        Spec spec = new Spec(login.requestId(), spEntityId, acsUrl).attribute("groups", "sales");
        spec.nameId = "bob";
        Reply acs = postResponse(signed(spec));
        Reply done = get(acs.location(), login.browserCookie());
        assertThat(done.status()).isEqualTo(403);
        assertThat(done.error()).contains("bob has no control-plane role");
        assertThat(done.cookie(WebSessions.COOKIE)).isEmpty();
    }

    @Test
    void onlyTheAssertionConsumerAcceptsCrossSitePosts() throws Exception {
        Reply logout = send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("Origin", IDP_ORIGIN)
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(logout.status()).isEqualTo(403);
        assertThat(logout.error()).contains("cross-site request refused");
        Reply notAForm = send(HttpRequest.newBuilder(URI.create(acsUrl)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"SAMLResponse\":\"x\"}")));
        assertThat(notAForm.status()).isEqualTo(400);
        Reply tooLarge = send(HttpRequest.newBuilder(URI.create(acsUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + "A".repeat(SamlLoginApi.MAX_FORM_BYTES))));
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(postResponse("bm90IFhNTA==").error()).contains("cannot be read");
    }

    @Test
    void theMetadataNamesOurEntityAndAssertionConsumer() throws Exception {
        Reply reply = get("/saml/metadata", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("application/samlmetadata+xml");
        assertThat(com.onelogin.saml2.settings.Saml2Settings.validateMetadata(reply.body())).isEmpty();
        Element root = TestSamlIdentityProvider.parse(reply.body()).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("EntityDescriptor");
        assertThat(root.getAttribute("entityID")).isEqualTo(base + "/saml/metadata");
        Element acs = (Element) root.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "AssertionConsumerService")
                .item(0);
        assertThat(acs.getAttribute("Location")).isEqualTo(base + "/saml/acs");
        assertThat(acs.getAttribute("Binding")).isEqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        Element descriptor = (Element) root.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "SPSSODescriptor")
                .item(0);
        assertThat(descriptor.getAttribute("WantAssertionsSigned")).isEqualTo("true");
    }

    @Test
    void neitherTheResponseNorTheTicketNorTheCookieReachesTheLog() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            Started login = startLogin();
            String encoded = signed(spec(login));
            Reply acs = postResponse(encoded);
            complete(acs, login);
            Started other = startLogin();
            Spec tampered = spec(other);
            String bad = TestSamlIdentityProvider.encode(TestSamlIdentityProvider.build(tampered));
            postResponse(bad);
            // java-saml and xmlsec are silenced in logback.xml (they dump responses at DEBUG); Warden's own lines are checked.
            List<String> ours = logs.lines().stream().filter(line -> line.contains(" dev.warden.")).toList();
            assertThat(ours).anyMatch(line -> line.contains("SAML login refused") && line.contains("not signed"));
            assertThat(ours).anyMatch(line -> line.contains("web login of alice through SAML"));
            String ticket = acs.location().substring(acs.location().indexOf('=') + 1);
            for (String secret : List.of(encoded.substring(0, 40), bad.substring(40, 80), ticket,
                    login.browserCookie().substring(login.browserCookie().indexOf('=') + 1))) {
                assertThat(ours).noneMatch(line -> line.contains(secret));
            }
        }
    }
}
