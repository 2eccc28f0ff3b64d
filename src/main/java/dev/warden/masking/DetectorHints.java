package dev.warden.masking;

/**
 * One pass over a value that tells which built-in detectors could possibly find something in it, so
 * that the others need not read it at all. Most values (names, statuses, amounts, hashes, notes) rule
 * out every detector; only the detectors a value leaves possible then make their own pass.
 *
 * <p>Each hint is a superset of where its detector can report: skipping a detector on a false hint
 * would let a value through unmasked, so every condition here is a necessary condition of the
 * detector's own rules (a differential test runs the detectors with and without hints on generated
 * values and requires the same output):
 * <ul>
 *   <li>email: an {@code @} somewhere;
 *   <li>digit groups: at least {@link #MIN_DIGITS_OF_A_NUMBER} digits outside words that have a letter
 *       or {@code _} before them, the only digits {@link DigitGroupDetector} reads;
 *   <li>IBAN: two letters at the start of a word followed by two digits;
 *   <li>secret: a {@code -----BEGIN } line, or at the start of a token word the first two letters of
 *       an AWS key id prefix, of {@code eyJ} (a JWT, in either case) or of a service token prefix.
 * </ul>
 */
final class DetectorHints {
    static final int EMAIL = 1;
    static final int DIGIT_GROUPS = 2;
    static final int IBAN = 4;
    static final int SECRET = 8;

    /** The fewest digits any digit-group finding has: a phone number written +country and 7 digits. */
    static final int MIN_DIGITS_OF_A_NUMBER = 8;
    private static final String PEM_BEGIN = "-----BEGIN ";
    private static final long AT_SIGNS = 0x4040_4040_4040_4040L;

    private DetectorHints() {}

    /**
     * The detectors that could find something in {@code data[from, to)}, as a set of the bits above.
     * Word by word: the checks happen at a word's first byte, and the rest of the word is skipped in a
     * tight loop (only the digits a word starts with can count towards a number).
     */
    static int of(byte[] data, int from, int to) {
        int hints = 0;
        int countableDigits = 0;
        int i = from;
        while (i < to) {
            byte b = data[i];
            if (!Ascii.isAlphanumeric(b)) {
                if (b == '@') {
                    hints |= EMAIL;
                } else if (b == '-' && Ascii.startsWith(data, i, to, PEM_BEGIN)) {
                    hints |= SECRET;
                }
                i++;
                continue;
            }
            // A word starts here: the byte before it, if any, is neither a letter nor a digit.
            if (Ascii.isDigit(b)) {
                // DigitGroupDetector skips words whose digits follow a letter or '_'.
                int digits = i;
                while (i < to && Ascii.isDigit(data[i])) {
                    i++;
                }
                if (digits == from || data[digits - 1] != '_') {
                    countableDigits += i - digits;
                }
            } else if (i + 1 < to) {
                byte second = data[i + 1];
                // Most words fail both tests at their first read: an IBAN needs two letters and then two
                // digits (the third byte, a digit after two letters, is the rarest: read first), a
                // secret one of a few prefixes (one table load on the first byte rules most out).
                if (i + 3 < to && Ascii.isDigit(data[i + 2]) && Ascii.isLetter(second) && Ascii.isDigit(data[i + 3])) {
                    hints |= IBAN;
                }
                if (Ascii.maySecretStart(b) && mayStartSecret(b, second)
                        && (i == from || data[i - 1] != '-' && data[i - 1] != '_')) {
                    hints |= SECRET;
                }
            }
            i = Ascii.endOfAlphanumerics(data, i, to);
        }
        if (countableDigits >= MIN_DIGITS_OF_A_NUMBER) {
            hints |= DIGIT_GROUPS;
        }
        return hints;
    }

    /**
     * The hints for a value too short for an IBAN or a secret, which {@link ContentScanner} only gives
     * to the e-mail and digit-group detectors: an {@code @}, and eight digits anywhere (more than
     * {@link #of} counts, so never fewer hints). One pass with no word logic, for the short values (ids,
     * names, codes, statuses) that fill most columns.
     */
    static int ofShortValue(byte[] data, int from, int to) {
        int ats = 0;
        int digits = 0;
        int i = from;
        if (i + Long.BYTES <= to) {
            // Most short values are one eight-byte read plus a few bytes.
            long bytes = Ascii.eightBytes(data, i);
            ats = Long.bitCount(Ascii.zeroBytes(bytes ^ AT_SIGNS));
            digits = Long.bitCount(Ascii.digitBytes(bytes));
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            byte b = data[i];
            ats += b == '@' ? 1 : 0;
            digits += Ascii.isDigit(b) ? 1 : 0;
        }
        return (ats > 0 ? EMAIL : 0) | (digits >= MIN_DIGITS_OF_A_NUMBER ? DIGIT_GROUPS : 0);
    }

    /** Whether a word starting with these two bytes may be a secret {@link SecretDetector} reports. */
    private static boolean mayStartSecret(byte first, byte second) {
        return switch (first) {
            // AKIA, ASIA, AGPA, AIDA, AROA, ANPA, ANVA, AIPA
            case 'A' -> second == 'K' || second == 'S' || second == 'G' || second == 'I' || second == 'R' || second == 'N';
            // "eyJ" in either case
            case 'e', 'E' -> second == 'y' || second == 'Y';
            // ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- | xoxb- xoxp- xoxa- xoxs- | sk_live_ sk- | rk_live_
            case 'g' -> second == 'h' || second == 'i' || second == 'l';
            case 'x' -> second == 'o';
            case 's', 'r' -> second == 'k';
            default -> false;
        };
    }
}
