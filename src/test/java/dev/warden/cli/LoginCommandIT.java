package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.OidcConfig;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.TestIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code warden login} against a real OIDC issuer: the browser step is played by an HTTP client that
 * follows the authorization endpoint's redirect to the command's one-shot listener, and the token the
 * command prints then logs in through the gateway.
 */
class LoginCommandIT {
    static TestIssuer issuer;
    static GatewayFixture gateway;
    static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeAll
    static void start() {
        issuer = TestIssuer.start();
        gateway = GatewayFixture.start(config -> config.withOidc(Optional.of(new OidcConfig(issuer.issuer(), "warden",
                OidcConfig.IdentityClaim.SUB, Optional.empty(), UpstreamAccess.READ_ONLY, Duration.ofSeconds(60),
                Duration.ofSeconds(30), true, Map.of()))));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        issuer.close();
    }

    /** Runs the command in the background; its stderr can be read while it waits for the browser. */
    private record Running(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
        String awaitLoginUrl() throws InterruptedException {
            Pattern url = Pattern.compile("(http://\\S+/authorize\\?\\S+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Matcher matcher = url.matcher(err.toString());
                if (matcher.find()) {
                    return matcher.group(1);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no login address printed: " + err);
        }
    }

    private static Running login(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[] {"login", "--issuer", issuer.issuer().toString(), "--client-id", "warden-cli",
            "--host", "127.0.0.1", "--port", Integer.toString(gateway.port()), "--database", GatewayFixture.TARGET,
            "--timeout", "30"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all));
        return new Running(exit, out, err);
    }

    @Test
    void theBrowserLoginGivesATokenThatConnectsThroughTheGateway() throws Exception {
        issuer.enqueueLogin("erin", "warden", Map.of());
        Running running = login();
        String url = running.awaitLoginUrl();
        assertThat(url).contains("code_challenge_method=S256").contains("code_challenge=").contains("state=")
                .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A");
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Logged in to Warden");
        assertThat(running.exit().get(20, TimeUnit.SECONDS)).as(running.err().toString()).isZero();

        String printed = running.out().toString();
        assertThat(printed).contains("user=erin").contains("sslmode=require").contains("dbname=" + GatewayFixture.TARGET);
        Matcher token = Pattern.compile("export PGPASSWORD='([^']+)'").matcher(printed);
        assertThat(token.find()).isTrue();
        Properties properties = new Properties();
        properties.setProperty("user", "erin");
        properties.setProperty("password", token.group(1));
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + gateway.port() + "/" + GatewayFixture.TARGET + "?sslmode=disable",
                        properties);
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
    }

    @Test
    void aRefusedOrForeignAnswerFromTheBrowserIsAClearFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Running refused = login("--callback-port", Integer.toString(port));
        refused.awaitLoginUrl();
        browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/callback?error=access_denied&error_description=user%20cancelled")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ControlCall.REFUSED);
        assertThat(refused.err().toString()).contains("the provider refused the login: access_denied (user cancelled)");

        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Running forged = login("--callback-port", Integer.toString(port));
        forged.awaitLoginUrl();
        browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/callback?code=x&state=not-ours"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.exit().get(20, TimeUnit.SECONDS)).isEqualTo(ControlCall.REFUSED);
        assertThat(forged.err().toString()).contains("state mismatch");
    }

    @Test
    void anUnreachableProviderIsSaidSo() {
        CommandResult result = CommandResult.run("login", "--issuer", "http://127.0.0.1:1/realms/x", "--client-id", "c");
        assertThat(result.exitCode()).isEqualTo(ControlCall.UNREACHABLE);
        assertThat(result.err()).contains("cannot read the provider's discovery document");
    }
}
