package dev.warden.masking;

/**
 * IBANs (in either case): two letters, two check digits, 11 to 30 letters or digits (printed in groups of
 * four separated by single spaces, or not), valid under ISO 13616's mod-97 check. Each candidate
 * start reads at most 34 significant characters, so the scan stays linear. Not thread-safe (it
 * reuses its buffers: a hex digest often starts like an IBAN, so candidates are common): one per scanner.
 */
final class IbanDetector {
    private static final int MIN_LENGTH = 15;
    private static final int MAX_LENGTH = 34;

    private final int[] positions = new int[MAX_LENGTH];
    private final int[] remainders = new int[MAX_LENGTH + 1];

    void find(byte[] data, int from, int to, Spans out) {
        int at = from;
        while (at + 4 <= to) {
            if (!Ascii.isAlphanumeric(data[at])) {
                at++;
                continue;
            }
            // A word starts at 'at': an IBAN can only start a word, so the rest of this one is skipped.
            int wordStart = at;
            at = Ascii.endOfAlphanumerics(data, at, to);
            if (!(Ascii.isLetter(data[wordStart]) && Ascii.isLetter(data[wordStart + 1])
                    && Ascii.isDigit(data[wordStart + 2]) && Ascii.isDigit(data[wordStart + 3]))) {
                continue;
            }
            int found = ibanAt(data, wordStart, to);
            if (found > 0) {
                out.add(wordStart, found);
                at = found;
            }
        }
    }

    /** The end of the longest valid IBAN starting at {@code at}, or -1. */
    private int ibanAt(byte[] data, int at, int to) {
        int count = 0;
        int i = at;
        while (i < to && count < MAX_LENGTH) {
            byte b = data[i];
            if (Ascii.isAlphanumeric(b)) {
                positions[count++] = i++;
            } else if (b == ' ' && i + 1 < to && Ascii.isAlphanumeric(data[i + 1])) {
                i++;
            } else {
                break;
            }
        }
        if (count < MIN_LENGTH) {
            return -1;
        }
        // The check of every prefix length in one pass: the remainder of characters 4..L grows one
        // character at a time, and the first four (moved to the end) are appended arithmetically.
        remaindersOfBody(data, count);
        int head = 0;
        int headScale = 1;
        for (int k = 0; k < 4; k++) {
            byte b = data[positions[k]];
            head = (head * scale(b) + value(b)) % 97;
            headScale = headScale * scale(b) % 97;
        }
        // The longest valid prefix: a grouped IBAN may be followed by more text in capitals.
        for (int length = count; length >= MIN_LENGTH; length--) {
            int end = positions[length - 1] + 1;
            if ((end >= to || !Ascii.isAlphanumeric(data[end]))
                    && (remainders[length] * headScale + head) % 97 == 1) {
                return end;
            }
        }
        return -1;
    }

    /**
     * For ISO 7064 MOD 97-10 over the rearranged IBAN (first four characters moved to the end):
     * {@code remainders[L]} is the remainder of characters 4..L-1 read as one decimal number.
     */
    private void remaindersOfBody(byte[] data, int count) {
        int remainder = 0;
        for (int k = 4; k < count; k++) {
            byte b = data[positions[k]];
            remainder = (remainder * scale(b) + value(b)) % 97;
            remainders[k + 1] = remainder;
        }
    }

    /** Digits count as themselves, letters A=10 ... Z=35 in either case (a lower-cased IBAN is still one). */
    private static int value(byte b) {
        return VALUES[b & 0xFF];
    }

    /** Only for letters and digits, the only bytes an IBAN candidate holds. */
    private static final byte[] VALUES = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            VALUES[c] = (byte) (c - '0');
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            VALUES[c] = (byte) (c - 'A' + 10);
            VALUES[Character.toLowerCase(c)] = (byte) (c - 'A' + 10);
        }
    }

    /** What the number read so far is multiplied by before a character is appended: a letter is two digits. */
    private static int scale(byte b) {
        return Ascii.isDigit(b) ? 10 : 100;
    }
}
