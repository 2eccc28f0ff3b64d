package dev.warden.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends per second into the embedded SQLite store through the {@link RecordWriter}: each
 * benchmark thread is one session doing what the gateway does per round trip (submit a STATEMENT
 * and a COMPLETION record, wait until they are durable, go on). Scores are records per second.
 * The database lives under {@code target/}, on the real disk, so every commit pays its fsync.
 * Run with {@code bench/jmh.sh StoreAppendBenchmark} (see docs/BENCHMARKS.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class StoreAppendBenchmark {

    @State(Scope.Benchmark)
    public static class Store {
        private final AtomicInteger sessions = new AtomicInteger();
        private Path directory;
        private RecordStore store;
        RecordWriter writer;
        /** {@code full}: an fsync per commit (the default); {@code normal}: commits survive a gateway crash only. */
        @Param({"full", "normal"})
        public String synchronous;

        @Setup(Level.Trial)
        public void open() throws IOException, StoreException {
            Files.createDirectories(Path.of("target"));
            directory = Files.createTempDirectory(Path.of("target"), "store-bench");
            store = RecordStore.open(new StoreLocation.Sqlite(directory.resolve("warden.db"),
                    StoreLocation.DEFAULT_SQLITE_BUSY_TIMEOUT, synchronous.equals("full")));
            writer = RecordWriter.start(store);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            writer.close();
            System.out.printf("%n%d records in %d commits (%.1f records per commit), last commit %.2f ms%n",
                    writer.records(), writer.commits(), (double) writer.records() / Math.max(1, writer.commits()),
                    writer.lastCommitLatencyNanos() / 1e6);
            store.close();
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }

        TestingSession newSession() {
            return new TestingSession("bench-" + sessions.incrementAndGet(), System.currentTimeMillis() * 1000);
        }
    }

    @State(Scope.Thread)
    public static class Session {
        TestingSession session;
        long statements;

        @Setup(Level.Trial)
        public void start(Store store) {
            session = store.newSession();
            store.writer.submit(List.of(session.start("bench", "prod"))).join();
        }
    }

    /** One session alone: every round trip waits for its own fsync. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(2)
    public void oneSession(Store store, Session session) {
        roundTrip(store, session);
    }

    /** 64 concurrent sessions: commits are shared, as on a busy gateway. */
    @Benchmark
    @Threads(64)
    @OperationsPerInvocation(2)
    public void sixtyFourSessions(Store store, Session session) {
        roundTrip(store, session);
    }

    /** The store's own cost of one round trip's commit, without the writer thread's hand-offs. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(2)
    public void oneSessionDirect(Store store, Session session) throws StoreException {
        store.store.append(session.session.roundTrip("SELECT abalance FROM pgbench_accounts WHERE aid = "
                + (++session.statements)));
    }

    private static void roundTrip(Store store, Session session) {
        store.writer.submit(session.session.roundTrip("SELECT abalance FROM pgbench_accounts WHERE aid = "
                + (++session.statements))).join();
    }
}
