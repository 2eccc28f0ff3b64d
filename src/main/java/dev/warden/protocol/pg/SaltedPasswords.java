package dev.warden.protocol.pg;

import dev.warden.bounded.LeastRecentlyUsedMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * SCRAM's salted password (PBKDF2, 4096 rounds of HMAC-SHA-256 by PostgreSQL's default) for the
 * upstream logins, remembered per password, salt and iteration count. PostgreSQL keeps a role's
 * salt until its password changes, so every upstream connection of a target derives the same value:
 * deriving it each time cost ~5 ms of an event loop per connection, stalling every other session on
 * that loop (pgbouncer keeps the derived keys for the same reason). Process memory only, where the
 * password itself already is; keyed by a digest, bounded.
 */
final class SaltedPasswords {
    private static final int MAX_ENTRIES = 64;

    private static final Map<String, byte[]> DERIVED = new LeastRecentlyUsedMap<>(MAX_ENTRIES);

    private SaltedPasswords() {}

    static byte[] of(String password, byte[] salt, int iterations) {
        String key = key(password, salt, iterations);
        synchronized (DERIVED) {
            byte[] known = DERIVED.get(key);
            if (known != null) {
                return known.clone();
            }
        }
        byte[] derived = ScramPrimitives.saltedPassword(password, salt, iterations);
        synchronized (DERIVED) {
            DERIVED.put(key, derived.clone());
        }
        return derived;
    }

    /** Length-prefixed parts, so no two different inputs share a key. */
    private static String key(String password, byte[] salt, int iterations) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        ByteBuffer parts = ByteBuffer.allocate(12 + secret.length + salt.length);
        parts.putInt(secret.length).put(secret).putInt(salt.length).put(salt).putInt(iterations);
        return HexFormat.of().formatHex(ScramPrimitives.sha256(parts.array()));
    }
}
