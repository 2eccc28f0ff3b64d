package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time searches must stop exactly where the byte-by-byte ones do, and each class holds exactly its bytes. */
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
            long digits = Ascii.digitBytes(bytes);
            for (int k = 0; k < Long.BYTES; k++) {
                byte b = (byte) (bytes >>> (8 * k));
                assertThat((digits >>> (8 * k + 7) & 1) == 1).as("%016x byte %d", bytes, k).isEqualTo(Ascii.isDigit(b));
            }
            assertThat(digits & ~0x8080_8080_8080_8080L).isZero();
        }
        for (int value = 0; value < 256; value++) {
            long bytes = value * 0x0101_0101_0101_0101L;
            assertThat(Ascii.digitBytes(bytes) != 0).as("%d", value).isEqualTo(value >= '0' && value <= '9');
            assertThat(Ascii.notAlphanumeric(bytes) != 0).as("%d", value).isEqualTo(!Ascii.isAlphanumeric((byte) value));
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

    private static int indexOneByOne(byte[] data, int from, int end, byte wanted) {
        for (int i = from; i < end; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theByteSearchFindsEveryByteValueAtEveryPositionAndNoOther() {
        for (int wanted = 0; wanted < 256; wanted++) {
            for (int other = 0; other < 256; other += 17) {
                for (int position = 0; position < 19; position++) {
                    byte[] data = new byte[19];
                    java.util.Arrays.fill(data, (byte) (wanted == other ? other + 1 : other));
                    data[position] = (byte) wanted;
                    for (int from = 0; from <= 19; from += 3) {
                        assertThat(Ascii.indexOf(data, from, data.length, (byte) wanted)).as("%d among %d at %d from %d", wanted, other, position, from)
                                .isEqualTo(indexOneByOne(data, from, data.length, (byte) wanted));
                    }
                }
            }
        }
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            byte wanted = data.length > 0 && random.nextBoolean() ? data[random.nextInt(data.length)] : (byte) random.nextInt(256);
            int from = data.length == 0 ? 0 : random.nextInt(data.length);
            int end = from + random.nextInt(data.length - from + 1);
            assertThat(Ascii.indexOf(data, from, end, wanted)).isEqualTo(indexOneByOne(data, from, end, wanted));
        }
    }

    @Test
    void eachClassHoldsExactlyItsBytes() {
        for (int value = 0; value < 256; value++) {
            char c = (char) value;
            byte b = (byte) value;
            boolean alphanumeric = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            assertThat(Ascii.isAlphanumeric(b)).as("%d", value).isEqualTo(alphanumeric);
            assertThat(Ascii.isDigit(b)).as("%d", value).isEqualTo(c >= '0' && c <= '9');
            assertThat(Ascii.isUpper(b)).as("%d", value).isEqualTo(c >= 'A' && c <= 'Z');
            assertThat(Ascii.isLetter(b)).as("%d", value).isEqualTo(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
            assertThat(Ascii.maySecretStart(b)).as("%d", value).isEqualTo("AeEgxsr".indexOf(c) >= 0);
            assertThat(Ascii.isTokenChar(b)).as("%d", value).isEqualTo(alphanumeric || c == '-' || c == '_');
            assertThat(Ascii.isEmailLocal(b)).as("%d", value).isEqualTo(alphanumeric || ".-_%+".indexOf(c) >= 0);
            assertThat(Ascii.isDomain(b)).as("%d", value).isEqualTo(alphanumeric || c == '.' || c == '-');
        }
    }
}
