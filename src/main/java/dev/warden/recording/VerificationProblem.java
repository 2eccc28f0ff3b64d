package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One thing wrong with a session's records.
 *
 * @param seq the record the problem is found at (the first one missing, for a deletion; 0 when the
 *     session has no records)
 * @param kind the kind of that record, when there is one
 */
public record VerificationProblem(long seq, Optional<RecordKind> kind, Type type, String message) {

    public enum Type {
        /** Records missing from the sequence, or every record of a session. */
        DELETED,
        /** The tail of an ended session is missing. */
        TRUNCATED,
        /** Content that does not match the record's own hash. */
        MODIFIED,
        /** A record whose previous hash is not its predecessor's hash. */
        INSERTED_OR_REORDERED,
        /** A second record with a seq already seen. */
        DUPLICATE,
        /** A record of a kind that cannot be at its place (not SESSION_START first, records after SESSION_END). */
        OUT_OF_PLACE,
        /** A checkpoint whose signature does not verify, or that names another head than the chain has. */
        BAD_CHECKPOINT,
        /** A checkpoint signed with a key that was not given. */
        UNKNOWN_KEY,
        /** An ended session whose end is not covered by a signed checkpoint. */
        UNSEALED
    }

    public VerificationProblem {
        requireNonNull(kind, "kind is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return message;
    }
}
