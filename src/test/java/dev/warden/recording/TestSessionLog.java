package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TestSessionLog {
    private static final SessionLog.CheckpointPolicy EVERY_TWO = new SessionLog.CheckpointPolicy() {
        @Override
        public int every() {
            return 2;
        }

        @Override
        public String body(String sessionId, long seq, String hash) {
            return RecordBodies.checkpoint(seq, hash, "k", "signature");
        }
    };

    @Test
    void appendReturnsTheSeqOfTheRecordEvenWhenACheckpointFollowsIt() {
        List<ChainedRecord> stored = new ArrayList<>();
        SessionLog log = new SessionLog("s", batch -> {
            stored.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), EVERY_TWO);

        assertThat(log.append(RecordKind.SESSION_START, "{}")).isEqualTo(1);
        long statement = log.append(RecordKind.STATEMENT, "{}");

        assertThat(statement).isEqualTo(2);
        assertThat(stored).extracting(ChainedRecord::kind)
                .containsExactly(RecordKind.SESSION_START, RecordKind.STATEMENT, RecordKind.CHECKPOINT);
        assertThat(stored.get((int) statement - 1).kind()).isEqualTo(RecordKind.STATEMENT);
        assertThat(log.append(RecordKind.COMPLETION, "{}")).isEqualTo(4);
    }
}
