package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.Subject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The browser sessions of people logged in through OIDC, in memory: a restart logs everyone out,
 * which is the safe direction. Each session has its own CSRF token, which the page sends back in a
 * header on every state-changing request (a forging site can make the browser send the cookie, never
 * the header).
 *
 * <p>Bounded: at most {@link #MAX_SESSIONS} at once; when full, the session closest to expiry goes.
 */
public final class WebSessions {
    public static final String COOKIE = "warden_session";
    public static final String CSRF_HEADER = "X-Warden-CSRF";
    static final Duration LIFETIME = Duration.ofHours(8);
    static final int MAX_SESSIONS = 10_000;

    /** One logged-in person. The id is the cookie's value; it never appears in a page or a log. */
    public record WebSession(String id, Subject subject, String csrfToken, Instant expiresAt) {
        public WebSession {
            requireNonNull(id, "id is null");
            requireNonNull(subject, "subject is null");
            requireNonNull(csrfToken, "csrfToken is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }

        /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    csrfToken.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** In creation order, which with one lifetime for all is also expiry order. */
    private final Map<String, WebSession> sessions = new LinkedHashMap<>();

    public WebSessions(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized WebSession open(Subject subject) {
        dropExpired();
        if (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        WebSession session = new WebSession(randomToken(), subject, randomToken(), clock.instant().plus(LIFETIME));
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session a cookie names; expired and unknown ones are empty. */
    public synchronized Optional<WebSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        WebSession session = sessions.get(cookie);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            sessions.remove(cookie);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public synchronized void close(String id) {
        sessions.remove(id);
    }

    synchronized int size() {
        return sessions.size();
    }

    private void dropExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> !now.isBefore(session.expiresAt()));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
