package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.Subject;
import dev.warden.store.RecordStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The browser sessions of people logged in through OIDC (or SAML). The cookie value is a random
 * 256-bit id that is never kept: sessions are found by its SHA-256, in the record store when the
 * gateway has one (so any node sharing the store serves the browser) or in memory. Each session has
 * its own CSRF token, which the page sends back in a header on every state-changing request (a
 * forging site can make the browser send the cookie, never the header); it is derived from the id by
 * a second, differently prefixed hash, so it needs no storage and the stored hash does not reveal it.
 *
 * <p>Bounded: at most {@link #MAX_SESSIONS} at once; when full, the session closest to expiry goes.
 */
public final class WebSessions {
    public static final String COOKIE = "warden_session";
    public static final String CSRF_HEADER = "X-Warden-CSRF";
    static final Duration LIFETIME = Duration.ofHours(8);
    static final int MAX_SESSIONS = 10_000;

    /** One logged-in person. The id is the cookie's value; it never appears in a page, a log or the store. */
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
    private final WebSessionTable table;
    private final SecureRandom random = new SecureRandom();

    /** Sessions in this node's memory: a restart logs everyone out. */
    public WebSessions(Clock clock) {
        this(clock, new MemoryWebSessionTable(MAX_SESSIONS));
    }

    /** Sessions in {@code store}, shared by every gateway node that uses it. */
    public WebSessions(Clock clock, RecordStore store) {
        this(clock, new StoreWebSessionTable(store, MAX_SESSIONS));
    }

    WebSessions(Clock clock, WebSessionTable table) {
        this.clock = requireNonNull(clock, "clock is null");
        this.table = requireNonNull(table, "table is null");
    }

    /**
     * Opens a session for {@code subject}.
     *
     * @throws IllegalStateException when the store cannot keep it (the login fails rather than half-works)
     */
    public WebSession open(Subject subject) {
        requireNonNull(subject, "subject is null");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        // Microseconds: what the store keeps, so a session read back equals the one opened.
        Instant expiresAt = now.plus(LIFETIME).truncatedTo(ChronoUnit.MICROS);
        table.insert(idHash(id), subject, now, expiresAt);
        return new WebSession(id, subject, csrfToken(id), expiresAt);
    }

    /** The live session a cookie names; expired and unknown ones are empty. */
    public Optional<WebSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        return table.find(idHash(cookie), clock.instant())
                .map(entry -> new WebSession(cookie, entry.subject(), csrfToken(cookie), entry.expiresAt()));
    }

    /** Ends the session (logout), on every node that shares the store. */
    public void close(String id) {
        if (id != null && !id.isEmpty()) {
            table.delete(idHash(id));
        }
    }

    /** How a session is stored: hex SHA-256 of the cookie value. */
    static String idHash(String id) {
        return HexFormat.of().formatHex(sha256("warden-session:" + id));
    }

    private static String csrfToken(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("warden-csrf:" + id));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
