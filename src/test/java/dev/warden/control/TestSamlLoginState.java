package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The two memories of a SAML login: pending steps (single use, time-limited) and used assertion ids. */
class TestSamlLoginState {
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock();

    @Test
    void aPendingStepIsTakenOnceAndOnlyWithinItsLifetime() {
        PendingLogins<String> pending = new PendingLogins<>(clock, Duration.ofMinutes(10), 100);
        pending.put("a", "nonce-a");
        pending.put("b", "nonce-b");
        assertThat(pending.take("a")).contains("nonce-a");
        assertThat(pending.take("a")).isEmpty();
        assertThat(pending.take(null)).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(pending.take("b")).as("expired at its lifetime").isEmpty();
    }

    @Test
    void pendingStepsAreBoundedOldestFirst() {
        PendingLogins<String> pending = new PendingLogins<>(clock, Duration.ofMinutes(10), 3);
        for (int i = 0; i < 5; i++) {
            pending.put("k" + i, "v" + i);
        }
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.take("k0")).isEmpty();
        assertThat(pending.take("k1")).isEmpty();
        assertThat(pending.take("k4")).contains("v4");
    }

    @Test
    void anAssertionIdIsRefusedUntilItCouldNoLongerBeAcceptedAnyway() {
        AssertionReplayCache cache = new AssertionReplayCache(clock, 100);
        Instant until = clock.now.plus(Duration.ofMinutes(5));
        assertThat(cache.use("_a", until)).isEqualTo(AssertionReplayCache.Outcome.FIRST_USE);
        assertThat(cache.use("_a", until)).isEqualTo(AssertionReplayCache.Outcome.REPLAYED);
        clock.now = until.minusSeconds(1);
        assertThat(cache.use("_a", until)).isEqualTo(AssertionReplayCache.Outcome.REPLAYED);
    }

    @Test
    void aFullCacheRefusesRatherThanForgetsALiveEntry() {
        AssertionReplayCache cache = new AssertionReplayCache(clock, 2);
        assertThat(cache.use("_a", clock.now.plus(Duration.ofMinutes(1)))).isEqualTo(AssertionReplayCache.Outcome.FIRST_USE);
        assertThat(cache.use("_b", clock.now.plus(Duration.ofMinutes(10)))).isEqualTo(AssertionReplayCache.Outcome.FIRST_USE);
        assertThat(cache.use("_c", clock.now.plus(Duration.ofMinutes(10)))).isEqualTo(AssertionReplayCache.Outcome.FULL);
        assertThat(cache.use("_a", clock.now.plus(Duration.ofMinutes(1)))).isEqualTo(AssertionReplayCache.Outcome.REPLAYED);
        // Once _a's time is over it makes room, and _b is still remembered.
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(cache.use("_c", clock.now.plus(Duration.ofMinutes(10)))).isEqualTo(AssertionReplayCache.Outcome.FIRST_USE);
        assertThat(cache.use("_b", clock.now.plus(Duration.ofMinutes(10)))).isEqualTo(AssertionReplayCache.Outcome.REPLAYED);
        assertThat(cache.size()).isEqualTo(2);
    }
}
