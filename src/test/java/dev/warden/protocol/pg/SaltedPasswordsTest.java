package dev.warden.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaltedPasswordsTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aRememberedValueIsTheDerivedOneEveryTime() {
        byte[] expected = ScramPrimitives.saltedPassword("app-secret", SALT, 4096);

        assertThat(SaltedPasswords.of("app-secret", SALT, 4096)).isEqualTo(expected);
        byte[] again = SaltedPasswords.of("app-secret", SALT, 4096);
        assertThat(again).isEqualTo(expected);

        // A caller scribbling on its copy does not change what the next login gets.
        again[0] ^= 1;
        assertThat(SaltedPasswords.of("app-secret", SALT, 4096)).isEqualTo(expected);
    }

    @Test
    void anotherPasswordSaltOrIterationCountIsDerivedAfresh() {
        byte[] base = SaltedPasswords.of("app-secret", SALT, 4096);

        assertThat(SaltedPasswords.of("app-secret2", SALT, 4096)).isNotEqualTo(base)
                .isEqualTo(ScramPrimitives.saltedPassword("app-secret2", SALT, 4096));
        byte[] otherSalt = "0123456789abcdeF".getBytes(StandardCharsets.US_ASCII);
        assertThat(SaltedPasswords.of("app-secret", otherSalt, 4096)).isNotEqualTo(base)
                .isEqualTo(ScramPrimitives.saltedPassword("app-secret", otherSalt, 4096));
        assertThat(SaltedPasswords.of("app-secret", SALT, 4097)).isNotEqualTo(base)
                .isEqualTo(ScramPrimitives.saltedPassword("app-secret", SALT, 4097));
    }
}
