package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hints decide which detectors read a value, so a wrong hint is a leak. Held here to the only
 * standard that matters: with hints, the scanner masks exactly what it masks when every detector reads
 * every value, on values built from real findings glued into random context.
 */
class DetectorHintsTest {
    private static final ContentScanner HINTED = new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of(), true);
    private static final ContentScanner EVERY_DETECTOR = new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of(),
            false);

    /** Findings of every detector and near misses, to be cut, glued and surrounded at random. */
    private static final String[] FRAGMENTS = {
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4012888888881881", "378282246310005", "123-45-6789", "123 45 6789",
        "+1 415-555-0142", "(212) 555-0187", "646.555.0123", "+4915112345678", "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300",
        "AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJvYg",
        "EYJHBGCIOIJIUZI1NIJ9.EYJZDWIIOIJIB2IFQ.C2LNBMF0DXJLLWJVYG", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "github_pat_11ABCDEFG0123456789abcdefghij", "glpat-abcdefghij0123456789", "xoxb-1234567890-abcdefghijkl",
        "sk_live_abcdefghijklmnop1234", "rk_live_abcdefghijklmnop1234", "sk-abcdefghijklmnopqrstuv",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----",
        "bob@example.com", "a.b+c@sub.example.org", "user42@example.com", "c4ca4238a0b923820dcc509a6f75849b",
        "45c48cce2e2d7fbdea1afc51c7c6ad26", "user 1234", "2024-11-26 10:11:12", "x_12345678", "ab12345678", "12345678",
        "ü", "é4111111111111111", "Alice", "ANNA", "eye", "EYES", "Ey", "_4111111111111111", "A", "e", "gh", "xo", "sk", "rk", "gl", "gi", "-", "_", "@", "(", ")",
        "+", ".", " ", "  ", "\n", "0", "9", "DE", "DE89", "AKIA"};

    @Test
    void hintsNeverHideAFinding() {
        Random random = new Random(20261126);
        int masked = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int parts = random.nextInt(5); parts >= 0; parts--) {
                String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
                if (random.nextInt(4) == 0 && fragment.length() > 2) {
                    // A cut fragment: findings at the edges of a value and broken ones.
                    int start = random.nextInt(fragment.length() / 2);
                    fragment = fragment.substring(start, start + 1 + random.nextInt(fragment.length() - start - 1));
                }
                value.append(fragment);
                if (random.nextBoolean()) {
                    value.append(" -_.@(+)xAé9".charAt(random.nextInt(12)));
                }
            }
            byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
            byte[] expected = EVERY_DETECTOR.mask(bytes, 0, bytes.length);
            assertThat(HINTED.mask(bytes, 0, bytes.length)).as(value.toString()).isEqualTo(expected);
            if (expected != null) {
                masked++;
            }
        }
        // The generator must produce findings often, or the comparison proves little.
        assertThat(masked).isGreaterThan(50_000);
    }

    @Test
    void randomBytesAgree() {
        Random random = new Random(7);
        byte[] alphabet = "0123456789 -_.@()+AEeyJjghxsrilokDBGKIN\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(60)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = alphabet[random.nextInt(alphabet.length)];
            }
            assertThat(HINTED.mask(bytes, 0, bytes.length)).isEqualTo(EVERY_DETECTOR.mask(bytes, 0, bytes.length));
        }
    }

    @Test
    void theShortValuePassNeverGivesFewerHintsForTheDetectorsAShortValueMeets() {
        Random random = new Random(11);
        byte[] alphabet = "0123456789 -_.@()+AEeyJjghxsrilokDBGKIN\n".getBytes(StandardCharsets.US_ASCII);
        int digitHints = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(15)];
            for (int j = 0; j < bytes.length; j++) {
                // Half digits, so that numbers of eight digits and more are common.
                int kind = random.nextInt(8);
                bytes[j] = kind < 4 ? (byte) ('0' + random.nextInt(10))
                        : kind == 4 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            int emailAndDigits = DetectorHints.of(bytes, 0, bytes.length) & (DetectorHints.EMAIL | DetectorHints.DIGIT_GROUPS);
            int shortPass = DetectorHints.ofShortValue(bytes, 0, bytes.length);
            assertThat(shortPass & emailAndDigits).isEqualTo(emailAndDigits);
            if ((emailAndDigits & DetectorHints.DIGIT_GROUPS) != 0) {
                digitHints++;
            }
        }
        assertThat(digitHints).isGreaterThan(5_000);
    }

    /**
     * The hints straight from their definition (see {@link DetectorHints}), position by position with
     * no skipping: what the word-by-word pass, which skips the rest of a word eight bytes at a time,
     * must give for every value.
     */
    private static int byDefinition(byte[] data, int from, int to) {
        String text = new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        int hints = text.indexOf('@') >= 0 ? DetectorHints.EMAIL : 0;
        hints |= text.contains("-----BEGIN ") ? DetectorHints.SECRET : 0;
        int countableDigits = 0;
        for (int i = 0; i < text.length(); i++) {
            char before = i == 0 ? ' ' : text.charAt(i - 1);
            if (!isAsciiAlphanumeric(text.charAt(i)) || isAsciiAlphanumeric(before)) {
                continue; // not the first byte of a word
            }
            String word = text.substring(i);
            if (Character.isDigit(word.charAt(0)) && before != '_') {
                countableDigits += word.length() - word.replaceFirst("^[0-9]+", "").length();
            }
            if (before != '-' && before != '_' && word.matches("(?s)(A[KSGIRN]|[eE][yY]|g[hil]|xo|[sr]k).*")) {
                hints |= DetectorHints.SECRET;
            }
            if (word.matches("(?s)[A-Za-z]{2}[0-9]{2}.*")) {
                hints |= DetectorHints.IBAN;
            }
        }
        return countableDigits >= DetectorHints.MIN_DIGITS_OF_A_NUMBER ? hints | DetectorHints.DIGIT_GROUPS : hints;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    @Test
    void hintsAreThoseOfTheirDefinition() {
        Random random = new Random(5);
        byte[] alphabet = "0123456789 -_.@()+AEeyJjghxsrilokKSGRNYDBG\n".getBytes(StandardCharsets.US_ASCII);
        int[] seen = new int[16];
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(48)];
                for (int j = 0; j < bytes.length; j++) {
                    int kind = random.nextInt(6);
                    bytes[j] = kind == 0 ? (byte) random.nextInt(256)
                            : kind == 1 ? (byte) ('0' + random.nextInt(10)) : alphabet[random.nextInt(alphabet.length)];
                }
            } else {
                StringBuilder value = new StringBuilder();
                for (int parts = random.nextInt(4); parts >= 0; parts--) {
                    value.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]).append(" -_.@(+)xAé9".charAt(random.nextInt(12)));
                }
                bytes = value.toString().getBytes(StandardCharsets.UTF_8);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(Math.min(3, bytes.length) + 1);
            int hints = DetectorHints.of(bytes, from, bytes.length);
            assertThat(hints).as("%s from %d", new String(bytes, StandardCharsets.ISO_8859_1), from)
                    .isEqualTo(byDefinition(bytes, from, bytes.length));
            seen[hints]++;
        }
        // Every hint must come up often, or the comparison proves little.
        for (int hint : new int[] {DetectorHints.EMAIL, DetectorHints.DIGIT_GROUPS, DetectorHints.IBAN, DetectorHints.SECRET}) {
            int with = 0;
            for (int set = 0; set < 16; set++) {
                with += (set & hint) != 0 ? seen[set] : 0;
            }
            assertThat(with).as("values with hint %d", hint).isGreaterThan(5_000);
        }
    }

    @Test
    void ordinaryValuesRuleOutEveryDetector() {
        for (String value : List.of("user 1234", "c4ca4238a0b923820dcc509a6f75849b xxxxxxxxxxxxxxxx", "Alice Smith",
                "shipped", "1234567")) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            int hints = DetectorHints.of(bytes, 0, bytes.length);
            assertThat(hints).as(value).isZero();
        }
        byte[] email = "bob@example.com".getBytes(StandardCharsets.UTF_8);
        assertThat(DetectorHints.of(email, 0, email.length)).isEqualTo(DetectorHints.EMAIL);
    }
}
