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
        // Appends accumulate until someone needs them durable (or a flush timer fires).
        assertThat(stored).isEmpty();
        log.flush();
        assertThat(stored).extracting(ChainedRecord::kind)
                .containsExactly(RecordKind.SESSION_START, RecordKind.STATEMENT, RecordKind.CHECKPOINT);
        assertThat(stored.get((int) statement - 1).kind()).isEqualTo(RecordKind.STATEMENT);
        assertThat(log.append(RecordKind.COMPLETION, "{}")).isEqualTo(4);
    }

    @Test
    void durableSendsWhatAccumulatedAndCompletesWhenTheBatchCommits() {
        List<List<ChainedRecord>> batches = new ArrayList<>();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        SessionLog log = new SessionLog("s", batch -> {
            batches.add(List.copyOf(batch));
            return commit;
        }, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), SessionLog.CheckpointPolicy.NONE);

        log.append(RecordKind.SESSION_START, "{}");
        log.append(RecordKind.STATEMENT, "{}");
        CompletableFuture<Void> durable = log.durable();
        // Records appended while a batch is outstanding wait for it: one batch per session at a time.
        log.append(RecordKind.COMPLETION, "{}");
        CompletableFuture<Void> later = log.durable();

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).hasSize(2);
        assertThat(durable).isNotDone();
        commit.complete(null);
        assertThat(durable).isCompleted();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).extracting(ChainedRecord::kind).containsExactly(RecordKind.COMPLETION);
        assertThat(later).isCompleted();
    }
}
