package dev.warden.control;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Works out who sends a request (a web session cookie, else HTTP Basic) and refuses state-changing
 * requests that another site may have made the browser send. Browsers attach both a cookie and cached
 * Basic credentials to a forged cross-site POST, so two checks hold for every POST and DELETE:
 * <ul>
 *   <li>the browser says it came from this origin: {@code Sec-Fetch-Site} is same-origin (or absent,
 *       as from scripts and the CLI), and {@code Origin}, when sent, is this server's;
 *   <li>with a session cookie, the session's CSRF token is in the {@code X-Warden-CSRF} header, which
 *       no other site can set without a CORS preflight this server never grants.
 * </ul>
 * One POST is exempt: the SAML assertion consumer, which an identity provider's page posts to from
 * its own site by design (the HTTP-POST binding). It acts on no session and changes nothing but its
 * own pending logins; {@link SamlLoginApi} binds what it accepts to the browser that started the login.
 */
final class RequestGuard {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** The request's session, looked up once: with sessions in the store, each lookup is a query. */
    private static final String SESSION_ATTRIBUTE = "warden.webSession";
    /** The only path a cross-site POST may reach, and only by POST. */
    static final String CROSS_SITE_POST_PATH = dev.warden.config.SamlConfig.ACS_PATH;

    private final CallerAuthenticator basic;
    private final WebSessions sessions;
    private final Optional<String> publicOrigin;

    RequestGuard(CallerAuthenticator basic, WebSessions sessions, Optional<String> publicUrl) {
        this.basic = requireNonNull(basic, "basic is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.publicOrigin = requireNonNull(publicUrl, "publicUrl is null").map(RequestGuard::originOf);
    }

    Optional<WebSessions.WebSession> session(Context ctx) {
        Optional<WebSessions.WebSession> known = ctx.attribute(SESSION_ATTRIBUTE);
        if (known == null) {
            known = sessions.find(ctx.cookie(WebSessions.COOKIE));
            ctx.attribute(SESSION_ATTRIBUTE, known);
        }
        return known;
    }

    /** The caller, from a live session cookie first, else from an {@code Authorization: Basic} header. */
    Optional<Caller> caller(Context ctx) {
        Optional<WebSessions.WebSession> session = session(ctx);
        if (session.isPresent()) {
            return Optional.of(basic.callerFor(session.get().subject()));
        }
        return basic.authenticate(ctx.header("Authorization"));
    }

    /** Why this request must be refused as possibly forged, or empty when it may proceed. */
    Optional<String> forgeryProblem(Context ctx) {
        if (SAFE_METHODS.contains(ctx.method().name())) {
            return Optional.empty();
        }
        if (ctx.method().name().equals("POST") && ctx.path().equals(CROSS_SITE_POST_PATH)) {
            return Optional.empty();
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("cross-site request refused (Sec-Fetch-Site: " + site + ")");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !isOwnOrigin(ctx, origin)) {
            return Optional.of("cross-origin request refused (Origin is not this control plane)");
        }
        Optional<WebSessions.WebSession> session = session(ctx);
        if (session.isPresent() && !session.get().csrfMatches(ctx.header(WebSessions.CSRF_HEADER))) {
            return Optional.of("missing or wrong CSRF token: send the " + WebSessions.CSRF_HEADER
                    + " header the web UI gets from /api/v1/me");
        }
        return Optional.empty();
    }

    private boolean isOwnOrigin(Context ctx, String origin) {
        if (publicOrigin.isPresent() && publicOrigin.get().equals(origin)) {
            return true;
        }
        // The Host header of a genuine browser request names this server; a forging page cannot change it.
        String host = ctx.header("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }
}
