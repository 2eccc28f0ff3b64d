package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterCatchUpsTest {
    private final CounterCatchUps catchUps = new CounterCatchUps(1_000, 2);

    @Test
    void aSessionIsDueWhenFirstSeenThenOncePerInterval() {
        assertThat(catchUps.due("a", 0)).isTrue();
        assertThat(catchUps.due("a", 999)).isFalse();
        assertThat(catchUps.due("a", 1_000)).isTrue();
        assertThat(catchUps.due("a", 1_500)).isFalse();
    }

    @Test
    void anEndedSessionIsForgotten() {
        catchUps.due("a", 0);
        catchUps.ended("a");
        assertThat(catchUps.due("a", 1)).isTrue();
    }

    @Test
    void theLeastRecentlyWrittenSessionIsForgottenWhenFull() {
        catchUps.due("a", 0);
        catchUps.due("b", 0);
        catchUps.due("c", 0);

        assertThat(catchUps.due("b", 1)).isFalse();
        assertThat(catchUps.due("c", 1)).isFalse();
        assertThat(catchUps.due("a", 1)).as("forgotten, so due again at once").isTrue();
    }
}
