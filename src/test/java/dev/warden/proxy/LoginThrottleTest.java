package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final InetAddress A = address(10, 0, 0, 1);
    private static final InetAddress B = address(10, 0, 0, 2);

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
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

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 1000);

    @Test
    void scheduleIsFreeThenDoublingThenCapped() {
        assertThat(LoginThrottle.delayFor(0)).isZero();
        assertThat(LoginThrottle.delayFor(1)).isZero();
        assertThat(LoginThrottle.delayFor(3)).isZero();
        assertThat(LoginThrottle.delayFor(4)).isEqualTo(Duration.ofMillis(250));
        assertThat(LoginThrottle.delayFor(5)).isEqualTo(Duration.ofMillis(500));
        assertThat(LoginThrottle.delayFor(6)).isEqualTo(Duration.ofMillis(1000));
        assertThat(LoginThrottle.delayFor(10)).isEqualTo(Duration.ofMillis(16_000));
        assertThat(LoginThrottle.delayFor(11)).isEqualTo(Duration.ofSeconds(30));
        // No overflow of the shift for a very persistent attacker.
        assertThat(LoginThrottle.delayFor(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoginThrottle.delayFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void failuresFromOneSourceAccumulateAndDoNotAffectAnother() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.recordFailure(A)).isZero();
        }
        assertThat(throttle.recordFailure(A)).isEqualTo(Duration.ofMillis(250));
        assertThat(throttle.recordFailure(A)).isEqualTo(Duration.ofMillis(500));
        assertThat(throttle.recordFailure(B)).isZero();
    }

    @Test
    void theCountStartsAgainAfterTheWindowWithoutFailures() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure(A);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(LoginThrottle.WINDOW);
        assertThat(throttle.recordFailure(A)).isZero();
    }

    @Test
    void failuresWithinTheWindowKeepTheCountAlive() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure(A);
            clock.advance(LoginThrottle.WINDOW.minusSeconds(1));
        }
        assertThat(throttle.recordFailure(A)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aSuccessClearsTheSource() {
        for (int i = 0; i < 6; i++) {
            throttle.recordFailure(A);
        }
        throttle.recordSuccess(A);
        assertThat(throttle.recordFailure(A)).isZero();
    }

    @Test
    void trackedSourcesAreBounded() {
        LoginThrottle small = new LoginThrottle(clock, 10);
        for (int i = 0; i < 3; i++) {
            assertThat(small.recordFailure(B)).isZero();
            clock.advance(Duration.ofMillis(1));
        }
        // An attacker rotating through fresh addresses while failing from B must not wipe B's count:
        // eviction drops the sources that failed least recently, never the active one.
        for (int i = 0; i < 100; i++) {
            small.recordFailure(address(10, 1, 0, i));
            clock.advance(Duration.ofMillis(1));
            if (i % 5 == 0) {
                small.recordFailure(B);
                clock.advance(Duration.ofMillis(1));
            }
        }
        assertThat(small.recordFailure(B)).isEqualTo(LoginThrottle.delayFor(3 + 20 + 1));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
