package dev.warden.control;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.recording.RecordKind;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An auditor replaying a session in the browser sees what the client saw: masked values, never the raw ones. */
class WebUiMaskedReplayIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String POLICY = ApprovalIT.POLICY + """
            masking:
              columns:
                - { column: public.accounts.owner, strategy: full }
            """;

    @Test
    void theReplayShowsMaskedValuesOnly() throws Exception {
        SystemChromium.assumeInstalled();
        String auditorToken = ServiceTokens.newToken(RANDOM);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                        new Identity("auditor", ScramVerifier.create(auditorToken, RANDOM), List.of("auditors"),
                                UpstreamAccess.READ_ONLY))
                .withControl(ControlConfig.onLoopback(0, Map.of("auditor", Set.of("auditors")))), POLICY, ApprovalIT.SETUP);
                SystemChromium chromium = SystemChromium.launch()) {
            try (Connection agent = gateway.connect(); Statement statement = agent.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id, owner FROM accounts WHERE id = 1 /* masked-replay */")) {
                rows.next();
                org.assertj.core.api.Assertions.assertThat(rows.getString(2)).as("the client got the masked value").isEqualTo("****");
            }
            String sessionId = null;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (sessionId == null && System.nanoTime() < deadline) {
                for (SessionSummary session : gateway.audit().store().sessions(SessionQuery.all())) {
                    boolean ended = gateway.audit().store().records(session.id(), 0, 1000).stream()
                            .anyMatch(record -> record.kind() == RecordKind.SESSION_END);
                    boolean ours = gateway.audit().store().records(session.id(), 0, 1000).stream()
                            .anyMatch(record -> record.body().contains("masked-replay"));
                    if (ended && ours) {
                        sessionId = session.id();
                    }
                }
                Thread.sleep(50);
            }
            org.assertj.core.api.Assertions.assertThat(sessionId).isNotNull();
            int port = gateway.fullGateway().controlPort().orElseThrow();
            Browser browser = chromium.browser();
            try (BrowserContext context = browser.newContext()) {
                context.setDefaultTimeout(15_000);
                Page page = context.newPage();
                // As if typed into the browser's Basic prompt: Chrome caches the credentials for this server.
                page.navigate("http://auditor:" + URLEncoder.encode(auditorToken, StandardCharsets.UTF_8) + "@127.0.0.1:" + port
                        + "/api/v1/me");
                page.navigate("http://127.0.0.1:" + port + "/ui/#/sessions/" + sessionId);
                assertThat(page.locator("table.result")).containsText("****");
                org.assertj.core.api.Assertions.assertThat(page.locator("table.result").textContent()).doesNotContain("ada");
                org.assertj.core.api.Assertions.assertThat(page.content()).doesNotContain(">ada<");
            }
        }
    }
}
