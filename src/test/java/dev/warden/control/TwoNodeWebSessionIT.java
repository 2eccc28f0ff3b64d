package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.config.OidcConfig;
import dev.warden.config.WardenConfig;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestPostgres;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Any node can serve the UI: two gateway nodes share one PostgreSQL store; a person logs in on node A
 * through a real OIDC issuer, and node B knows the browser by its cookie. Logging out on B logs the
 * browser out of A too.
 */
class TwoNodeWebSessionIT {
    static final String CLIENT_ID = "warden-ui";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestIssuer issuer;
    static GatewayFixture nodeA;
    static GatewayFixture nodeB;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestIssuer.start();
        TestPostgres.StoreDatabase store = TestPostgres.shared().createStoreDatabase("ui_store");
        nodeA = GatewayFixture.startWithPolicy(config -> node(config, store), ApprovalIT.POLICY, ApprovalIT.SETUP);
        nodeB = GatewayFixture.startWithPolicy(config -> node(config, store), ApprovalIT.POLICY, ApprovalIT.SETUP);
    }

    private static WardenConfig node(WardenConfig config, TestPostgres.StoreDatabase store) {
        OidcConfig oidc = new OidcConfig(issuer.issuer(), "warden", OidcConfig.IdentityClaim.SUB, Optional.of("groups"),
                UpstreamAccess.READ_ONLY, Duration.ofSeconds(60), Duration.ofSeconds(1), true, Map.of());
        return GatewayFixture.withPostgresStore(config, store.storeUrl(), store.owner()).withOidc(Optional.of(oidc)).withControl(
                ControlConfig.onLoopback(0, Map.of("approver", Set.of("dbas")))
                        .withWebLogin(new ControlConfig.WebLogin(CLIENT_ID, Optional.empty())));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, issuer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // Best effort: the next one must still stop.
            }
        }
    }

    static String base(GatewayFixture node) {
        return "http://127.0.0.1:" + node.fullGateway().controlPort().orElseThrow();
    }

    /** Logs in on {@code node} as a browser would (following the issuer's redirects) and returns the session cookie. */
    static String logIn(GatewayFixture node, String subject) throws Exception {
        issuer.nextLogin(subject, CLIENT_ID, Map.of("groups", List.of("dbas")));
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> landed = browser.send(HttpRequest.newBuilder(URI.create(base(node) + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(landed.uri().getPath()).as(landed.body()).startsWith("/ui/");
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(WebSessions.COOKIE))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
    }

    static JsonNode me(GatewayFixture node, String cookie) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base(node) + "/api/v1/me")).header("Cookie", WebSessions.COOKIE + "=" + cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void aBrowserLoggedInOnNodeAIsKnownOnNodeBAndALogoutOnBEndsItOnA() throws Exception {
        String cookie = logIn(nodeA, "alice");
        JsonNode onA = me(nodeA, cookie);
        JsonNode onB = me(nodeB, cookie);
        assertThat(onB.get("authenticated").asBoolean()).isTrue();
        assertThat(onB.get("identity").asText()).isEqualTo("alice");
        assertThat(onB.get("roles").toString()).contains("approver");
        assertThat(onB.get("csrf_token").asText()).isEqualTo(onA.get("csrf_token").asText());

        HttpResponse<String> logout = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base(nodeB) + "/logout")).header("Cookie", WebSessions.COOKIE + "=" + cookie)
                .header(WebSessions.CSRF_HEADER, onB.get("csrf_token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(200);

        assertThat(me(nodeA, cookie).get("authenticated").asBoolean()).as("node A refuses the ended session").isFalse();
        HttpResponse<String> approvals = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base(nodeA) + "/api/v1/approvals")).header("Cookie", WebSessions.COOKIE + "=" + cookie)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(approvals.statusCode()).isEqualTo(401);
    }

    @Test
    void aMadeUpCookieIsNobodyOnEitherNode() throws Exception {
        assertThat(me(nodeA, "made-up").get("authenticated").asBoolean()).isFalse();
        assertThat(me(nodeB, "made-up").get("authenticated").asBoolean()).isFalse();
    }
}
