package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every record store must have, run against each real database by a subclass (as
 * Vert.x's SimpleQueryTestBase is per driver).
 */
abstract class RecordStoreTestBase {
    protected RecordStore store;

    /** Opens a store on a fresh, empty database. */
    protected abstract RecordStore openStore() throws Exception;

    /** Opens another store on the same database as the last {@link #openStore()}. */
    protected abstract RecordStore reopenStore() throws Exception;

    /** Makes the database refuse the store's writes until {@link #makeWritableAgain()}. */
    protected abstract void makeUnwritable() throws Exception;

    protected abstract void makeWritableAgain() throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        makeWritableAgain();
        store.close();
    }

    @Test
    void migratesAnEmptyDatabaseAndOpensAnUpToDateOneAgain() throws Exception {
        assertThat(store.healthy()).isTrue();
        assertThat(store.sessions(SessionQuery.all())).isEmpty();
        TestingSession session = new TestingSession("s-1", 1_000_000);
        store.append(List.of(session.start("alice", "prod")));

        try (RecordStore again = reopenStore()) {
            assertThat(again.healthy()).isTrue();
            assertThat(again.records("s-1", 0, 10)).hasSize(1);
        }
    }

    @Test
    void recordsComeBackExactlyAsAppendedInSeqOrder() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        List<ChainedRecord> appended = new ArrayList<>();
        appended.add(session.start("alice", "prod"));
        appended.addAll(session.roundTrip("SELECT 1"));
        // Characters that a careless store would mangle: quotes, newlines (escaped), non-ASCII, emoji.
        appended.add(session.next(RecordKind.RESULT,
                "{\"rows\":[[\"O'Brien\",\"Zoë 🙂\",\"a\\nb\"]],\"truncated\":false}"));
        appended.add(session.end("client closed"));
        store.append(appended.subList(0, 2));
        store.append(appended.subList(2, appended.size()));

        List<ChainedRecord> read = store.records("s-1", 0, 100);

        assertThat(read).containsExactlyElementsOf(appended);
        assertThat(TestingSession.verifies(read)).isTrue();
        assertThat(store.records("s-1", 2, 2)).containsExactlyElementsOf(appended.subList(2, 4));
        assertThat(store.records("s-1", 5, 100)).isEmpty();
        assertThat(store.records("no-such-session", 0, 100)).isEmpty();
    }

    @Test
    void derivesTheSessionRowFromItsRecords() throws Exception {
        TestingSession session = new TestingSession("s-1", 5_000_000);
        ChainedRecord start = session.start("alice@example.com", "prod");
        store.append(List.of(start, session.statement("SELECT 1", "allow"), session.statement("DROP TABLE t", "deny")));

        SessionSummary active = store.session("s-1").orElseThrow();
        assertThat(active.identity()).isEqualTo("alice@example.com");
        assertThat(active.target()).isEqualTo("prod");
        assertThat(active.clientAddress()).contains("10.0.0.7:51234");
        assertThat(active.applicationName()).contains("psql");
        assertThat(active.authMethod()).contains("token");
        assertThat(active.startedMicros()).isEqualTo(start.atMicros());
        assertThat(active.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(active.statements()).isEqualTo(2);
        assertThat(active.refused()).isEqualTo(1);

        ChainedRecord end = session.end("idle timeout");
        store.append(List.of(session.statement("SELECT 2", "allow"), end));

        SessionSummary ended = store.session("s-1").orElseThrow();
        assertThat(ended.status()).isEqualTo(SessionStatus.ENDED);
        assertThat(ended.endedMicros()).hasValue(end.atMicros());
        assertThat(ended.endReason()).contains("idle timeout");
        assertThat(ended.statements()).isEqualTo(3);
        assertThat(store.session("no-such-session")).isEmpty();
    }

    @Test
    void statementCountsAreExactBetweenCounterCatchUpsAndAfterTheGatewayDied() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        store.append(List.of(session.start("alice", "prod")));
        // One commit per round trip, far quicker than the writer catches the counter up.
        for (int i = 0; i < 5; i++) {
            store.append(session.roundTrip("SELECT " + i));
        }
        assertThat(store.session("s-1").orElseThrow().statements()).isEqualTo(5);
        assertThat(store.sessions(SessionQuery.all())).singleElement()
                .satisfies(summary -> assertThat(summary.statements()).isEqualTo(5));

        // A text ending in "deny (quote included) looks like a deny to a substring search; it is not one.
        store.append(List.of(session.statement("say \\\"deny", "allow")));
        assertThat(store.session("s-1").orElseThrow().refused()).isZero();
        store.append(List.of(session.statement("DROP TABLE t", "deny")));
        assertThat(store.session("s-1").orElseThrow().refused()).isEqualTo(1);

        // The gateway dies without ending the session: another process reads the same store.
        try (RecordStore again = reopenStore()) {
            SessionSummary orphan = again.session("s-1").orElseThrow();
            assertThat(orphan.statements()).isEqualTo(7);
            assertThat(orphan.refused()).isEqualTo(1);
        }

        store.append(List.of(session.statement("SELECT 9", "allow"), session.end("client closed")));
        SessionSummary ended = store.session("s-1").orElseThrow();
        assertThat(ended.statements()).isEqualTo(8);
        assertThat(ended.refused()).isEqualTo(1);
    }

    @Test
    void appendingTheSameRecordsAgainIsHarmless() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        List<ChainedRecord> batch = List.of(session.start("alice", "prod"), session.statement("SELECT 1", "deny"));
        store.append(batch);

        // What the recorder does after a commit whose outcome it could not learn.
        store.append(batch);

        assertThat(store.records("s-1", 0, 100)).containsExactlyElementsOf(batch);
        assertThat(store.session("s-1").orElseThrow().statements()).isEqualTo(1);
        assertThat(store.session("s-1").orElseThrow().refused()).isEqualTo(1);
    }

    @Test
    void aRecordThatRewritesAStoredOneIsRejectedWithItsWholeTransaction() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        ChainedRecord start = session.start("alice", "prod");
        store.append(List.of(start));
        TestingSession other = new TestingSession("s-2", 1_000_000);
        ChainedRecord forged = new TestingSession("s-1", 9_000_000).start("mallory", "prod");

        assertThatThrownBy(() -> store.append(List.of(other.start("bob", "prod"), forged)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isRejected()).isTrue())
                .hasMessageContaining("s-1#1");

        assertThat(store.records("s-1", 0, 10)).containsExactly(start);
        assertThat(store.records("s-2", 0, 10)).isEmpty();
        assertThat(store.session("s-2")).isEmpty();
    }

    @Test
    void aSessionStartWithoutIdentityIsRejected() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        ChainedRecord start = session.next(RecordKind.SESSION_START, "{\"target\":\"prod\"}");

        assertThatThrownBy(() -> store.append(List.of(start)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isRejected()).isTrue())
                .hasMessageContaining("identity");
        assertThat(store.records("s-1", 0, 10)).isEmpty();
    }

    @Test
    void listsSessionsNewestFirstByIdentityTargetTimeStatusAndRefusals() throws Exception {
        // Three sessions: alice on prod 100-200 s (a refusal), bob on prod from 300 s, alice on staging from 400 s.
        TestingSession aliceProd = new TestingSession("a-prod", 100_000_000);
        store.append(List.of(aliceProd.start("alice", "prod"), aliceProd.statement("DROP TABLE t", "deny")));
        TestingSession bobProd = new TestingSession("b-prod", 300_000_000);
        store.append(List.of(bobProd.start("bob", "prod"), bobProd.statement("SELECT 1", "allow")));
        TestingSession aliceStaging = new TestingSession("a-staging", 400_000_000);
        store.append(List.of(aliceStaging.start("alice", "staging")));
        store.append(List.of(aliceProd.next(RecordKind.SESSION_END, "{\"reason\":\"client closed\"}")));
        long aliceProdEnded = aliceProd.clock();

        assertThat(ids(SessionQuery.all())).containsExactly("a-staging", "b-prod", "a-prod");
        assertThat(ids(SessionQuery.all().withLimit(2))).containsExactly("a-staging", "b-prod");
        assertThat(ids(SessionQuery.all().withIdentity("alice"))).containsExactly("a-staging", "a-prod");
        assertThat(ids(SessionQuery.all().withTarget("prod"))).containsExactly("b-prod", "a-prod");
        assertThat(ids(SessionQuery.all().withIdentity("alice").withTarget("prod"))).containsExactly("a-prod");
        assertThat(ids(SessionQuery.all().withStatus(SessionStatus.ACTIVE))).containsExactly("a-staging", "b-prod");
        assertThat(ids(SessionQuery.all().withStatus(SessionStatus.ENDED))).containsExactly("a-prod");
        assertThat(ids(SessionQuery.all().withRefusalsOnly())).containsExactly("a-prod");
        // Open at some moment of [since, until).
        assertThat(ids(SessionQuery.all().withUntil(300_000_000))).containsExactly("a-prod");
        assertThat(ids(SessionQuery.all().withSince(aliceProdEnded + 1))).containsExactly("a-staging", "b-prod");
        assertThat(ids(SessionQuery.all().withSince(aliceProdEnded).withUntil(350_000_000)))
                .containsExactly("b-prod", "a-prod");
        assertThat(ids(SessionQuery.all().withIdentity("nobody"))).isEmpty();
    }

    private List<String> ids(SessionQuery query) throws StoreException {
        return store.sessions(query).stream().map(SessionSummary::id).toList();
    }

    @Test
    void pruningDeletesWholeEndedSessionsBeforeTheCutoffAndNothingElse() throws Exception {
        TestingSession old = new TestingSession("old", 1_000_000);
        store.append(List.of(old.start("alice", "prod"), old.statement("SELECT 1", "allow"), old.end("closed")));
        TestingSession oldButActive = new TestingSession("old-active", 1_000_000);
        store.append(List.of(oldButActive.start("bob", "prod"), oldButActive.statement("SELECT 1", "allow")));
        TestingSession recent = new TestingSession("recent", 50_000_000);
        List<ChainedRecord> recentRecords = List.of(recent.start("carol", "prod"), recent.end("closed"));
        store.append(recentRecords);

        assertThat(store.pruneEndedBefore(10_000_000)).isEqualTo(1);

        assertThat(store.session("old")).isEmpty();
        assertThat(store.records("old", 0, 100)).isEmpty();
        assertThat(store.records("old-active", 0, 100)).hasSize(2);
        assertThat(TestingSession.verifies(store.records("old-active", 0, 100))).isTrue();
        assertThat(store.records("recent", 0, 100)).containsExactlyElementsOf(recentRecords);
        assertThat(ids(SessionQuery.all())).containsExactly("recent", "old-active");
        assertThat(store.pruneEndedBefore(10_000_000)).isZero();
    }

    @Test
    void pruningManySessionsTakesSeveralTransactions() throws Exception {
        List<ChainedRecord> batch = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            TestingSession session = new TestingSession("s-" + i, 1_000_000);
            batch.add(session.start("alice", "prod"));
            batch.add(session.end("closed"));
        }
        store.append(batch);

        assertThat(store.pruneEndedBefore(Long.MAX_VALUE)).isEqualTo(450);
        assertThat(store.sessions(SessionQuery.all())).isEmpty();
    }

    @Test
    void theWriterGroupsConcurrentSessionsIntoFewCommitsAndKeepsEachSessionInOrder() throws Exception {
        int threads = 8;
        int sessionsPerThread = 4;
        int roundTrips = 50;
        try (RecordWriter writer = RecordWriter.start(store)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    // Each thread drives its sessions like a gateway event loop: one batch per
                    // session in flight, the next submitted when the previous one is durable.
                    List<TestingSession> sessions = new ArrayList<>();
                    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
                    for (int s = 0; s < sessionsPerThread; s++) {
                        TestingSession session = new TestingSession("t" + thread + "-s" + s, 1_000_000);
                        sessions.add(session);
                        inFlight.add(writer.submit(List.of(session.start("user" + thread, "prod"))));
                    }
                    for (int i = 0; i < roundTrips; i++) {
                        for (int s = 0; s < sessionsPerThread; s++) {
                            inFlight.get(s).join();
                            inFlight.set(s, writer.submit(sessions.get(s).roundTrip("SELECT " + i)));
                        }
                    }
                    inFlight.forEach(CompletableFuture::join);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            long batches = (long) threads * sessionsPerThread * (roundTrips + 1);
            assertThat(writer.batches()).isEqualTo(batches);
            assertThat(writer.records()).isEqualTo((long) threads * sessionsPerThread * (1 + 2 * roundTrips));
            assertThat(writer.commits()).isLessThan(batches / 2);
            assertThat(writer.healthy()).isTrue();
        }
        for (int t = 0; t < threads; t++) {
            for (int s = 0; s < sessionsPerThread; s++) {
                List<ChainedRecord> records = store.records("t" + t + "-s" + s, 0, 1000);
                assertThat(records).hasSize(1 + 2 * roundTrips);
                assertThat(TestingSession.verifies(records)).isTrue();
            }
        }
        assertThat(store.sessions(SessionQuery.all().withLimit(1000)))
                .hasSize(threads * sessionsPerThread)
                .allSatisfy(summary -> assertThat(summary.statements()).isEqualTo((long) roundTrips));
    }

    @Test
    void whenTheStoreCannotBeWrittenFuturesFailAndTheWriterIsUnhealthyUntilItRecovers() throws Exception {
        TestingSession session = new TestingSession("s-1", 1_000_000);
        try (RecordWriter writer = RecordWriter.start(store)) {
            writer.submit(List.of(session.start("alice", "prod"))).get(10, TimeUnit.SECONDS);
            List<ChainedRecord> held = session.roundTrip("SELECT 1");

            makeUnwritable();
            CompletableFuture<Void> failed = writer.submit(held);

            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
            assertThat(writer.healthy()).isFalse();
            assertThat(writer.failedCommits()).isPositive();

            makeWritableAgain();
            // The recorder resubmits what failed, then goes on: nothing dropped, nothing reordered.
            writer.submit(held).get(30, TimeUnit.SECONDS);
            writer.submit(session.roundTrip("SELECT 2")).get(10, TimeUnit.SECONDS);

            assertThat(writer.healthy()).isTrue();
        }
        List<ChainedRecord> records = store.records("s-1", 0, 100);
        assertThat(records).hasSize(5);
        assertThat(TestingSession.verifies(records)).isTrue();
        assertThat(store.session("s-1").orElseThrow().statements()).isEqualTo(2);
    }

    @Test
    void aRejectedBatchFailsAloneAndTheOthersInItsGroupAreWritten() throws Exception {
        TestingSession good = new TestingSession("good", 1_000_000);
        ChainedRecord bad = new TestingSession("bad", 1_000_000).next(RecordKind.SESSION_START, "not json");
        try (RecordWriter writer = RecordWriter.start(store)) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(writer.submit(i == 0 ? List.of(good.start("alice", "prod")) : good.roundTrip("SELECT " + i)));
                if (i == 10) {
                    futures.add(writer.submit(List.of(bad)));
                }
            }
            CompletableFuture<Void> badFuture = futures.remove(11);

            assertThatThrownBy(() -> badFuture.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
            for (CompletableFuture<Void> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }
            // A rejected batch is the caller's bug, not the store's outage.
            assertThat(writer.healthy()).isTrue();
        }
        assertThat(store.records("good", 0, 100)).hasSize(39);
        assertThat(TestingSession.verifies(store.records("good", 0, 100))).isTrue();
        assertThat(store.records("bad", 0, 100)).isEmpty();
    }

    @Test
    void grantsAreStoredRevokedOnceAndReadBackAfterReopening() throws Exception {
        StoredGrant grant = new StoredGrant("grt_1", java.util.Optional.of("agent"), java.util.Optional.empty(), "app",
                "approve-writes", "incident 7", "dba", 1_000_000L, 5_000_000L, java.util.Optional.of("apr_1"),
                java.util.Optional.empty(), java.util.Optional.empty());
        StoredGrant expired = new StoredGrant("grt_2", java.util.Optional.empty(), java.util.Optional.of("oncall"), "app",
                "approve-writes", "old", "dba", 1_000_000L, 2_000_000L, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty());
        store.saveGrant(grant);
        store.saveGrant(expired);
        assertThat(store.revokeGrant("grt_1", "root", 3_000_000L)).isTrue();
        assertThat(store.revokeGrant("grt_1", "root", 4_000_000L)).as("revoked once").isFalse();
        assertThat(store.revokeGrant("grt_none", "root", 4_000_000L)).isFalse();
        store.close();
        store = reopenStore();
        List<StoredGrant> read = store.grantsExpiringAfter(2_500_000L);
        assertThat(read).hasSize(1);
        assertThat(read.get(0).id()).isEqualTo("grt_1");
        assertThat(read.get(0).revokedBy()).contains("root");
        assertThat(read.get(0).revokedMicros()).contains(3_000_000L);
        assertThat(read.get(0).approvalId()).contains("apr_1");
        assertThat(store.grantsExpiringAfter(0)).extracting(StoredGrant::id).containsExactly("grt_1", "grt_2");
    }

    @Test
    void sharedApprovalsAndVotesRoundTrip() throws Exception {
        store.publishApproval(new SharedApproval("apr_1", "node-a", "{\"id\":\"apr_1\"}", "pending"), 1_000L, 9_000L);
        store.publishApproval(new SharedApproval("apr_2", "node-b", "{}", "pending"), 2_000L, 9_000L);
        assertThat(store.pendingApprovals()).extracting(SharedApproval::id).containsExactly("apr_1", "apr_2");
        assertThat(store.vote(new StoredVote("apr_1", "dba", "[\"dbas\"]", true, "ok", null), 3_000L)).isTrue();
        assertThat(store.vote(new StoredVote("apr_1", "dba", "[]", false, "twice", null), 3_001L)).as("one vote each").isFalse();
        assertThat(store.unappliedVotes("node-a")).singleElement().satisfies(vote -> {
            assertThat(vote.approver()).isEqualTo("dba");
            assertThat(vote.approve()).isTrue();
            assertThat(vote.approverGroups()).isEqualTo("[\"dbas\"]");
        });
        assertThat(store.unappliedVotes("node-b")).isEmpty();
        store.voteApplied("apr_1", "dba");
        assertThat(store.unappliedVotes("node-a")).isEmpty();
        store.approvalStatus("apr_1", "approved");
        assertThat(store.sharedApproval("apr_1")).map(SharedApproval::status).contains("approved");
        assertThat(store.pendingApprovals()).extracting(SharedApproval::id).containsExactly("apr_2");
        store.notifyNodes("warden_approvals", "apr_1");
        assertThat(store.sharedApproval("apr_none")).isEmpty();
    }
}
