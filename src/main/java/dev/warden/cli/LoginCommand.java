package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warden login}: gets a short-lived access token from the organisation's OpenID Connect
 * provider through the browser (authorization code with PKCE, redirected to a one-shot listener on
 * 127.0.0.1) and prints how to connect through Warden with it as the password. The token is printed,
 * never stored.
 */
@Command(
        name = "login",
        description = {
            "Log in with your OpenID Connect provider in the browser and print how to connect through Warden",
            "with the access token (short-lived) as the PostgreSQL password."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:logged in", "2:usage error", "5:the provider refused", "6:the provider is unreachable or the login timed out"})
final class LoginCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--issuer", required = true, paramLabel = "URL", description = "the provider's issuer (as in oidc.issuer)")
    URI issuer;

    @Option(names = "--client-id", required = true, paramLabel = "ID", description = "a public client of the provider that allows http://127.0.0.1 redirects")
    String clientId;

    @Option(names = "--scope", paramLabel = "SCOPES", defaultValue = "openid", description = "scopes to ask for (default: ${DEFAULT-VALUE})")
    String scope;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost", description = "Warden's host, for the printed connection (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6432", description = "Warden's port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--database", paramLabel = "TARGET", defaultValue = "postgres", description = "the target to connect to (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--user", paramLabel = "NAME", description = "the PostgreSQL user (default: the token's preferred_username, email or sub)")
    String user;

    @Option(names = "--callback-port", paramLabel = "PORT", defaultValue = "0", description = "the local port the browser is sent back to (default: any free one)")
    int callbackPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "how long to wait for the browser (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--print-token", description = "print only the access token (for PGPASSWORD=$(warden login ...))")
    boolean printToken;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        JsonNode discovery;
        try {
            discovery = getJson(http, URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration"));
        } catch (IOException e) {
            err.println("warden login: cannot read the provider's discovery document: " + e.getMessage());
            return ControlCall.UNREACHABLE;
        }
        String authorizationEndpoint = discovery.path("authorization_endpoint").asText("");
        String tokenEndpoint = discovery.path("token_endpoint").asText("");
        if (authorizationEndpoint.isEmpty() || tokenEndpoint.isEmpty()) {
            err.println("warden login: the provider's discovery document names no authorization or token endpoint");
            return ControlCall.REFUSED;
        }
        SecureRandom random = new SecureRandom();
        String verifier = randomUrlSafe(random, 32);
        String state = randomUrlSafe(random, 16);
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), callbackPort), 0);
        } catch (IOException e) {
            err.println("warden login: cannot listen on 127.0.0.1:" + callbackPort + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        server.createContext("/callback", exchange -> answerCallback(exchange, callback));
        server.start();
        try {
            String redirect = "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
            String url = authorizationEndpoint + (authorizationEndpoint.contains("?") ? "&" : "?") + form(Map.of(
                    "response_type", "code", "client_id", clientId, "redirect_uri", redirect, "scope", scope,
                    "state", state, "code_challenge", challenge(verifier), "code_challenge_method", "S256"));
            err.println("Open this address in your browser to log in:");
            err.println("  " + url);
            err.flush();
            Map<String, String> answer;
            try {
                answer = callback.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                err.println("warden login: nobody came back from the browser within " + timeoutSeconds + " s");
                return ControlCall.UNREACHABLE;
            } catch (ExecutionException e) {
                err.println("warden login: " + e.getCause().getMessage());
                return ControlCall.REFUSED;
            }
            if (!state.equals(answer.get("state"))) {
                err.println("warden login: the answer from the browser is not for this login (state mismatch); try again");
                return ControlCall.REFUSED;
            }
            JsonNode tokens;
            try {
                tokens = postForm(http, URI.create(tokenEndpoint), Map.of("grant_type", "authorization_code",
                        "code", answer.getOrDefault("code", ""), "redirect_uri", redirect, "client_id", clientId,
                        "code_verifier", verifier));
            } catch (IOException e) {
                err.println("warden login: the provider refused the code: " + e.getMessage());
                return ControlCall.REFUSED;
            }
            String accessToken = tokens.path("access_token").asText("");
            if (accessToken.isEmpty()) {
                err.println("warden login: the provider answered without an access token");
                return ControlCall.REFUSED;
            }
            print(out, accessToken, tokens.path("expires_in").asLong(0));
            return ExitCode.OK.code();
        } finally {
            server.stop(0);
        }
    }

    private void print(PrintWriter out, String accessToken, long expiresIn) {
        if (printToken) {
            out.println(accessToken);
            return;
        }
        String name = user != null ? user : identityIn(accessToken);
        out.println("Logged in" + (expiresIn > 0 ? "; the token is valid for " + expiresIn / 60 + " min" : "") + ". Connect with:");
        out.println("  export PGPASSWORD='" + accessToken + "'");
        out.println("  psql \"host=" + host + " port=" + port + " dbname=" + database + " user=" + name + " sslmode=require\"");
    }

    /** The name the token carries (not verified here: Warden verifies it when it is used). */
    static String identityIn(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return "YOUR_USER";
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (String claim : new String[] {"preferred_username", "email", "sub"}) {
                if (claims.path(claim).isTextual()) {
                    return claims.get(claim).asText();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // fall through
        }
        return "YOUR_USER";
    }

    private static void answerCallback(HttpExchange exchange, CompletableFuture<Map<String, String>> callback)
            throws IOException {
        Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
        boolean failed = query.containsKey("error");
        String page = failed ? "Login failed. You can close this window."
                : "Logged in to Warden. You can close this window and go back to the terminal.";
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        // Only now: the command stops this listener as soon as it has the answer.
        if (failed) {
            callback.completeExceptionally(new IllegalStateException("the provider refused the login: " + query.get("error")
                    + (query.containsKey("error_description") ? " (" + query.get("error_description") + ")" : "")));
        } else {
            callback.complete(query);
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static JsonNode getJson(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode postForm(HttpClient http, URI uri, Map<String, String> fields)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + (body.path("error").isTextual() ? ": " + body.get("error").asText() : ""));
        }
        return body;
    }

    private static String form(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private static String randomUrlSafe(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** PKCE S256: the provider checks that whoever redeems the code knows the verifier. */
    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
