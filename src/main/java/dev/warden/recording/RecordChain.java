package dev.warden.recording;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hash that links records: SHA-256 over the previous hash and this record's fields. */
public final class RecordChain {
    /** The "previous hash" of a session's first record. */
    public static final String GENESIS = "0".repeat(64);

    /** One digest per thread: records are hashed on the event loops, for every statement and result. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    });

    private static final HexFormat HEX = HexFormat.of();

    private RecordChain() {}

    /**
     * Hex SHA-256 of the UTF-8 bytes of {@code previousHash \n sessionId \n seq \n atMicros \n kind \n body}.
     * Newlines cannot occur in the hash, id, numbers or kind, and canonical JSON escapes them in the
     * body, so the encoding is unambiguous.
     */
    public static String hash(String previousHash, String sessionId, long seq, long atMicros, RecordKind kind,
            String body) {
        // The header ends in a newline, which cannot pair with anything, so the UTF-8 of header and
        // body digested one after the other is the UTF-8 of the whole text, without building it.
        String header = previousHash + '\n' + sessionId + '\n' + seq + '\n' + atMicros + '\n' + kind.name() + '\n';
        MessageDigest digest = SHA_256.get();
        digest.update(header.getBytes(StandardCharsets.UTF_8));
        // digest() resets the digest, so the thread's next record starts clean.
        return HEX.formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
