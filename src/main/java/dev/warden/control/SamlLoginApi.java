package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.config.SamlConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People logging in to the web UI through a SAML 2.0 identity provider.
 *
 * <ol>
 *   <li>{@code GET /saml/login} issues an AuthnRequest, remembers its id with a random browser
 *       nonce, sets the nonce as a SameSite=Lax cookie (path {@code /saml}) and redirects to the IdP.
 *   <li>{@code POST /saml/acs} takes the IdP's response (HTTP-POST binding). That POST is cross-site by
 *       nature, so it carries none of our cookies and {@link RequestGuard} lets it through without the
 *       origin and CSRF checks. Instead the response must answer a pending request (taken, so single
 *       use, and at most {@link #REQUEST_LIFETIME} old) and pass every check of
 *       {@link SamlServiceProvider}. It opens no session: it redirects (303) to step 3 with a one-time
 *       ticket.
 *   <li>{@code GET /saml/complete} is a top-level GET on our own site, so the Lax cookie of step 1 comes
 *       with it. The ticket's login opens a web session only if that cookie holds the nonce of the
 *       request the response answered: the browser that finishes is the browser that started. A
 *       response for someone else's login, posted from another site into a victim's browser (login
 *       CSRF), stops here.
 * </ol>
 *
 * <p>Pending requests and tickets are in memory on the node that issued them (see docs/security.md).
 */
final class SamlLoginApi {
    private static final Logger log = LoggerFactory.getLogger(SamlLoginApi.class);
    static final String LOGIN_PATH = "/saml/login";
    static final String COMPLETE_PATH = "/saml/complete";
    static final String BROWSER_COOKIE = "warden_saml";
    static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);
    static final Duration TICKET_LIFETIME = Duration.ofMinutes(2);
    static final int MAX_PENDING = 1000;
    /** A signed response with a certificate and a few dozen groups is some 20 KiB; this leaves room, not a lot. */
    static final int MAX_FORM_BYTES = 256 * 1024;
    private static final int MAX_LOGGED_DETAIL = 300;

    private record Ticket(SamlServiceProvider.VerifiedLogin login, String browserNonce) {}

    private final SamlServiceProvider provider;
    private final boolean secureCookies;
    private final WebLogins logins;
    private final SecureRandom random = new SecureRandom();
    /** Request id → the nonce of the browser that asked. */
    private final PendingLogins<String> requests;
    private final PendingLogins<Ticket> tickets;

    SamlLoginApi(SamlServiceProvider provider, WebSessions sessions, CallerAuthenticator authenticator,
            boolean secureCookies, Clock clock) {
        this.provider = requireNonNull(provider, "provider is null");
        this.secureCookies = secureCookies;
        this.logins = new WebLogins(authenticator, sessions, secureCookies);
        this.requests = new PendingLogins<>(clock, REQUEST_LIFETIME, MAX_PENDING);
        this.tickets = new PendingLogins<>(clock, TICKET_LIFETIME, MAX_PENDING);
    }

    static SamlLoginApi create(SamlConfig config, WebSessions sessions, CallerAuthenticator authenticator,
            boolean secureCookies, Clock clock) {
        SamlServiceProvider provider = new SamlServiceProvider(config,
                new AssertionReplayCache(clock, AssertionReplayCache.MAX_ENTRIES));
        return new SamlLoginApi(provider, sessions, authenticator, secureCookies, clock);
    }

    List<Endpoint> endpoints() {
        return List.of(
                // Open to anyone: they are how one logs in. The ACS is also exempt from the CSRF check (see RequestGuard).
                Endpoint.get(SamlConfig.METADATA_PATH, this::metadata, Role.ANYONE),
                Endpoint.get(LOGIN_PATH, this::login, Role.ANYONE),
                Endpoint.post(SamlConfig.ACS_PATH, this::assertionConsumer, Role.ANYONE),
                Endpoint.get(COMPLETE_PATH, this::complete, Role.ANYONE));
    }

    private void metadata(Context ctx) {
        ctx.status(200).contentType("application/samlmetadata+xml; charset=utf-8").result(provider.metadata());
    }

    private void login(Context ctx) {
        SamlServiceProvider.LoginRedirect redirect = provider.newLogin();
        String nonce = randomToken();
        requests.put(redirect.requestId(), nonce);
        // Lax, not Strict: step 3 is reached by a redirect that began on the IdP's site.
        setCookie(ctx, BROWSER_COOKIE, nonce, REQUEST_LIFETIME.toSeconds());
        ctx.redirect(redirect.location().toString());
    }

    private void assertionConsumer(Context ctx) {
        Optional<String> encoded;
        try {
            encoded = samlResponseParameter(ctx);
        } catch (IOException e) {
            refuse(ctx, new SamlRefusedException("the SAML response could not be received", e.getClass().getSimpleName()));
            return;
        }
        if (encoded.isEmpty()) {
            refuse(ctx, new SamlRefusedException("expected a form with a SAMLResponse (HTTP-POST binding) of at most "
                    + MAX_FORM_BYTES / 1024 + " KiB", "no SAMLResponse form field, or the form is too large"));
            return;
        }
        try {
            SamlResponseDocument response = provider.read(encoded.get());
            // Taken before the checks, so a request id is spent by the first response naming it, valid or not.
            Optional<String> requestId = response.inResponseTo();
            Optional<String> nonce = requestId.flatMap(requests::take);
            if (nonce.isEmpty()) {
                throw new SamlRefusedException("this SAML response answers no login started here, or one that expired "
                        + "or was already used; log in again", requestId.isEmpty()
                        ? "unsolicited response (no InResponseTo); IdP-initiated login is not accepted"
                        : "InResponseTo " + requestId.get() + " is not a pending request");
            }
            SamlServiceProvider.VerifiedLogin login = provider.verify(response, requestId.get());
            String ticket = randomToken();
            tickets.put(ticket, new Ticket(login, nonce.get()));
            ctx.redirect(COMPLETE_PATH + "?ticket=" + ticket, io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (SamlRefusedException e) {
            refuse(ctx, e);
        }
    }

    private void complete(Context ctx) {
        Optional<Ticket> ticket = tickets.take(ctx.queryParam("ticket"));
        String cookie = ctx.cookie(BROWSER_COOKIE);
        setCookie(ctx, BROWSER_COOKIE, "", 0);
        if (ticket.isEmpty()) {
            refuse(ctx, new SamlRefusedException("this login is unknown, expired or was already completed; log in again",
                    "unknown or expired completion ticket"));
            return;
        }
        if (cookie == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                ticket.get().browserNonce().getBytes(StandardCharsets.UTF_8))) {
            refuse(ctx, new SamlRefusedException("this login was started in another browser; log in again",
                    "the completing browser does not hold the nonce of the request the response answered"));
            return;
        }
        SamlServiceProvider.VerifiedLogin login = ticket.get().login();
        logins.open(ctx, login.identity(), login.groups(), " through SAML");
    }

    private static void refuse(Context ctx, SamlRefusedException e) {
        // The detail names the failed check; the response itself, its attributes and the cookie never reach the log.
        log.warn("SAML login refused: {} ({})", e.getMessage(), loggable(e.detail()));
        ControlPlane.problem(ctx, e.status(), "SAML login refused: " + e.getMessage());
    }

    /**
     * java-saml's messages quote values from the response (an Issuer, an id): on one line, and short,
     * so that a crafted value cannot forge log lines or flood the log.
     */
    static String loggable(String detail) {
        String line = String.valueOf(detail).replaceAll("\\p{Cntrl}", "?");
        return line.length() > MAX_LOGGED_DETAIL ? line.substring(0, MAX_LOGGED_DETAIL) + "..." : line;
    }

    /**
     * The {@code SAMLResponse} field of a url-encoded form, read here under this endpoint's own limit
     * (the control plane's usual body limit is far smaller: other bodies are a reason and a hash).
     */
    private static Optional<String> samlResponseParameter(Context ctx) throws IOException {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            return Optional.empty();
        }
        String found = null;
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals("SAMLResponse")) {
                if (found != null) {
                    return Optional.empty(); // two responses in one form: which one would be checked?
                }
                try {
                    found = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.ofNullable(found).filter(value -> !value.isBlank());
    }

    private void setCookie(Context ctx, String name, String value, long maxAgeSeconds) {
        Cookies.set(ctx, name, value, "/saml", maxAgeSeconds, "Lax", secureCookies);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
