package dev.warden.masking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte classes for the detectors, which scan UTF-8 as bytes: every pattern they look for is ASCII. */
final class Ascii {
    private static final byte DIGIT = 1;
    private static final byte UPPER = 2;
    private static final byte LOWER = 4;
    private static final byte TOKEN_PUNCTUATION = 8;
    /** Punctuation of an e-mail address's local part: {@code . _ % + -}. */
    private static final byte LOCAL_PUNCTUATION = 16;
    /** Punctuation of a domain name: {@code . -}. */
    private static final byte DOMAIN_PUNCTUATION = 32;
    private static final byte ALPHANUMERIC = DIGIT | UPPER | LOWER;
    /** The first letter of a secret's prefix (see DetectorHints.mayStartSecret): A, e, E, g, x, s, r. */
    private static final byte SECRET_FIRST = 64;
    /**
     * The class of every byte value, so that each test is one load: the detectors and their hints test
     * every byte of every value a masked identity receives.
     */
    private static final byte[] CLASSES = new byte[256];
    /** Eight bytes of an array read as one long, the first byte lowest, whatever the platform's order. */
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EVERY_BYTE = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    static {
        for (int c = '0'; c <= '9'; c++) {
            CLASSES[c] = DIGIT;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            CLASSES[c] = UPPER;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASSES[c] = LOWER;
        }
        CLASSES['-'] = TOKEN_PUNCTUATION | LOCAL_PUNCTUATION | DOMAIN_PUNCTUATION;
        CLASSES['_'] = TOKEN_PUNCTUATION | LOCAL_PUNCTUATION;
        CLASSES['.'] = LOCAL_PUNCTUATION | DOMAIN_PUNCTUATION;
        CLASSES['%'] = LOCAL_PUNCTUATION;
        CLASSES['+'] = LOCAL_PUNCTUATION;
        for (char c : "AeEgxsr".toCharArray()) {
            CLASSES[c] |= SECRET_FIRST;
        }
    }

    private Ascii() {}

    static boolean isDigit(byte b) {
        return CLASSES[b & 0xFF] == DIGIT;
    }

    static boolean isUpper(byte b) {
        return (CLASSES[b & 0xFF] & ~SECRET_FIRST) == UPPER;
    }

    /** Whether a word starting with this byte may start a secret: one table load before any comparison. */
    static boolean maySecretStart(byte b) {
        return (CLASSES[b & 0xFF] & SECRET_FIRST) != 0;
    }

    static boolean isLetter(byte b) {
        return (CLASSES[b & 0xFF] & (UPPER | LOWER)) != 0;
    }

    static boolean isAlphanumeric(byte b) {
        return (CLASSES[b & 0xFF] & ALPHANUMERIC) != 0;
    }

    /** Letters, digits, '-' and '_': the alphabet of base64url and of most API tokens. */
    static boolean isTokenChar(byte b) {
        return (CLASSES[b & 0xFF] & (ALPHANUMERIC | TOKEN_PUNCTUATION)) != 0;
    }

    /** A character of an e-mail address's local part: letters, digits and {@code . _ % + -}. */
    static boolean isEmailLocal(byte b) {
        return (CLASSES[b & 0xFF] & (ALPHANUMERIC | LOCAL_PUNCTUATION)) != 0;
    }

    /** A character of a domain name: letters, digits, {@code .} and {@code -}. */
    static boolean isDomain(byte b) {
        return (CLASSES[b & 0xFF] & (ALPHANUMERIC | DOMAIN_PUNCTUATION)) != 0;
    }

    /**
     * The index of the first byte in {@code data[at, end)} that is not an ASCII letter or digit, or
     * {@code end}. Reads eight bytes at a time: the detectors' hints skip the rest of every word with
     * it, and that skip is most of the time a masked session spends on an ordinary value.
     */
    static int endOfAlphanumerics(byte[] data, int at, int end) {
        int i = at;
        while (i + Long.BYTES <= end) {
            long others = notAlphanumeric((long) EIGHT_BYTES.get(data, i));
            if (others != 0) {
                return i + (Long.numberOfTrailingZeros(others) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < end && isAlphanumeric(data[i])) {
            i++;
        }
        return i;
    }

    /** Eight bytes of {@code data} from {@code at}, the first byte lowest. */
    static long eightBytes(byte[] data, int at) {
        return (long) EIGHT_BYTES.get(data, at);
    }

    /**
     * The high bit of each of eight bytes that is an ASCII digit, exact for every byte: the digit test of
     * {@link #notAlphanumeric}, plus clearing bytes of 0x80 or more, which that method flags anyway (it
     * does not call this one: the two extra operations cost its word skip 3-4% in JMH).
     */
    static long digitBytes(long bytes) {
        long ascii = bytes & ~HIGH_BITS;
        return (ascii + 0x50 * EVERY_BYTE) & ~(ascii + 0x46 * EVERY_BYTE) & ~bytes & HIGH_BITS;
    }

    /**
     * The high bit of each of eight bytes that is not an ASCII letter or digit, exact for every byte.
     * With the high bits cleared, b + (0x80 - low) has its high bit set exactly when b >= low and no
     * carry leaves the byte; a byte of 0x80 or more is then flagged by its own high bit.
     */
    static long notAlphanumeric(long bytes) {
        long ascii = bytes & ~HIGH_BITS;
        long digits = (ascii + 0x50 * EVERY_BYTE) & ~(ascii + 0x46 * EVERY_BYTE); // '0' = 0x30 .. '9' = 0x39
        long lowered = ascii | 0x20 * EVERY_BYTE; // 'A'..'Z' to 'a'..'z'; nothing else lands there
        long letters = (lowered + 0x1F * EVERY_BYTE) & ~(lowered + 0x05 * EVERY_BYTE); // 'a' = 0x61 .. 'z' = 0x7A
        return (~(digits | letters) | bytes) & HIGH_BITS;
    }

    /**
     * The index of the first {@code wanted} byte in {@code data[from, end)}, or -1; eight bytes at a time,
     * for the e-mail detector's search for '@' through values that mostly have none.
     */
    static int indexOf(byte[] data, int from, int end, byte wanted) {
        long pattern = (wanted & 0xFFL) * EVERY_BYTE;
        int i = from;
        while (i + Long.BYTES <= end) {
            long matches = zeroBytes((long) EIGHT_BYTES.get(data, i) ^ pattern);
            if (matches != 0) {
                return i + (Long.numberOfTrailingZeros(matches) >>> 3);
            }
            i += Long.BYTES;
        }
        for (; i < end; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The high bit of each of eight bytes that is zero, exact for every byte (no false positives from borrows). */
    static long zeroBytes(long bytes) {
        long low = (bytes & ~HIGH_BITS) + ~HIGH_BITS; // high bit set when the low seven bits are not all zero
        return ~(low | bytes | ~HIGH_BITS);
    }

    static boolean startsWith(byte[] data, int at, int end, String prefix) {
        if (end - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] data, int from, int end, String needle) {
        for (int at = from; at + needle.length() <= end; at++) {
            if (data[at] == needle.charAt(0) && startsWith(data, at, end, needle)) {
                return at;
            }
        }
        return -1;
    }
}
