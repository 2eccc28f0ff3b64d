package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementMemoryTest {
    private final StatementMemory memory = new StatementMemory();

    @Test
    void aPlainTextReachesWhatItsOwnTextReachesEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThat(memory.reaches("SELECT abalance FROM pgbench_accounts WHERE aid = $1", false)).isFalse();
            assertThat(memory.reaches("SELECT email FROM customers", true)).isTrue();
        }
    }

    @Test
    void aCursorReachesWhatItsDeclarationReachedAndAnUnknownOneCountsAsReaching() {
        assertThat(memory.reaches("DECLARE plain CURSOR FOR SELECT 1", false)).isFalse();
        assertThat(memory.reaches("DECLARE secret CURSOR FOR SELECT email FROM customers", true)).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(memory.reaches("FETCH 10 FROM plain", false)).isFalse();
            assertThat(memory.reaches("FETCH 10 FROM secret", false)).isTrue();
            assertThat(memory.reaches("FETCH 10 FROM never_declared", false)).isTrue();
        }
    }

    @Test
    void aNameRedeclaredToReachMaskedDataIsFollowedEvenWhenTheFetchTextWasSeenBefore() {
        memory.reaches("PREPARE p AS SELECT 1", false);
        assertThat(memory.reaches("EXECUTE p", false)).isFalse();

        memory.reaches("DEALLOCATE p; PREPARE p AS SELECT email FROM customers", true);

        assertThat(memory.reaches("EXECUTE p", false)).isTrue();
    }

    @Test
    void aMessageMixingPlainStatementsWithAFetchIsNeverTakenForPlain() {
        memory.reaches("DECLARE secret CURSOR FOR SELECT email FROM customers", true);
        for (int i = 0; i < 3; i++) {
            assertThat(memory.reaches("SELECT 1; FETCH ALL FROM secret", false)).isTrue();
        }
    }
}
