package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 verifier (RFC 5802, RFC 7677) in the text form PostgreSQL keeps in
 * {@code pg_authid.rolpassword}: {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}.
 * It lets the gateway check a client's proof without ever holding the password, and it is what the
 * configuration file stores for each identity.
 *
 * <p>The arrays are copied in and out, so a record instance cannot be changed from outside.
 */
public record ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    public static final int DEFAULT_ITERATIONS = 4096;
    public static final int DEFAULT_SALT_LENGTH = 16;

    private static final String MECHANISM = "SCRAM-SHA-256";
    private static final int KEY_LENGTH = 32;
    private static final String EXPECTED_FORMAT = MECHANISM + "$<iterations>:<salt>$<StoredKey>:<ServerKey>";
    private static final Pattern FORMAT = Pattern.compile(
            Pattern.quote(MECHANISM) + "\\$([^:$]*):([^:$]*)\\$([^:$]*):([^:$]*)");

    public ScramVerifier {
        requireNonNull(salt, "salt is null");
        requireNonNull(storedKey, "storedKey is null");
        requireNonNull(serverKey, "serverKey is null");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt is empty");
        }
        if (storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be " + KEY_LENGTH + " bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Parses PostgreSQL's verifier text. Messages describe what is wrong without quoting the text:
     * a verifier is not a password, but it allows an offline dictionary attack, so it stays out of logs.
     */
    public static ScramVerifier parse(String text) {
        requireNonNull(text, "text is null");
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier (expected " + EXPECTED_FORMAT + ")");
        }
        int iterations = parseIterations(matcher.group(1));
        byte[] salt = decode(matcher.group(2), "salt");
        byte[] storedKey = decode(matcher.group(3), "StoredKey");
        byte[] serverKey = decode(matcher.group(4), "ServerKey");
        if (salt.length == 0) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier has an empty salt");
        }
        if (storedKey.length != KEY_LENGTH || serverKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "SCRAM-SHA-256 verifier keys must be " + KEY_LENGTH + " bytes of base64");
        }
        return new ScramVerifier(iterations, salt, storedKey, serverKey);
    }

    /** Creates a verifier for a new secret with PostgreSQL's defaults: 4096 iterations, 16-byte salt. */
    public static ScramVerifier create(String password, SecureRandom random) {
        requireNonNull(password, "password is null");
        requireNonNull(random, "random is null");
        byte[] salt = new byte[DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        return derive(password, salt, DEFAULT_ITERATIONS);
    }

    /** Derives the verifier for a password with a given salt, exactly as PostgreSQL's {@code scram_build_secret} does. */
    public static ScramVerifier derive(String password, byte[] salt, int iterations) {
        requireNonNull(password, "password is null");
        requireNonNull(salt, "salt is null");
        byte[] saltedPassword = saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(saltedPassword, "Server Key");
            return new ScramVerifier(iterations, salt, storedKey, serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        } finally {
            Arrays.fill(saltedPassword, (byte) 0);
        }
    }

    /**
     * True if {@code password} is the secret this verifier was made from. Compares in constant time
     * so that the check leaks nothing about how much of StoredKey matched.
     */
    public boolean matches(String password) {
        requireNonNull(password, "password is null");
        return MessageDigest.isEqual(derive(password, salt, iterations).storedKey, storedKey);
    }

    public String encode() {
        Base64.Encoder base64 = Base64.getEncoder();
        return MECHANISM + "$" + iterations + ":" + base64.encodeToString(salt)
                + "$" + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramVerifier that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        int result = Integer.hashCode(iterations);
        result = 31 * result + Arrays.hashCode(salt);
        result = 31 * result + Arrays.hashCode(storedKey);
        return 31 * result + Arrays.hashCode(serverKey);
    }

    /** Leaves the keys out: with them an attacker could run an offline dictionary attack. */
    @Override
    public String toString() {
        return "ScramVerifier[iterations=" + iterations + "]";
    }

    /**
     * PostgreSQL runs the password through SASLprep (RFC 4013) before hashing. Its core is NFKC
     * normalisation, applied here; the remaining SASLprep mappings only touch non-ASCII spaces and
     * invisible characters. Warden's own service tokens are ASCII, so for them all of this is moot.
     */
    private static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        char[] normalized = Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray();
        KeySpec spec = new PBEKeySpec(normalized, salt, iterations, KEY_LENGTH * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        } finally {
            Arrays.fill(normalized, '\0');
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }

    private static int parseIterations(String text) {
        if (!text.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier iteration count is not a positive integer");
        }
        long iterations = Long.parseLong(text);
        if (iterations < 1 || iterations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier iteration count is not a positive integer");
        }
        return (int) iterations;
    }

    private static byte[] decode(String text, String part) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character; ours names only the part.
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier " + part + " is not valid base64");
        }
        // Java's decoder tolerates missing padding; insisting on the canonical form PostgreSQL writes
        // keeps parse and encode exact inverses.
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("SCRAM-SHA-256 verifier " + part + " is not canonical padded base64");
        }
        return bytes;
    }
}
