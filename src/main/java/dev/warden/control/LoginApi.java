package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.VerifiedAccessToken;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People logging in to the web UI: {@code /login} sends the browser to the OIDC issuer,
 * {@code /login/callback} takes it back and opens a web session (an HttpOnly, SameSite=Strict
 * cookie), {@code /logout} closes it, and {@code /api/v1/me} tells the page who it is, its roles and
 * its CSRF token and, before login, the ways to log in (OIDC here, SAML through {@link SamlLoginApi}).
 * Without a configured web login, {@code /api/v1/me} answers Basic-authenticated callers only, so the
 * browser's own Basic prompt is the login.
 */
public final class LoginApi {
    private static final Logger log = LoggerFactory.getLogger(LoginApi.class);
    /** Binds the callback to the browser that started the login (against login CSRF). */
    static final String ATTEMPT_COOKIE = "warden_login";
    static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(10);
    static final int MAX_ATTEMPTS = 1000;

    private final Optional<OidcLoginClient> oidc;
    private final boolean samlLogin;
    private final WebSessions sessions;
    private final RequestGuard guard;
    private final Optional<String> publicUrl;
    private final boolean secureCookies;
    private final WebLogins logins;
    private final Clock clock;
    private final Map<String, TimedAttempt> attempts = new LinkedHashMap<>();

    private record TimedAttempt(OidcLoginClient.Attempt attempt, Instant startedAt) {}

    LoginApi(Optional<OidcLoginClient> oidc, boolean samlLogin, WebSessions sessions, RequestGuard guard, CallerAuthenticator authenticator,
            Optional<String> publicUrl, boolean secureCookies, Clock clock) {
        this.oidc = requireNonNull(oidc, "oidc is null");
        this.samlLogin = samlLogin;
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.secureCookies = secureCookies;
        this.logins = new WebLogins(authenticator, sessions, secureCookies);
        this.clock = requireNonNull(clock, "clock is null");
    }

    List<Endpoint> endpoints() {
        return List.of(
                // Open to anyone: they are how one logs in, and /api/v1/me checks credentials itself.
                Endpoint.get("/login", this::login, Role.ANYONE),
                Endpoint.get("/login/callback", this::callback, Role.ANYONE),
                Endpoint.get("/api/v1/me", this::me, Role.ANYONE),
                Endpoint.post("/logout", this::logout, Role.ADMIN, Role.APPROVER, Role.AUDITOR));
    }

    private void login(Context ctx) {
        if (oidc.isEmpty()) {
            ControlPlane.problem(ctx, 404, "no OIDC login is configured (control.oidc_client_id); "
                    + "the web UI asks for an identity and its token instead");
            return;
        }
        OidcLoginClient.Attempt attempt = oidc.get().newAttempt(URI.create(baseUrl(ctx) + "/login/callback"));
        URI target;
        try {
            target = oidc.get().authorizationUri(attempt);
        } catch (OidcLoginClient.LoginFailedException e) {
            log.warn("web login: {}", e.getMessage());
            ControlPlane.problem(ctx, 503, "the OIDC issuer cannot be reached; try again later");
            return;
        }
        remember(attempt);
        // Lax, not Strict: the callback is a top-level navigation from the issuer's site.
        Cookies.set(ctx, ATTEMPT_COOKIE, attempt.state().getValue(), "/login", ATTEMPT_LIFETIME.toSeconds(), "Lax",
                secureCookies);
        ctx.redirect(target.toString());
    }

    private void callback(Context ctx) {
        String state = ctx.queryParam("state");
        String cookie = ctx.cookie(ATTEMPT_COOKIE);
        Cookies.set(ctx, ATTEMPT_COOKIE, "", "/login", 0, "Lax", secureCookies);
        Optional<OidcLoginClient.Attempt> attempt = state != null && state.equals(cookie) ? take(state) : Optional.empty();
        if (oidc.isEmpty() || attempt.isEmpty()) {
            ControlPlane.problem(ctx, 400, "this login is unknown, expired or was started in another browser; log in again");
            return;
        }
        if (ctx.queryParam("error") != null || ctx.queryParam("code") == null) {
            ControlPlane.problem(ctx, 401, "the OIDC issuer did not log you in");
            return;
        }
        VerifiedAccessToken who;
        try {
            who = oidc.get().finish(attempt.get(), ctx.queryParam("code"));
        } catch (OidcLoginClient.LoginFailedException e) {
            log.warn("web login failed: {}", e.getMessage());
            ControlPlane.problem(ctx, 401, "login failed; see the gateway log");
            return;
        }
        logins.open(ctx, who.identity(), who.groups(), "");
    }

    private void logout(Context ctx) {
        guard.session(ctx).ifPresent(session -> sessions.close(session.id()));
        Cookies.clearSession(ctx, secureCookies);
        ControlPlane.json(ctx, 200, Map.of("logged_out", true));
    }

    private void me(Context ctx) {
        Optional<WebSessions.WebSession> session = guard.session(ctx);
        Optional<Caller> caller = guard.caller(ctx);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("login", oidc.isPresent() ? "oidc" : samlLogin ? "saml" : "basic");
        if (caller.isEmpty()) {
            if (oidc.isEmpty() && !samlLogin) {
                // The browser's own prompt is the login page of the Basic path.
                ctx.header("WWW-Authenticate", "Basic realm=\"warden\", charset=\"UTF-8\"");
                ControlPlane.problem(ctx, 401, "authentication required: an identity name and its token");
                return;
            }
            json.put("authenticated", false);
            json.put("login_url", oidc.isPresent() ? "/login" : SamlLoginApi.LOGIN_PATH);
            List<Map<String, String>> methods = new java.util.ArrayList<>();
            oidc.ifPresent(client -> methods.add(Map.of("method", "oidc", "url", "/login")));
            if (samlLogin) {
                methods.add(Map.of("method", "saml", "url", SamlLoginApi.LOGIN_PATH));
            }
            json.put("login_methods", methods);
            ControlPlane.json(ctx, 200, json);
            return;
        }
        json.put("authenticated", true);
        json.put("identity", caller.get().identity());
        json.put("groups", caller.get().groups().stream().sorted().toList());
        json.put("roles", caller.get().roles().stream().map(role -> role.name().toLowerCase(java.util.Locale.ROOT)).sorted()
                .toList());
        json.put("csrf_token", session.map(WebSessions.WebSession::csrfToken).orElse(null));
        json.put("expires_at", session.map(s -> s.expiresAt().toString()).orElse(null));
        ControlPlane.json(ctx, 200, json);
    }

    /** Groups from the token, plus those the configuration gives the identity (which a token cannot shed). */
    private String baseUrl(Context ctx) {
        // Without public_url the listener is loopback only, so the Host the browser used is this server.
        return publicUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElse("http://" + ctx.host());
    }


    private synchronized void remember(OidcLoginClient.Attempt attempt) {
        Instant now = clock.instant();
        attempts.values().removeIf(timed -> timed.startedAt().plus(ATTEMPT_LIFETIME).isBefore(now));
        if (attempts.size() >= MAX_ATTEMPTS) {
            attempts.remove(attempts.keySet().iterator().next());
        }
        attempts.put(attempt.state().getValue(), new TimedAttempt(attempt, now));
    }

    private synchronized Optional<OidcLoginClient.Attempt> take(String state) {
        TimedAttempt timed = attempts.remove(state);
        if (timed == null || timed.startedAt().plus(ATTEMPT_LIFETIME).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(timed.attempt());
    }
}
