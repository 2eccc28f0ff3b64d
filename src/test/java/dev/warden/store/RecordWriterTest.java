package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.recording.ChainedRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's queue, grouping and shutdown, over a real SQLite store behind a gate. */
class RecordWriterTest {
    @TempDir
    Path directory;

    private GatedRecordStore store;

    @BeforeEach
    void openStore() throws StoreException {
        store = new GatedRecordStore(RecordStore.open(new StoreLocation.Sqlite(directory.resolve("warden.db"))));
    }

    @AfterEach
    void closeStore() {
        store.open();
        store.close();
    }

    @Test
    void aFullQueueFailsTheSubmissionAtOnceInsteadOfBlocking() throws Exception {
        try (RecordWriter writer = RecordWriter.start(store, 2, 1000)) {
            TestingSession first = new TestingSession("first", 1_000_000);
            CompletableFuture<Void> committing = writer.submit(List.of(first.start("alice", "prod")));
            assertThat(store.awaitFirstAppend()).isTrue();
            CompletableFuture<Void> queued1 = writer.submit(List.of(new TestingSession("q1", 1).start("bob", "prod")));
            CompletableFuture<Void> queued2 = writer.submit(List.of(new TestingSession("q2", 1).start("carol", "prod")));

            CompletableFuture<Void> rejected = writer.submit(List.of(new TestingSession("q3", 1).start("dan", "prod")));

            assertThat(rejected).isCompletedExceptionally();
            assertThatThrownBy(rejected::join).hasCauseInstanceOf(StoreOverloadedException.class);
            store.open();
            CompletableFuture.allOf(committing, queued1, queued2).get(10, TimeUnit.SECONDS);
            assertThat(store.appendSizes()).containsExactly(1, 2);
            assertThat(writer.healthy()).isTrue();
        }
        assertThat(store.session("q3")).isEmpty();
    }

    @Test
    void aGroupCarriesAtMostTheMaximumRecordsAndALargerBatchGoesAlone() throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (RecordWriter writer = RecordWriter.start(store, 100, 10)) {
            TestingSession blocker = new TestingSession("blocker", 1);
            futures.add(writer.submit(List.of(blocker.start("alice", "prod"))));
            assertThat(store.awaitFirstAppend()).isTrue();
            for (int i = 0; i < 9; i++) {
                TestingSession session = new TestingSession("s-" + i, 1);
                futures.add(writer.submit(List.of(session.start("alice", "prod"), session.statement("SELECT 1", "allow"),
                        session.completion("SELECT 1"))));
            }
            TestingSession large = new TestingSession("large", 1);
            List<ChainedRecord> twelve = new ArrayList<>(List.of(large.start("alice", "prod")));
            for (int i = 0; i < 11; i++) {
                twelve.add(large.statement("SELECT " + i, "allow"));
            }
            futures.add(writer.submit(twelve));

            store.open();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(store.appendSizes()).containsExactly(1, 9, 9, 9, 12);
            assertThat(writer.commits()).isEqualTo(5);
            assertThat(writer.batches()).isEqualTo(11);
            assertThat(writer.records()).isEqualTo(1 + 27 + 12);
            assertThat(writer.lastCommitLatencyNanos()).isPositive();
        }
    }

    @Test
    void closeWritesWhatIsQueuedThenRefusesNewBatches() throws Exception {
        store.open();
        RecordWriter writer = RecordWriter.start(store);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(writer.submit(List.of(new TestingSession("s-" + i, 1).start("alice", "prod"))));
        }

        writer.close();

        assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted().isNotCompletedExceptionally());
        assertThat(store.sessions(SessionQuery.all().withLimit(1000))).hasSize(200);
        CompletableFuture<Void> late = writer.submit(List.of(new TestingSession("late", 1).start("alice", "prod")));
        assertThatThrownBy(late::join).hasCauseInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThat(writer.healthy()).isFalse();
    }

    @Test
    void closeGivesUpAfterItsTimeoutAndFailsWhatItCouldNotWrite() throws Exception {
        RecordWriter writer = RecordWriter.start(store);
        CompletableFuture<Void> stuck = writer.submit(List.of(new TestingSession("stuck", 1).start("alice", "prod")));
        assertThat(store.awaitFirstAppend()).isTrue();
        CompletableFuture<Void> queued = writer.submit(List.of(new TestingSession("queued", 1).start("bob", "prod")));

        writer.close(Duration.ofMillis(200));

        assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
        assertThat(store.sessions(SessionQuery.all())).isEmpty();
    }

    @Test
    void anEmptyBatchIsDurableAtOnce() {
        try (RecordWriter writer = RecordWriter.start(store)) {
            assertThat(writer.submit(List.of())).isCompleted();
            assertThat(writer.batches()).isZero();
        }
    }
}
