package dev.warden.masking;

/** Byte classes for the detectors, which scan UTF-8 as bytes: every pattern they look for is ASCII. */
final class Ascii {
    private Ascii() {}

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isUpper(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    static boolean isLetter(byte b) {
        return isUpper(b) || (b >= 'a' && b <= 'z');
    }

    static boolean isAlphanumeric(byte b) {
        return isLetter(b) || isDigit(b);
    }

    /** Letters, digits, '-' and '_': the alphabet of base64url and of most API tokens. */
    static boolean isTokenChar(byte b) {
        return isAlphanumeric(b) || b == '-' || b == '_';
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
