package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import dev.warden.config.SecretReference;
import dev.warden.config.SecretUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the head of a session's chain with HMAC-SHA256. The chain hashes alone prove nothing against
 * someone who can write the store, since they can recompute every hash; a checkpoint can only be made
 * with the key, which the store never holds. A checkpoint covers every record up to the one it names.
 *
 * <p>The signed text is {@code sessionId \n seq \n hash}, UTF-8; the signature is lowercase hex.
 */
public final class CheckpointSigner {

    /** RFC 2104 advises a key at least as long as the hash output. */
    static final int MIN_KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String ALGORITHM = "HmacSHA256";

    private final String keyId;
    private final SecretKeySpec key;

    public CheckpointSigner(String keyId, byte[] key) {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(key, "key is null");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a checkpoint key id is 1 to 64 letters, digits, '_', '.' or '-'");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a checkpoint key must be at least " + MIN_KEY_BYTES + " bytes"
                    + " (for example: openssl rand -base64 48)");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), ALGORITHM);
    }

    /** The key is the UTF-8 bytes of the referenced secret (so a base64 string is used as text, not decoded). */
    public static CheckpointSigner fromReference(String keyId, SecretReference reference) throws SecretUnavailableException {
        return new CheckpointSigner(keyId, reference.resolve().getBytes(StandardCharsets.UTF_8));
    }

    public String keyId() {
        return keyId;
    }

    public String sign(String sessionId, long seq, String hash) {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(hash, "hash is null");
        byte[] text = (sessionId + '\n' + seq + '\n' + hash).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(mac().doFinal(text));
    }

    /** Compares in constant time, so that a forger learns nothing from how long a refusal takes. */
    public boolean verify(String sessionId, long seq, String hash, String signature) {
        byte[] expected = sign(sessionId, seq, hash).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    /** The body of a {@link RecordKind#CHECKPOINT} record covering the chain up to record {@code seq} with {@code hash}. */
    public String checkpointBody(String sessionId, long seq, String hash) {
        return RecordBodies.checkpoint(seq, hash, keyId, sign(sessionId, seq, hash));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "CheckpointSigner[" + keyId + "]";
    }
}
