package dev.warden.recording;

import static java.util.Objects.requireNonNull;

/**
 * One record of a session, linked to its predecessor: {@code hash} covers {@code previousHash} and
 * the canonical encoding of every other field (see {@link RecordChain#hash}), so editing, deleting,
 * inserting or reordering records breaks the chain.
 *
 * @param seq 1, 2, 3 ... within the session, without gaps
 * @param atMicros when it happened, microseconds since the epoch (UTC)
 * @param body the record's content as canonical JSON (sorted keys, no insignificant whitespace)
 * @param previousHash the hash of record {@code seq - 1}, or {@link RecordChain#GENESIS} for the first
 */
public record ChainedRecord(String sessionId, long seq, long atMicros, RecordKind kind, String body, String previousHash,
        String hash) {

    public ChainedRecord {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(body, "body is null");
        requireNonNull(previousHash, "previousHash is null");
        requireNonNull(hash, "hash is null");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive");
        }
    }

    /** Links a new record after {@code previousHash}. */
    public static ChainedRecord link(String sessionId, long seq, long atMicros, RecordKind kind, String body,
            String previousHash) {
        return new ChainedRecord(sessionId, seq, atMicros, kind, body, previousHash,
                RecordChain.hash(previousHash, sessionId, seq, atMicros, kind, body));
    }
}
