package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.warden.recording.VerificationProblem.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestChainVerifier {

    private static final ChainVerifier WITH_KEY = ChainVerifier.withKeys(List.of(ChainBuilder.KEY));

    @Test
    void cleanChainPasses() {
        VerificationReport report = verify(WITH_KEY, SampleSession.records(), true);

        assertThat(report.ok()).as("%s", report.problems()).isTrue();
        assertThat(report.records()).isEqualTo(9);
        assertThat(report.checkpointsVerified()).isEqualTo(2);
        assertThat(report.checkpointsUnchecked()).isZero();
    }

    @Test
    void withoutKeysSignaturesAreCountedAsUnchecked() {
        VerificationReport report = verify(ChainVerifier.withoutKeys(), SampleSession.records(), true);

        assertThat(report.ok()).isTrue();
        assertThat(report.checkpointsUnchecked()).isEqualTo(2);
    }

    @Test
    void activeSessionWithoutEndPasses() {
        VerificationReport report = verify(WITH_KEY, SampleSession.opening().build(), false);

        assertThat(report.ok()).as("%s", report.problems()).isTrue();
    }

    @Test
    void modifiedBody() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord result = records.get(2);
        records.set(2, new ChainedRecord(result.sessionId(), result.seq(), result.atMicros(), result.kind(),
                result.body().replace("a***@example.com", "alice@example.com"), result.previousHash(), result.hash()));

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(3L, Type.MODIFIED, "record 3 (RESULT) modified: its content does not match its hash"));
    }

    @Test
    void modifiedAndRehashedRecordBreaksTheNextLink() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord statement = records.get(5);
        records.set(5, ChainedRecord.link(statement.sessionId(), 6, statement.atMicros(), statement.kind(),
                statement.body().replace("deny", "allow"), statement.previousHash()));

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(7L, Type.INSERTED_OR_REORDERED, "record 7 (COMPLETION) inserted or reordered:"
                        + " its previous hash is not the hash of record 6 (or record 6 was rewritten)"));
    }

    @Test
    void deletedRecord() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        records.remove(5);

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(6L, Type.DELETED, "record 6 deleted"));
    }

    @Test
    void deletedRunOfRecords() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        records.subList(5, 7).clear();

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::message)
                .containsExactly("records 6 to 7 deleted");
    }

    @Test
    void forgedRecordAppendedWithCorrectSelfHash() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.opening().build());
        records.add(ChainedRecord.link(SampleSession.ID, 5, records.get(3).atMicros() + 1, RecordKind.COMPLETION,
                RecordBodies.completion("SELECT 0", 0L, 1, null), "f".repeat(64)));

        assertThat(verify(WITH_KEY, records, false).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(5L, Type.INSERTED_OR_REORDERED, "record 5 (COMPLETION) inserted or reordered:"
                        + " its previous hash is not the hash of record 4 (or record 4 was rewritten)"));
    }

    @Test
    void forgedRecordWithAnExistingSeq() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        records.add(ChainedRecord.link(SampleSession.ID, 3, records.get(2).atMicros(), RecordKind.RESULT,
                RecordBodies.result(List.of(), List.of(), false, 0), records.get(1).hash()));

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(3L, Type.DUPLICATE));
    }

    @Test
    void swappedRecordsWithRecomputedHashes() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord six = records.get(5);
        ChainedRecord seven = records.get(6);
        // Each keeps its own previous hash, takes the other's seq, and has its hash recomputed.
        records.set(5, ChainedRecord.link(SampleSession.ID, 6, seven.atMicros(), seven.kind(), seven.body(), seven.previousHash()));
        records.set(6, ChainedRecord.link(SampleSession.ID, 7, six.atMicros(), six.kind(), six.body(), six.previousHash()));

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(6L, Type.INSERTED_OR_REORDERED), tuple(7L, Type.INSERTED_OR_REORDERED),
                        tuple(8L, Type.INSERTED_OR_REORDERED));
    }

    @Test
    void swappedSeqsWithoutRecomputingHashes() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord six = records.get(5);
        ChainedRecord seven = records.get(6);
        records.set(5, new ChainedRecord(SampleSession.ID, 6, seven.atMicros(), seven.kind(), seven.body(), seven.previousHash(), seven.hash()));
        records.set(6, new ChainedRecord(SampleSession.ID, 7, six.atMicros(), six.kind(), six.body(), six.previousHash(), six.hash()));

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(6L, Type.MODIFIED), tuple(6L, Type.INSERTED_OR_REORDERED),
                        tuple(7L, Type.MODIFIED), tuple(7L, Type.INSERTED_OR_REORDERED),
                        tuple(8L, Type.INSERTED_OR_REORDERED));
    }

    @Test
    void truncatedTail() {
        List<ChainedRecord> records = SampleSession.records().subList(0, 7);

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(7L, Type.TRUNCATED, "records after 7 deleted (truncated): the session has ended"
                        + " but its records stop at COMPLETION, before SESSION_END"));
    }

    @Test
    void badCheckpointSignature() {
        List<ChainedRecord> records = SampleSession.rest(SampleSession.opening().checkpoint(1, ChainBuilder.OTHER_KEY))
                .checkpoint(2, ChainBuilder.KEY)
                .build();

        VerificationReport report = verify(WITH_KEY, records, true);

        assertThat(report.problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(tuple(5L, Type.BAD_CHECKPOINT, "checkpoint at 5 has a bad signature (key k1)"));
        assertThat(report.checkpointsVerified()).isEqualTo(1);
        // Without the key, a forged signature cannot be told from a real one.
        assertThat(verify(ChainVerifier.withoutKeys(), records, true).ok()).isTrue();
    }

    @Test
    void chainRewrittenBySomeoneWithoutTheKey() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord result = records.get(2);
        records.set(2, new ChainedRecord(result.sessionId(), 3, result.atMicros(), result.kind(),
                result.body().replace("a***@example.com", "nobody@example.com"), result.previousHash(), result.hash()));
        List<ChainedRecord> rewritten = ChainBuilder.rehashAll(records);

        assertThat(verify(WITH_KEY, rewritten, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(
                        tuple(5L, Type.BAD_CHECKPOINT, "checkpoint at 5 does not match the chain: record 4 has another hash"
                                + " than the one signed (records up to 4 were rewritten)"),
                        tuple(9L, Type.BAD_CHECKPOINT, "checkpoint at 9 does not match the chain: record 8 has another hash"
                                + " than the one signed (records up to 8 were rewritten)"),
                        tuple(8L, Type.UNSEALED, "SESSION_END at record 8 is not covered by a signed checkpoint:"
                                + " records after the start could have been rewritten"));
    }

    @Test
    void checkpointsRemovedAndChainRehashed() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.opening().build());
        records.addAll(SampleSession.rest(new ChainBuilder(SampleSession.ID)).build().stream()
                .map(r -> new ChainedRecord(r.sessionId(), r.seq() + 4, r.atMicros(), r.kind(), r.body(), r.previousHash(), r.hash()))
                .toList());
        List<ChainedRecord> rewritten = ChainBuilder.rehashAll(records);

        assertThat(verify(WITH_KEY, rewritten, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(7L, Type.UNSEALED));
        assertThat(verify(ChainVerifier.withoutKeys(), rewritten, true).ok()).isTrue();
    }

    @Test
    void checkpointWithAKeyNotGiven() {
        ChainVerifier otherId = ChainVerifier.withKeys(List.of(
                new CheckpointSigner("k2", "test-checkpoint-key-0123456789-abcdef".getBytes())));

        assertThat(verify(otherId, SampleSession.records(), true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type, VerificationProblem::message)
                .containsExactly(
                        tuple(5L, Type.UNKNOWN_KEY, "checkpoint at 5 is signed with key k1, which was not given"),
                        tuple(9L, Type.UNKNOWN_KEY, "checkpoint at 9 is signed with key k1, which was not given"),
                        tuple(8L, Type.UNSEALED, "SESSION_END at record 8 is not covered by a signed checkpoint:"
                                + " records after the start could have been rewritten"));
        assertThat(verify(ChainVerifier.withKeyForAnyId(
                new CheckpointSigner("any", "test-checkpoint-key-0123456789-abcdef".getBytes())), SampleSession.records(), true).ok())
                .isTrue();
    }

    @Test
    void recordsAfterSessionEnd() {
        List<ChainedRecord> records = SampleSession.rest(SampleSession.opening().checkpoint(1, ChainBuilder.KEY))
                .add(6_000_000, RecordKind.STATEMENT, RecordBodies.sessionEnd("x"))
                .checkpoint(7, ChainBuilder.KEY)
                .build();

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::message)
                .containsExactly("record 9 (STATEMENT) follows SESSION_END at record 8");
    }

    @Test
    void firstRecordMustBeSessionStart() {
        List<ChainedRecord> records = new ChainBuilder(SampleSession.ID)
                .add(1, RecordKind.STATEMENT, "{}")
                .build();

        assertThat(verify(ChainVerifier.withoutKeys(), records, false).problems())
                .extracting(VerificationProblem::message)
                .containsExactly("record 1 (STATEMENT) is not SESSION_START");
    }

    @Test
    void sessionWithNoRecords() {
        assertThat(verify(WITH_KEY, List.of(), true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(0L, Type.DELETED));
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord start = records.get(0);
        records.set(0, new ChainedRecord(start.sessionId(), 1, start.atMicros() + 1, start.kind(), start.body(),
                start.previousHash(), start.hash()));
        records.remove(5);
        records.remove(records.size() - 1);
        records.remove(records.size() - 1);

        assertThat(verify(WITH_KEY, records, true).problems())
                .extracting(VerificationProblem::seq, VerificationProblem::type)
                .containsExactly(tuple(1L, Type.MODIFIED), tuple(6L, Type.DELETED), tuple(7L, Type.TRUNCATED));
    }

    @Test
    void readsLargeSessionsPageByPage() {
        ChainBuilder chain = SampleSession.opening();
        for (int i = 0; i < 2500; i++) {
            chain.add(20_000 + i, RecordKind.COMPLETION, RecordBodies.completion("SELECT 1", 1L, 5, null));
        }
        TestingRecordSource source = new TestingRecordSource().add(SampleSession.info(false), chain.build());

        VerificationReport report = WITH_KEY.verify(source, SampleSession.info(false));

        assertThat(report.ok()).isTrue();
        assertThat(report.records()).isEqualTo(2504);
        assertThat(source.pagesRead()).isEqualTo(3);
    }

    private static VerificationReport verify(ChainVerifier verifier, List<ChainedRecord> records, boolean ended) {
        TestingRecordSource source = new TestingRecordSource().add(SampleSession.info(ended), records);
        return verifier.verify(source, SampleSession.info(ended));
    }
}
