package dev.warden.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Md5PasswordTest {

    /** Computed the way PostgreSQL's {@code pg_md5_encrypt} does it, written out independently. */
    private static String expected(String user, String password, byte[] salt) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        // Stored form: 'md5' || md5(password || user); the response hashes its hex digits with the salt.
        String stored = HexFormat.of().formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
        md5.reset();
        md5.update(stored.getBytes(StandardCharsets.US_ASCII));
        md5.update(salt);
        return "md5" + HexFormat.of().formatHex(md5.digest());
    }

    @Test
    void matchesPostgresqlsConstruction() throws Exception {
        byte[] salt = {0x01, (byte) 0xAB, 0x7F, (byte) 0x80};
        assertThat(Md5Password.response("user", "secret", salt)).isEqualTo(expected("user", "secret", salt));
        assertThat(Md5Password.response("ünïcode", "pässword", salt)).isEqualTo(expected("ünïcode", "pässword", salt));
    }

    @Test
    void knownValue() {
        // Outside Java: printf secretuser | md5sum, which is PostgreSQL's md5('secret' || 'user'),
        // the hex in pg_authid after 'md5'; then printf '<that hex>salt' | md5sum for the response.
        assertThat(HexFormat.of().formatHex(md5("secretuser".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("20eb1b22a92b5c573dc1eb4331fc49ee");
        assertThat(Md5Password.response("user", "secret", "salt".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("md5440c573f34f2e2f3ff4b6dbdd8a2686b");
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
