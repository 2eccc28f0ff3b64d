package dev.warden.recording;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds a well-formed chain the way the recorder writes one. */
public final class ChainBuilder {

    public static final CheckpointSigner KEY =
            new CheckpointSigner("k1", "test-checkpoint-key-0123456789-abcdef".getBytes(StandardCharsets.UTF_8));
    public static final CheckpointSigner OTHER_KEY =
            new CheckpointSigner("k1", "another-key-with-the-same-id-0123456789".getBytes(StandardCharsets.UTF_8));

    private final String sessionId;
    private final List<ChainedRecord> records = new ArrayList<>();

    public ChainBuilder(String sessionId) {
        this.sessionId = sessionId;
    }

    public ChainBuilder add(long atMicros, RecordKind kind, String body) {
        String previousHash = records.isEmpty() ? RecordChain.GENESIS : records.get(records.size() - 1).hash();
        records.add(ChainedRecord.link(sessionId, records.size() + 1, atMicros, kind, body, previousHash));
        return this;
    }

    public ChainBuilder checkpoint(long atMicros, CheckpointSigner signer) {
        ChainedRecord head = records.get(records.size() - 1);
        return add(atMicros, RecordKind.CHECKPOINT, signer.checkpointBody(sessionId, head.seq(), head.hash()));
    }

    public List<ChainedRecord> build() {
        return List.copyOf(records);
    }

    /** Relinks records as an attacker with write access to the store would: every hash recomputed. */
    public static List<ChainedRecord> rehashAll(List<ChainedRecord> records) {
        List<ChainedRecord> out = new ArrayList<>();
        String previousHash = RecordChain.GENESIS;
        for (ChainedRecord record : records) {
            ChainedRecord relinked = ChainedRecord.link(record.sessionId(), record.seq(), record.atMicros(), record.kind(),
                    record.body(), previousHash);
            out.add(relinked);
            previousHash = relinked.hash();
        }
        return out;
    }
}
