package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.policy.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestWebSessions {
    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock();
    final WebSessions sessions = new WebSessions(clock);
    final Subject alice = new Subject("alice", Set.of("dbas"), false);

    @Test
    void aSessionIsFoundByItsCookieUntilItExpires() {
        WebSessions.WebSession session = sessions.open(alice);
        assertThat(sessions.find(session.id())).contains(session);
        clock.now = clock.now.plus(WebSessions.LIFETIME).minusSeconds(1);
        assertThat(sessions.find(session.id())).isPresent();
        clock.now = clock.now.plusSeconds(1);
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void unknownEmptyAndClosedCookiesFindNothing() {
        WebSessions.WebSession session = sessions.open(alice);
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(session.csrfToken())).as("the CSRF token is not a session id").isEmpty();
        sessions.close(session.id());
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void idsAndCsrfTokensAreUnguessableAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            WebSessions.WebSession session = sessions.open(alice);
            assertThat(session.id()).hasSize(43);
            assertThat(seen.add(session.id())).isTrue();
            assertThat(seen.add(session.csrfToken())).isTrue();
        }
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        WebSessions.WebSession session = sessions.open(alice);
        assertThat(session.csrfMatches(session.csrfToken())).isTrue();
        assertThat(session.csrfMatches(null)).isFalse();
        assertThat(session.csrfMatches("")).isFalse();
        assertThat(session.csrfMatches(session.csrfToken() + "x")).isFalse();
        assertThat(session.csrfMatches(session.csrfToken().substring(1))).isFalse();
    }

    @Test
    void boundedTheOldestSessionGoesWhenFull() {
        WebSessions.WebSession first = sessions.open(alice);
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        WebSessions.WebSession second = sessions.open(alice);
        for (int i = 2; i < WebSessions.MAX_SESSIONS; i++) {
            sessions.open(alice);
        }
        assertThat(sessions.find(first.id())).as("still room for the first").isPresent();
        WebSessions.WebSession newest = sessions.open(alice);
        assertThat(sessions.find(first.id())).isEmpty();
        assertThat(sessions.find(second.id())).isPresent();
        assertThat(sessions.find(newest.id())).isPresent();
    }
}
