package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.recording.VerificationProblem.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one session's records for tampering and reports every problem, each with the record it is
 * found at. Streams the records: memory does not grow with the session.
 *
 * <p>Checks: seq runs 1, 2, 3 ... (a gap is a deletion); each record's hash recomputes (else it was
 * modified); each previous hash is the hash of the record before (else a record was inserted or
 * reordered, or its predecessor rewritten with a new hash); the first record is SESSION_START; only
 * checkpoints follow SESSION_END; a session the store says has ended has its SESSION_END (else its tail
 * was truncated); each checkpoint names the record right before it with that record's hash and, when
 * keys are given, carries a valid signature; and, when keys are given, an ended session is sealed by
 * a checkpoint covering its SESSION_END.
 */
public final class ChainVerifier {

    public static final int MAX_PROBLEMS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CheckpointSigner> keysById;
    private final CheckpointSigner keyForAnyId;

    private ChainVerifier(Map<String, CheckpointSigner> keysById, CheckpointSigner keyForAnyId) {
        this.keysById = keysById;
        this.keyForAnyId = keyForAnyId;
    }

    /** Checks the chain and the checkpoints' coverage, but not their signatures. */
    public static ChainVerifier withoutKeys() {
        return new ChainVerifier(Map.of(), null);
    }

    /** Checks signatures with the key whose id a checkpoint names. */
    public static ChainVerifier withKeys(Collection<CheckpointSigner> keys) {
        Map<String, CheckpointSigner> byId = new HashMap<>();
        for (CheckpointSigner key : keys) {
            if (byId.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException("two keys with id " + key.keyId());
            }
        }
        return new ChainVerifier(Map.copyOf(byId), null);
    }

    /** Checks every checkpoint's signature with this one key, whatever key id the checkpoint names. */
    public static ChainVerifier withKeyForAnyId(CheckpointSigner key) {
        return new ChainVerifier(Map.of(), requireNonNull(key, "key is null"));
    }

    private boolean checksSignatures() {
        return keyForAnyId != null || !keysById.isEmpty();
    }

    public VerificationReport verify(RecordSource source, SessionInfo session) {
        return verify(session.sessionId(), session.ended(), source.records(session.sessionId()));
    }

    /**
     * @param ended whether the store's summary says the session has ended
     * @param records the session's records in seq order, as stored
     */
    public VerificationReport verify(String sessionId, boolean ended, Iterator<ChainedRecord> records) {
        Run run = new Run(sessionId);
        while (records.hasNext()) {
            run.accept(records.next());
        }
        run.finish(ended);
        return new VerificationReport(sessionId, run.count, run.checkpointsVerified, run.checkpointsUnchecked,
                run.problems, run.omitted);
    }

    /** The state of one verification: the record before, and whether the session has ended so far. */
    private final class Run {
        private final String sessionId;
        private final List<VerificationProblem> problems = new ArrayList<>();
        private long omitted;
        private long count;
        private int checkpointsVerified;
        private int checkpointsUnchecked;
        private ChainedRecord previous;
        private long sessionEndSeq;
        private long lastCovered;

        Run(String sessionId) {
            this.sessionId = sessionId;
        }

        void accept(ChainedRecord record) {
            count++;
            long expected = previous == null ? 1 : previous.seq() + 1;
            if (record.seq() < expected) {
                report(record, Type.DUPLICATE, "record " + record.seq() + " (" + record.kind() + ") appears again after record "
                        + previous.seq() + ": a record with a seq already used was inserted");
                return;
            }
            if (!record.sessionId().equals(sessionId)) {
                report(record, Type.MODIFIED, "record " + record.seq() + " (" + record.kind() + ") modified: it names session "
                        + record.sessionId());
            }
            if (!RecordChain.hash(record.previousHash(), record.sessionId(), record.seq(), record.atMicros(), record.kind(),
                    record.body()).equals(record.hash())) {
                report(record, Type.MODIFIED, "record " + record.seq() + " (" + record.kind()
                        + ") modified: its content does not match its hash");
            }
            if (record.seq() > expected) {
                String missing = record.seq() - 1 == expected
                        ? "record " + expected + " deleted"
                        : "records " + expected + " to " + (record.seq() - 1) + " deleted";
                problem(expected, Optional.empty(), Type.DELETED, missing);
            } else {
                String previousHash = previous == null ? RecordChain.GENESIS : previous.hash();
                if (!record.previousHash().equals(previousHash)) {
                    String predecessor = previous == null ? "the session's start" : "record " + previous.seq();
                    report(record, Type.INSERTED_OR_REORDERED, "record " + record.seq() + " (" + record.kind()
                            + ") inserted or reordered: its previous hash is not the hash of " + predecessor
                            + (previous == null ? "" : " (or record " + previous.seq() + " was rewritten)"));
                }
            }
            checkPlace(record);
            if (record.kind() == RecordKind.CHECKPOINT) {
                checkCheckpoint(record);
            }
            previous = record;
        }

        private void checkPlace(ChainedRecord record) {
            if (record.seq() == 1 && record.kind() != RecordKind.SESSION_START) {
                report(record, Type.OUT_OF_PLACE, "record 1 (" + record.kind() + ") is not SESSION_START");
            }
            if (sessionEndSeq > 0 && record.kind() != RecordKind.CHECKPOINT) {
                report(record, Type.OUT_OF_PLACE, "record " + record.seq() + " (" + record.kind()
                        + ") follows SESSION_END at record " + sessionEndSeq);
            }
            if (record.kind() == RecordKind.SESSION_END && sessionEndSeq == 0) {
                sessionEndSeq = record.seq();
            }
        }

        private void checkCheckpoint(ChainedRecord record) {
            String at = "checkpoint at " + record.seq();
            JsonNode body;
            try {
                body = JSON.readTree(record.body());
            } catch (JsonProcessingException e) {
                body = null;
            }
            if (body == null || !body.path("upto_seq").canConvertToLong() || !body.path("upto_hash").isTextual()
                    || !body.path("key_id").isTextual() || !body.path("signature").isTextual()) {
                report(record, Type.BAD_CHECKPOINT, at + " is malformed: it needs upto_seq, upto_hash, key_id and signature");
                return;
            }
            long uptoSeq = body.get("upto_seq").asLong();
            String uptoHash = body.get("upto_hash").asText();
            String keyId = body.get("key_id").asText();
            boolean matchesChain = false;
            if (previous == null || uptoSeq != previous.seq()) {
                report(record, Type.BAD_CHECKPOINT, at + " covers record " + uptoSeq + ", but the record before it is "
                        + (previous == null ? "none" : "record " + previous.seq()));
            } else if (!uptoHash.equals(previous.hash())) {
                report(record, Type.BAD_CHECKPOINT, at + " does not match the chain: record " + uptoSeq
                        + " has another hash than the one signed (records up to " + uptoSeq + " were rewritten)");
            } else {
                matchesChain = true;
            }
            if (!checksSignatures()) {
                checkpointsUnchecked++;
                return;
            }
            CheckpointSigner key = keyForAnyId != null ? keyForAnyId : keysById.get(keyId);
            if (key == null) {
                report(record, Type.UNKNOWN_KEY, at + " is signed with key " + keyId + ", which was not given");
            } else if (!key.verify(sessionId, uptoSeq, uptoHash, body.get("signature").asText())) {
                report(record, Type.BAD_CHECKPOINT, at + " has a bad signature (key " + keyId + ")");
            } else {
                checkpointsVerified++;
                if (matchesChain) {
                    lastCovered = uptoSeq;
                }
            }
        }

        void finish(boolean ended) {
            if (previous == null) {
                problem(0, Optional.empty(), Type.DELETED, "no records: every record of the session was deleted");
                return;
            }
            if (ended && sessionEndSeq == 0) {
                report(previous, Type.TRUNCATED, "records after " + previous.seq()
                        + " deleted (truncated): the session has ended but its records stop at " + previous.kind()
                        + ", before SESSION_END");
            }
            if (checksSignatures() && sessionEndSeq > 0 && lastCovered < sessionEndSeq) {
                problem(sessionEndSeq, Optional.of(RecordKind.SESSION_END), Type.UNSEALED, "SESSION_END at record "
                        + sessionEndSeq + " is not covered by a signed checkpoint: records after "
                        + (lastCovered == 0 ? "the start" : "record " + lastCovered) + " could have been rewritten");
            }
        }

        private void report(ChainedRecord record, Type type, String message) {
            problem(record.seq(), Optional.of(record.kind()), type, message);
        }

        private void problem(long seq, Optional<RecordKind> kind, Type type, String message) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new VerificationProblem(seq, kind, type, message));
            } else {
                omitted++;
            }
        }
    }
}
