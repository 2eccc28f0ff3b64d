package dev.warden.control;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.warden.config.OidcConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestIssuer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real Chromium: people log in through a real OIDC issuer (in-process), an agent's
 * statement parks on approval over pgJDBC, and what the approver does in the page decides what
 * reaches the database.
 */
class WebUiIT {
    static final String CLIENT_ID = "warden-ui";
    static final String APPROVER = "alice";
    static final String AUDITOR = "victor";
    /** An approver (group dbas) who also works on the database under the same name, with an access token. */
    static final String REQUESTER = "carol";

    static TestIssuer issuer;
    static GatewayFixture gateway;
    static SystemChromium chromium;
    static Browser browser;
    static final ExecutorService agents = Executors.newCachedThreadPool();
    static String base;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() {
        SystemChromium.assumeInstalled();
        issuer = TestIssuer.start();
        OidcConfig oidc = new OidcConfig(issuer.issuer(), "warden", OidcConfig.IdentityClaim.SUB, Optional.of("groups"),
                UpstreamAccess.READ_ONLY, Duration.ofSeconds(60), Duration.ofSeconds(1), true, Map.of());
        // Listed without a verifier: carol logs in to the database with an access token, read-write.
        Identity carol = new Identity(REQUESTER, Optional.empty(), List.of("dbas"), UpstreamAccess.READ_WRITE);
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config, carol).withOidc(Optional.of(oidc)).withControl(
                ControlConfig.onLoopback(0, Map.of("approver", Set.of("dbas"), "auditor", Set.of("auditors"), "admin",
                        Set.of("admins")))
                        .withWebLogin(new ControlConfig.WebLogin(CLIENT_ID, Optional.empty()))),
                ApprovalIT.POLICY, ApprovalIT.SETUP);
        base = "http://127.0.0.1:" + gateway.fullGateway().controlPort().orElseThrow();
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
        if (issuer != null) {
            issuer.close();
        }
    }

    @BeforeEach
    void openContext() {
        context = browser.newContext();
        context.setDefaultTimeout(15_000);
        page = context.newPage();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    /** Logs in through the issuer as {@code subject} and lands on the approvals queue. */
    void logIn(String subject, List<String> groups) {
        issuer.nextLogin(subject, CLIENT_ID, Map.of("groups", groups));
        page.navigate(base + "/ui/");
        page.locator("#login").click();
        page.waitForURL(base + "/ui/**");
        assertThat(page.locator("#who")).containsText(subject);
        page.navigate(base + "/ui/#/approvals");
    }

    ApprovalService approvals() {
        return gateway.fullGateway().approvals().orElseThrow();
    }

    String awaitPending(String marker) throws InterruptedException {
        return PendingApprovals.await(approvals(), marker);
    }

    int balance(int id) throws SQLException {
        try (Connection direct = gateway.connectDirect(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT balance FROM accounts WHERE id = " + id)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    Locator card(String marker) {
        return page.locator(".approval").filter(new Locator.FilterOptions().setHasText(marker));
    }

    @Test
    void anApproverSeesTheStatementArriveLiveApprovesItAndTheReplayShowsWhatHappened() throws Exception {
        logIn(APPROVER, List.of("dbas", "auditors"));
        // The queue is following the event stream before the agent asks, so the card can only arrive live.
        assertThat(page.locator("#live")).hasText("● live");
        int before = balance(1);
        String sessionId;
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<String> update = agents.submit(() -> {
                try (ResultSet rows = statement.executeQuery(
                        "UPDATE accounts SET balance = balance - 10 WHERE id = 1 RETURNING owner, balance /* ui-approve */")) {
                    rows.next();
                    return rows.getString(1) + "=" + rows.getInt(2);
                }
            });
            String id = awaitPending("ui-approve");
            Locator card = card("ui-approve");
            assertThat(card.locator("pre.statement")).containsText("UPDATE accounts SET balance = balance - 10 WHERE id = 1");
            assertThat(card).containsText(GatewayFixture.IDENTITY);
            assertThat(card).containsText("approve-account-writes");
            assertThat(card).containsText("Writes to accounts move money.");
            assertThat(card).containsText("agents");
            assertThat(card).containsText(id);
            assertThat(balance(1)).as("parked, not run").isEqualTo(before);

            card.locator("textarea.reason").fill("month-end correction, ticket 42");
            screenshot("approvals");
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();

            assertThat(update.get(20, TimeUnit.SECONDS)).isEqualTo("ada=" + (before - 10));
            assertThat(balance(1)).as("ran exactly once").isEqualTo(before - 10);
            assertThat(page.locator("#decided tr[data-id='" + id + "']")).containsText("approved");
            assertThat(page.locator("#decided tr[data-id='" + id + "']")).containsText("month-end correction, ticket 42");
            assertThat(card("ui-approve")).hasCount(0);
            sessionId = approvals().find(id).orElseThrow().request().draft().sessionId();
        }

        page.navigate(base + "/ui/#/sessions/" + sessionId);
        Locator statementStep = page.locator("[data-kind=statement]").filter(new Locator.FilterOptions().setHasText("ui-approve"));
        assertThat(statementStep).containsText("require approval");
        Locator approvalSteps = page.locator("[data-kind=approval]");
        assertThat(approvalSteps.filter(new Locator.FilterOptions().setHasText("approved"))).containsText(APPROVER);
        assertThat(page.locator("table.result")).containsText("ada");
        assertThat(page.locator("table.result")).containsText(String.valueOf(before - 10));
        assertThat(page.locator("[data-kind=session_end]")).hasCount(1);
        screenshot("session-replay");
    }

    /** The README shows the main pages as this test run saw them (docs/screenshots). */
    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("docs", "screenshots", name + ".png"))
                .setFullPage(false));
    }

    @Test
    void aDenialInThePageReachesTheAgentAsAnErrorAndNothingRuns() throws Exception {
        logIn(APPROVER, List.of("dbas"));
        assertThat(page.locator("#live")).hasText("● live");
        int before = balance(2);
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = 0 WHERE id = 2 /* ui-deny */"));
            String id = awaitPending("ui-deny");
            Locator card = card("ui-deny");
            card.locator("textarea.reason").fill("not during the audit");
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deny")).click();

            assertThatThrownBy(() -> update.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("Approval denied for request " + id)
                    .hasMessageContaining("not during the audit");
            assertThat(balance(2)).isEqualTo(before);
            assertThat(page.locator("#decided tr[data-id='" + id + "']")).containsText("denied");
        }
    }

    @Test
    void aReasonBeingTypedSurvivesAnotherRequestArriving() throws Exception {
        logIn(APPROVER, List.of("dbas"));
        assertThat(page.locator("#live")).hasText("● live");
        try (Connection first = gateway.connect(); Statement firstStatement = first.createStatement();
                Connection second = gateway.connect(); Statement secondStatement = second.createStatement()) {
            Future<Integer> one = agents.submit(
                    () -> firstStatement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 1 /* ui-typing-1 */"));
            awaitPending("ui-typing-1");
            card("ui-typing-1").locator("textarea.reason").fill("checked with the owner");
            Future<Integer> two = agents.submit(
                    () -> secondStatement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 2 /* ui-typing-2 */"));
            String secondId = awaitPending("ui-typing-2");
            assertThat(card("ui-typing-2")).isVisible();
            assertThat(card("ui-typing-1").locator("textarea.reason")).hasValue("checked with the owner");
            card("ui-typing-1").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
            assertThat(one.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(approvals().recent(10).get(0).votes().get(0).reason()).isEqualTo("checked with the owner");
            cleanUp(secondId);
            assertThatThrownBy(() -> two.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aDenyWithoutAReasonIsRefusedInThePageAndTheStatementStaysParked() throws Exception {
        logIn(APPROVER, List.of("dbas"));
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 2 /* ui-no-reason */"));
            String id = awaitPending("ui-no-reason");
            Locator card = card("ui-no-reason");
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deny")).click();
            assertThat(card.locator("p.error")).containsText("a denial needs a reason");
            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
            cleanUp(id);
            assertThatThrownBy(() -> update.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void someoneWithoutTheApproverRoleSeesTheQueueButCannotApprove() throws Exception {
        logIn(AUDITOR, List.of("auditors"));
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = 2 /* ui-auditor */"));
            String id = awaitPending("ui-auditor");
            Locator card = card("ui-auditor");
            assertThat(card.locator("pre.statement")).containsText("ui-auditor");
            assertThat(card.locator("button.approve")).hasCount(0);
            assertThat(card.locator(".not-yours")).isVisible();

            // A webhook's link to the request lands on it.
            page.navigate(base + "/approvals/" + id);
            assertThat(page.locator(".approval.focused")).hasAttribute("data-id", id);

            // The page would not offer it; the server refuses it even with a valid session and CSRF token.
            Object status = page.evaluate("async (id) => { const me = await (await fetch('/api/v1/me')).json();"
                    + " const r = await fetch('/api/v1/approvals/' + id + '/approve', {method: 'POST',"
                    + " headers: {'Content-Type': 'application/json', 'X-Warden-CSRF': me.csrf_token}, body: '{}'});"
                    + " return r.status; }", id);
            assertThat(status).isEqualTo(403);
            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
            cleanUp(id);
            assertThatThrownBy(() -> update.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void theRequesterSeesItsOwnRequestWithoutButtonsAndTheServerRefusesItsApproval() throws Exception {
        logIn(REQUESTER, List.of("dbas"));
        assertThat(page.locator("#live")).hasText("● live");
        String accessToken = issuer.token(REQUESTER, "warden", Map.of("groups", List.of("dbas")), Duration.ofMinutes(5));
        int before = balance(1);
        try (Connection own = gateway.connect(REQUESTER, accessToken); Statement statement = own.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance + 5 WHERE id = 1 /* ui-own */"));
            String id = awaitPending("ui-own");
            Locator card = card("ui-own");
            assertThat(card).containsText(REQUESTER);
            assertThat(card.locator("button")).hasCount(0);
            assertThat(card.locator(".not-yours")).containsText("you asked for this statement yourself");

            // The page offers nothing; the server refuses the approval even with the session, token and binding.
            Map<?, ?> answer = (Map<?, ?>) page.evaluate("async (id) => { const me = await (await fetch('/api/v1/me')).json();"
                    + " const request = await (await fetch('/api/v1/approvals/' + id)).json();"
                    + " const r = await fetch('/api/v1/approvals/' + id + '/approve', {method: 'POST', headers:"
                    + " {'Content-Type': 'application/json', 'X-Warden-CSRF': me.csrf_token},"
                    + " body: JSON.stringify({reason: 'mine', binding: request.binding})});"
                    + " return {status: r.status, body: await r.text(), mayDecide: request.you_may_decide}; }", id);
            assertThat(answer.get("mayDecide")).isEqualTo(false);
            assertThat(answer.get("status")).isEqualTo(403);
            assertThat((String) answer.get("body")).contains("another approver must decide");
            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
            assertThat(approvals().find(id).orElseThrow().votes()).isEmpty();
            assertThat(balance(1)).isEqualTo(before);

            // Not a rule that nobody in dbas may decide: another member approves it, and it runs.
            approvals().approve(id, new Approver(APPROVER, Set.of("dbas"), true), "checked for carol", null);
            assertThat(update.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(balance(1)).isEqualTo(before + 5);
        }
    }

    @Test
    void stateChangingRequestsWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() throws Exception {
        logIn(APPROVER, List.of("dbas"));
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            Future<Integer> update = agents.submit(
                    () -> statement.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 1 /* ui-csrf */"));
            String id = awaitPending("ui-csrf");

            // Same page, session cookie sent, but no token: refused.
            Map<?, ?> answer = (Map<?, ?>) page.evaluate("async (id) => { const r = await fetch('/api/v1/approvals/' + id"
                    + " + '/approve', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: '{\"reason\": \"forged\"}'}); return {status: r.status, body: await r.text()}; }", id);
            assertThat(answer.get("status")).isEqualTo(403);
            assertThat((String) answer.get("body")).contains("CSRF token");

            // Another origin (the issuer's) posting to the control plane with the browser's cookie.
            page.navigate(issuer.issuer() + "/.well-known/openid-configuration");
            page.evaluate("async (url) => { await fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include',"
                    + " headers: {'Content-Type': 'text/plain'}, body: '{\"reason\": \"forged\"}'}); }",
                    base + "/api/v1/approvals/" + id + "/approve");

            assertThat(approvals().find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
            assertThat(approvals().find(id).orElseThrow().votes()).isEmpty();
            cleanUp(id);
            assertThatThrownBy(() -> update.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aPersonGetsAShortLivedReadOnlyDatabasePasswordAndConnectsWithIt() throws Exception {
        logIn("erin", List.of("auditors"));
        page.navigate(base + "/ui/#/token");
        page.locator("#token-form input[name=targets]").fill(GatewayFixture.TARGET);
        page.locator("#token-form input[name=ttl]").fill("2d");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Get a password")).click();
        assertThat(page.locator("main p.error")).containsText("at most 12 hours");
        page.locator("#token-form input[name=ttl]").fill("4h");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Get a password")).click();
        String token = page.locator("#token-value").textContent().trim();
        org.assertj.core.api.Assertions.assertThat(token).startsWith("wdn_");
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "erin");
        properties.setProperty("password", token);
        try (Connection person = java.sql.DriverManager.getConnection(gateway.jdbcUrl(), properties);
                Statement statement = person.createStatement();
                ResultSet rows = statement.executeQuery("SHOW default_transaction_read_only")) {
            rows.next();
            org.assertj.core.api.Assertions.assertThat(rows.getString(1)).as("a person's token is read-only").isEqualTo("on");
        }
    }

    @Test
    void anAdministratorCreatesAServiceTokenShownOnceAndRevokesIt() throws Exception {
        logIn("root", List.of("admins"));
        page.navigate(base + "/ui/#/token");
        page.locator("#service-token-form input[name=name]").fill("nightly-job");
        page.locator("#service-token-form input[name=targets]").fill(GatewayFixture.TARGET);
        page.locator("#service-token-form input[name=ttl]").fill("2h");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
        String token = page.locator("#service-token-value").textContent().trim();
        org.assertj.core.api.Assertions.assertThat(token).startsWith("wdn_");
        Locator row = page.locator("#token-list tr").filter(new Locator.FilterOptions().setHasText("nightly-job"));
        assertThat(row).containsText("usable");
        org.assertj.core.api.Assertions.assertThat(page.content()).as("the list never shows a token or verifier")
                .containsOnlyOnce(token).doesNotContain("SCRAM-SHA-256");
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "nightly-job");
        properties.setProperty("password", token);
        try (Connection job = java.sql.DriverManager.getConnection(gateway.jdbcUrl(), properties)) {
            org.assertj.core.api.Assertions.assertThat(job.isValid(5)).isTrue();
        }
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(page.locator("#token-list tr").filter(new Locator.FilterOptions().setHasText("nightly-job")))
                .containsText("revoked");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> java.sql.DriverManager.getConnection(gateway.jdbcUrl(), properties)).isInstanceOf(SQLException.class);
    }

    @Test
    void thePolicyPageShowsTheActivePolicyAndExplainsADropAsDenied() {
        logIn(APPROVER, List.of("dbas"));
        page.navigate(base + "/ui/#/policy");
        assertThat(page.locator("#policy-version")).hasText(gateway.policies().policy().shortVersion());
        assertThat(page.locator("#policy-yaml")).containsText("approve-account-writes");
        page.locator("#explain input[name=identity]").fill(GatewayFixture.IDENTITY);
        page.locator("#explain input[name=target]").fill(GatewayFixture.TARGET);
        page.locator("#explain textarea[name=sql]").fill("DROP TABLE accounts");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Explain")).click();
        assertThat(page.locator("#explain-result .badge")).hasText("deny");
        assertThat(page.locator("#explanation")).containsText("decision: deny");
        assertThat(page.locator("#explanation")).containsText("DROP TABLE accounts");
        screenshot("policy");
    }

    @Test
    void loggingOutEndsTheSession() {
        logIn(APPROVER, List.of("dbas"));
        page.locator("#logout").click();
        assertThat(page.locator("#login")).isVisible();
        Object status = page.evaluate("async () => (await fetch('/api/v1/approvals')).status");
        assertThat(status).isEqualTo(401);
    }

    @Test
    void thePagesRunUnderAStrictContentSecurityPolicyAndTheCookieIsHttpOnlyAndStrict() {
        logIn(APPROVER, List.of("dbas"));
        var response = page.navigate(base + "/ui/");
        assertThat(response.headers().get("content-security-policy")).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        var cookie = context.cookies().stream().filter(c -> c.name.equals(WebSessions.COOKIE)).findFirst().orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite.name()).isEqualTo("STRICT");
        assertThat(page.content()).doesNotContain(cookie.value);
        assertThat(page.evaluate("() => document.cookie")).isEqualTo("");
    }

    @Test
    void theSessionPageFollowsALiveSession() throws Exception {
        logIn(APPROVER, List.of("dbas", "auditors"));
        try (Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT owner FROM accounts WHERE id = 1 /* ui-follow-1 */")) {
                rows.next();
            }
            String sessionId = gateway.audit().store().sessions(dev.warden.store.SessionQuery.all().withIdentity(
                    GatewayFixture.IDENTITY).withStatus(dev.warden.store.SessionStatus.ACTIVE)).get(0).id();
            page.navigate(base + "/ui/#/sessions/" + sessionId);
            assertThat(page.locator("[data-kind=statement]").filter(new Locator.FilterOptions().setHasText("ui-follow-1")))
                    .hasCount(1);
            assertThat(page.locator("[data-kind=statement]").filter(new Locator.FilterOptions().setHasText("ui-follow-2")))
                    .hasCount(0);
            try (ResultSet rows = statement.executeQuery("SELECT owner FROM accounts WHERE id = 2 /* ui-follow-2 */")) {
                rows.next();
            }
            assertThat(page.locator("[data-kind=statement]").filter(new Locator.FilterOptions().setHasText("ui-follow-2")))
                    .hasCount(1);
            assertThat(page.locator("table.result").last()).containsText("bob");
        }
        assertThat(page.locator("[data-kind=session_end]")).hasCount(1);
    }

    @Test
    void anAuditorFiltersSessionsByRefusalsAndTimeAndDownloadsOneAsJsonLines() throws Exception {
        String refused = gateway.finishedSession("DROP TABLE accounts /* ui-filter-refused */");
        String clean = gateway.finishedSession("SELECT 1 /* ui-filter-clean */");
        logIn(AUDITOR, List.of("auditors"));
        page.navigate(base + "/ui/#/sessions");
        assertThat(page.locator("#session-list tr[data-id='" + clean + "']")).hasCount(1);

        page.locator("#session-filters input[name=has_denials]").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        assertThat(page.locator("#session-list tr[data-id='" + refused + "']")).hasCount(1);
        assertThat(page.locator("#session-list tr[data-id='" + clean + "']")).hasCount(0);

        // Nothing was open a day from now.
        page.locator("#session-filters input[name=since]").fill(
                java.time.LocalDateTime.now().plusDays(1).withNano(0).withSecond(0).toString());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        assertThat(page.locator("#session-list")).hasText("No sessions match.");

        page.navigate(base + "/ui/#/sessions/" + refused);
        assertThat(page.locator("[data-kind=statement]").filter(new Locator.FilterOptions().setHasText("ui-filter-refused")).first())
                .containsText("deny");
        com.microsoft.playwright.Download download = page.waitForDownload(() -> page.locator("#export").click());
        assertThat(download.suggestedFilename()).isEqualTo("warden-session-" + refused + ".jsonl");
        List<String> lines = java.nio.file.Files.readAllLines(download.path());
        assertThat(lines).hasSize(gateway.audit().store().records(refused, 0, 500).size());
        for (String line : lines) {
            assertThat(ControlPlane.JSON.readTree(line).get("session_id").asText()).isEqualTo(refused);
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("ui-filter-refused", "\"outcome\":\"deny\""));
    }

    @Test
    void anApproverGrantsARuleInThePageAndRevokesIt() {
        logIn(APPROVER, List.of("dbas"));
        page.navigate(base + "/ui/#/grants");
        page.locator("#grant-form input[name=identity]").fill(GatewayFixture.IDENTITY);
        page.locator("#grant-form input[name=target]").fill(GatewayFixture.TARGET);
        page.locator("#grant-form input[name=rule]").fill("approve-account-writes");
        page.locator("#grant-form input[name=duration]").fill("30m");
        page.locator("#grant-form input[name=reason]").fill("ui grant test");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Grant")).click();
        Locator row = page.locator("#grant-list tr").filter(new Locator.FilterOptions().setHasText("ui grant test"));
        assertThat(row).containsText(APPROVER);
        String grantId = row.getAttribute("data-id");
        screenshot("grants");
        assertThat(gateway.fullGateway().approvals().isPresent()).isTrue();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(page.locator("#grant-list tr[data-id='" + grantId + "']")).hasCount(0);

        // Granting oneself is refused, and the page says why.
        page.locator("#grant-form input[name=identity]").fill(APPROVER);
        page.locator("#grant-form input[name=target]").fill(GatewayFixture.TARGET);
        page.locator("#grant-form input[name=rule]").fill("approve-account-writes");
        page.locator("#grant-form input[name=duration]").fill("30m");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Grant")).click();
        assertThat(page.locator("main p.error")).containsText("you cannot grant yourself");
    }

    @Test
    void someoneWithNoControlPlaneRoleCannotLogIn() {
        issuer.nextLogin("mallory", CLIENT_ID, Map.of("groups", List.of("interns")));
        page.navigate(base + "/ui/");
        page.locator("#login").click();
        assertThat(page.locator("body")).containsText("mallory has no control-plane role");
        assertThat(context.cookies().stream().filter(c -> c.name.equals(WebSessions.COOKIE))).isEmpty();
    }

    @Test
    void aCallbackThisBrowserDidNotStartIsRefused() {
        var response = page.navigate(base + "/login/callback?state=made-up&code=stolen");
        assertThat(response.status()).isEqualTo(400);
        assertThat(context.cookies().stream().filter(c -> c.name.equals(WebSessions.COOKIE))).isEmpty();
    }

    private void cleanUp(String id) throws Exception {
        approvals().deny(id, new Approver("cleanup", Set.of("dbas"), true), "test cleanup");
    }
}
