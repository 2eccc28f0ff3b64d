package dev.warden.masking;

/**
 * IBANs (in either case): two letters, two check digits, 11 to 30 letters or digits (printed in groups of
 * four separated by single spaces, or not), valid under ISO 13616's mod-97 check. Each candidate
 * start reads at most 34 significant characters, so the scan stays linear.
 */
final class IbanDetector {
    private static final int MIN_LENGTH = 15;
    private static final int MAX_LENGTH = 34;

    private IbanDetector() {}

    static void find(byte[] data, int from, int to, Spans out) {
        int[] positions = new int[MAX_LENGTH];
        for (int at = from; at + 4 <= to; at++) {
            if (!(Ascii.isLetter(data[at]) && Ascii.isLetter(data[at + 1]) && Ascii.isDigit(data[at + 2])
                    && Ascii.isDigit(data[at + 3]))) {
                continue;
            }
            if (at > from && Ascii.isAlphanumeric(data[at - 1])) {
                continue;
            }
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
            // The longest valid prefix: a grouped IBAN may be followed by more text in capitals.
            for (int length = count; length >= MIN_LENGTH; length--) {
                int end = positions[length - 1] + 1;
                if ((end >= to || !Ascii.isAlphanumeric(data[end])) && mod97(data, positions, length) == 1) {
                    out.add(at, end);
                    at = end - 1;
                    break;
                }
            }
        }
    }

    /** The check of ISO 7064 MOD 97-10 over the rearranged IBAN (first four characters moved to the end). */
    private static int mod97(byte[] data, int[] positions, int length) {
        int remainder = 0;
        for (int k = 0; k < length; k++) {
            byte b = data[positions[(k + 4) % length]];
            if (Ascii.isDigit(b)) {
                remainder = (remainder * 10 + (b - '0')) % 97;
            } else {
                // Letters count A=10 ... Z=35 in either case (a lower-cased IBAN is still one).
                remainder = (remainder * 100 + (Character.toUpperCase((char) b) - 'A' + 10)) % 97;
            }
        }
        return remainder;
    }
}
