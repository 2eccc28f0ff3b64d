package dev.warden.masking;

/** Byte classes for the detectors, which scan UTF-8 as bytes: every pattern they look for is ASCII. */
final class Ascii {
    private static final byte DIGIT = 1;
    private static final byte UPPER = 2;
    private static final byte LOWER = 4;
    private static final byte TOKEN_PUNCTUATION = 8;
    /**
     * The class of every byte value, so that each test is one load: the detectors and their hints test
     * every byte of every value a masked identity receives.
     */
    private static final byte[] CLASSES = new byte[256];

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
        CLASSES['-'] = TOKEN_PUNCTUATION;
        CLASSES['_'] = TOKEN_PUNCTUATION;
    }

    private Ascii() {}

    static boolean isDigit(byte b) {
        return CLASSES[b & 0xFF] == DIGIT;
    }

    static boolean isUpper(byte b) {
        return CLASSES[b & 0xFF] == UPPER;
    }

    static boolean isLetter(byte b) {
        return (CLASSES[b & 0xFF] & (UPPER | LOWER)) != 0;
    }

    static boolean isAlphanumeric(byte b) {
        return (CLASSES[b & 0xFF] & (DIGIT | UPPER | LOWER)) != 0;
    }

    /** Letters, digits, '-' and '_': the alphabet of base64url and of most API tokens. */
    static boolean isTokenChar(byte b) {
        return CLASSES[b & 0xFF] != 0;
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
