package dev.warden.control;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.config.SamlConfig;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestSamlIdentityProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Log in with SAML" in a real Chromium, through a tiny identity provider in the test: its SSO page
 * takes the AuthnRequest, signs a response for alice and posts it back with an auto-submitting form,
 * from another site (localhost, while the control plane is 127.0.0.1), as real IdPs do.
 */
class WebUiSamlIT {
    static GatewayFixture gateway;
    static SystemChromium chromium;
    static HttpServer idpSite;
    static TestSamlIdentityProvider idp;
    static SamlConfig saml;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        SystemChromium.assumeInstalled();
        idp = TestSamlIdentityProvider.create(Files.createTempDirectory("warden-saml-ui-"), "idp");
        idpSite = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        idpSite.createContext("/sso", WebUiSamlIT::signIn);
        idpSite.start();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        saml = SamlConfig.of(TestSamlIdentityProvider.ENTITY_ID,
                URI.create("http://localhost:" + idpSite.getAddress().getPort() + "/sso"), idp.certificate(), base,
                Optional.of("groups"));
        gateway = GatewayFixture.startWithPolicy(config -> config.withControl(
                ControlConfig.onLoopback(port, Map.of("approver", Set.of("dbas"))).withPublicUrl(base).withSaml(saml)),
                ApprovalIT.POLICY, ApprovalIT.SETUP);
        chromium = SystemChromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (idpSite != null) {
            idpSite.stop(0);
        }
    }

    /** The IdP's single sign-on page: alice is already logged in there, so it answers at once. */
    static void signIn(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String request = URLDecoder.decode(query.substring(query.indexOf("SAMLRequest=") + "SAMLRequest=".length()),
                StandardCharsets.UTF_8);
        TestSamlIdentityProvider.Spec spec = new TestSamlIdentityProvider.Spec(TestSamlIdentityProvider.requestIdOf(request),
                saml.spEntityId(), saml.acsUrl().toString()).attribute("groups", "dbas");
        String response = TestSamlIdentityProvider.encode(idp.signAssertion(TestSamlIdentityProvider.build(spec)));
        byte[] page = ("<!doctype html><title>Test IdP</title><form method=\"post\" action=\"" + saml.acsUrl()
                + "\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"" + response + "\"></form>"
                + "<script>document.forms[0].submit()</script>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        exchange.getResponseBody().write(page);
        exchange.close();
    }

    @Test
    void logInWithSamlLandsOnTheUiAsTheIdentityTheIdpSigned() {
        try (BrowserContext context = chromium.browser().newContext()) {
            context.setDefaultTimeout(15_000);
            Page page = context.newPage();
            page.navigate(base + "/ui/");
            assertThat(page.locator("#login-saml")).hasText("Log in with SAML");
            page.locator("#login-saml").click();
            page.waitForURL(base + "/ui/**");
            assertThat(page.locator("#who")).containsText("alice");
            assertThat(page.locator("#who")).containsText("approver");
            // A state-changing call from the page works with the session and its CSRF token: log out.
            page.locator("#logout").click();
            assertThat(page.locator("#login-saml")).isVisible();
            assertThat(context.cookies(base).stream().noneMatch(c -> c.name.equals(WebSessions.COOKIE) && !c.value.isEmpty()))
                    .isTrue();
        }
    }
}
