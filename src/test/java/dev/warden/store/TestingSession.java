package dev.warden.store;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordChain;
import dev.warden.recording.RecordKind;
import java.util.List;

/** Builds one session's chain the way the recorder will: seq 1, 2, 3 ..., each record linked to the last. */
final class TestingSession {
    private final String id;
    private long seq;
    private String head = RecordChain.GENESIS;
    private long clock;

    TestingSession(String id, long startMicros) {
        this.id = id;
        this.clock = startMicros;
    }

    String id() {
        return id;
    }

    long clock() {
        return clock;
    }

    ChainedRecord start(String identity, String target) {
        return next(RecordKind.SESSION_START, "{\"application_name\":\"psql\",\"auth_method\":\"token\","
                + "\"client_address\":\"10.0.0.7:51234\",\"groups\":[\"dev\"],\"identity\":\"" + identity
                + "\",\"target\":\"" + target + "\",\"tls\":true}");
    }

    ChainedRecord statement(String text, String outcome) {
        return next(RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"" + outcome
                + "\",\"policy_version\":\"v1\",\"rule\":\"r\"},\"text\":\"" + text + "\"}");
    }

    ChainedRecord completion(String tag) {
        return next(RecordKind.COMPLETION, "{\"tag\":\"" + tag + "\"}");
    }

    ChainedRecord end(String reason) {
        return next(RecordKind.SESSION_END, "{\"reason\":\"" + reason + "\"}");
    }

    /** A statement and its completion: what one round trip records. */
    List<ChainedRecord> roundTrip(String text) {
        return List.of(statement(text, "allow"), completion("SELECT 1"));
    }

    ChainedRecord next(RecordKind kind, String body) {
        clock += 1_000;
        ChainedRecord record = ChainedRecord.link(id, ++seq, clock, kind, body, head);
        head = record.hash();
        return record;
    }

    /** Whether the records form this session's unbroken chain from seq 1. */
    static boolean verifies(List<ChainedRecord> records) {
        String previous = RecordChain.GENESIS;
        long expectedSeq = 1;
        for (ChainedRecord record : records) {
            if (record.seq() != expectedSeq++ || !record.previousHash().equals(previous)
                    || !record.hash().equals(RecordChain.hash(record.previousHash(), record.sessionId(), record.seq(),
                            record.atMicros(), record.kind(), record.body()))) {
                return false;
            }
            previous = record.hash();
        }
        return true;
    }
}
