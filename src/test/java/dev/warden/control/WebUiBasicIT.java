package dev.warden.control;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.warden.approval.ApprovalIT;
import dev.warden.approval.ApprovalService;
import dev.warden.approval.ApprovalStatus;
import dev.warden.approval.Approver;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI without OIDC: the browser's Basic prompt is the login, and the page's own POSTs (which
 * carry this origin) pass the origin checks. Browsers have attached cached Basic credentials to
 * requests other sites make them send; current Chromium keeps them per top-level site, so here the
 * forged request arrives without them. The server refuses cross-site POSTs whatever their
 * credentials all the same (ControlApiIT checks that over plain HTTP); this test checks the end
 * result in a real browser: nothing is decided.
 */
class WebUiBasicIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String DBA = "dba";
    static final String DBA_TOKEN = ServiceTokens.newToken(RANDOM);

    static GatewayFixture gateway;
    static SystemChromium chromium;
    static Browser browser;
    static final ExecutorService agents = Executors.newCachedThreadPool();
    static int port;
    /** Another site on loopback: a plain page with no content security policy that would stop its scripts. */
    static HttpServer elsewhere;

    @BeforeAll
    static void start() {
        SystemChromium.assumeInstalled();
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                new Identity(DBA, ScramVerifier.create(DBA_TOKEN, RANDOM), List.of("dbas"), UpstreamAccess.READ_WRITE))
                .withControl(ControlConfig.onLoopback(0, Map.of("approver", Set.of("dbas")))), ApprovalIT.POLICY, ApprovalIT.SETUP);
        port = gateway.fullGateway().controlPort().orElseThrow();
        try {
            elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        elsewhere.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>elsewhere</title><p>another site</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        elsewhere.start();
        chromium = SystemChromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        agents.shutdownNow();
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (elsewhere != null) {
            elsewhere.stop(0);
        }
    }

    ApprovalService approvals() {
        return gateway.fullGateway().approvals().orElseThrow();
    }

    @Test
    void anApproverWithBasicCredentialsDecidesInThePageAndAnotherSiteCannotUseThem() throws Exception {
        String base = "http://127.0.0.1:" + port;
        try (BrowserContext context = browser.newContext()) {
            context.setDefaultTimeout(15_000);
            Page page = context.newPage();
            // As if typed into the browser's Basic prompt: Chrome answers the challenge and caches the
            // credentials for this server.
            page.navigate("http://" + DBA + ":" + URLEncoder.encode(DBA_TOKEN, StandardCharsets.UTF_8) + "@127.0.0.1:" + port
                    + "/api/v1/me");
            page.navigate(base + "/ui/#/approvals");
            assertThat(page.locator("#who")).containsText(DBA + " · approver");

            try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
                Future<Integer> first = agents.submit(
                        () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 1 /* basic-ok */"));
                PendingApprovals.await(approvals(), "basic-ok");
                Locator card = page.locator(".approval").filter(new Locator.FilterOptions().setHasText("basic-ok"));
                card.locator("textarea.reason").fill("fine");
                card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
                assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            }

            try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
                Future<Integer> second = agents.submit(
                        () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 1 /* basic-forged */"));
                String id = PendingApprovals.await(approvals(), "basic-forged");
                // A page of another site (localhost is not 127.0.0.1) posts to the control plane.
                page.navigate("http://localhost:" + elsewhere.getAddress().getPort() + "/");
                Object status = page.evaluate("async (url) => { try { const r = await fetch(url, {method: 'POST',"
                        + " credentials: 'include', headers: {'Content-Type': 'text/plain'},"
                        + " body: '{\"reason\": \"forged\"}'}); return r.status; } catch (e) { return 'blocked'; } }",
                        base + "/api/v1/approvals/" + id + "/approve");
                // Without CORS the page cannot read the answer; what matters is that nothing was decided.
                assertThat(String.valueOf(status)).isIn("blocked", "403");
                assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
                assertThat(approvals().find(id).orElseThrow().votes()).isEmpty();
                approvals().deny(id, new Approver("cleanup", Set.of("dbas"), true), "test cleanup");
                assertThat(second).failsWithin(java.time.Duration.ofSeconds(20));
            }
        }
    }
}
