package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time word skip must stop exactly where the byte-by-byte one does. */
class AsciiTest {
    private static int endOneByOne(byte[] data, int at, int end) {
        int i = at;
        while (i < end && Ascii.isAlphanumeric(data[i])) {
            i++;
        }
        return i;
    }

    @Test
    void everyByteValueStopsTheSkipAtEveryPosition() {
        for (int value = 0; value < 256; value++) {
            for (int position = 0; position < 20; position++) {
                byte[] data = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789".getBytes();
                data[position] = (byte) value;
                for (int at = 0; at <= position; at++) {
                    assertThat(Ascii.endOfAlphanumerics(data, at, data.length)).as("byte %d at %d from %d", value, position, at)
                            .isEqualTo(endOneByOne(data, at, data.length));
                }
            }
        }
    }

    @Test
    void eachOfEightBytesIsClassifiedOnItsOwn() {
        Random random = new Random(3);
        for (int n = 0; n < 200_000; n++) {
            long bytes = random.nextLong();
            long flags = Ascii.notAlphanumeric(bytes);
            for (int k = 0; k < Long.BYTES; k++) {
                byte b = (byte) (bytes >>> (8 * k));
                assertThat((flags >>> (8 * k + 7) & 1) == 1).as("%016x byte %d", bytes, k).isEqualTo(!Ascii.isAlphanumeric(b));
            }
            assertThat(flags & ~0x8080_8080_8080_8080L).isZero();
        }
    }

    @Test
    void randomBytesAgree() {
        Random random = new Random(42);
        byte[] likely = "aZz09AT@_-`{[/: é\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 200_000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int j = 0; j < data.length; j++) {
                data[j] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : likely[random.nextInt(likely.length)];
            }
            int at = data.length == 0 ? 0 : random.nextInt(data.length);
            int end = at + random.nextInt(data.length - at + 1);
            assertThat(Ascii.endOfAlphanumerics(data, at, end)).isEqualTo(endOneByOne(data, at, end));
        }
    }
}
