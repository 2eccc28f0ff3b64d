package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingDetectorsTest {
    private final ContentScanner all = new ContentScanner(EnumSet.allOf(DetectorKind.class),
            List.of(new CustomPattern("badge", Pattern.compile("EMP-[0-9]{6}"))));

    private String mask(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] masked = all.mask(bytes, 0, bytes.length);
        return masked == null ? text : new String(masked, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "write to alice.anders@example.com today|write to **** today",
        "a+b_c.d-e%f@sub.example.co.uk.|****.",
        "card 4111 1111 1111 1111 ok|card **** ok",
        "card 4111-1111-1111-1111|card ****",
        "amex 378282246310005|amex ****",
        "ssn 123-45-6789.|ssn ****.",
        "ssn 123 45 6789|ssn ****",
        "call +1 415-555-0142 now|call **** now",
        "call (212) 555-0187|call ****",
        "call 646.555.0123|call ****",
        "call 415-555-0199|call ****",
        "iban DE89370400440532013000 x|iban **** x",
        "iban GB82 WEST 1234 5698 7654 32|iban ****",
        "iban gb82west12345698765432|iban ****",
        "key AKIAIOSFODNN7EXAMPLE!|key ****!",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJvYg end|jwt **** end",
        "JWT EYJHBGCIOIJIUZI1NIJ9.EYJZDWIIOIJIB2IFQ.C2LNBMF0DXJLLWJVYG|JWT ****",
        "token ghp_abcdefghijklmnopqrstuvwxyz0123456789|token ****",
        "token github_pat_11ABCDEFG0123456789abcdefghij|token ****",
        "token glpat-abcdefghij0123456789|token ****",
        "slack xoxb-1234567890-abcdefghijkl|slack ****",
        "stripe sk_live_abcdefghijklmnop1234|stripe ****",
        "iban  FR14 2004 1010 0505 0001 3M02 606 tail|iban  **** tail",
        "iban NL91ABNA0417164300.|iban ****.",
        "badge EMP-123456|badge ****",
        "ünïcødé bob@example.com ü|ünïcødé **** ü",
    })
    void findsAndReplaces(String text, String expected) {
        assertThat(mask(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain text without anything",
        "order 4111 1111 1111 1112 (Luhn fails)",
        "ssn 000-12-3456 (never issued)",
        "ssn 666-12-3456 (never issued)",
        "date 2024-01-15 10:30:00",
        "ip 192.168.100.200",
        "amount 1234567.89",
        "version 1.2.3",
        "not@an-email",
        "uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "iban DE89370400440532013001 (check digits wrong)",
        "word abc4111111111111111",
        "AKIA too short",
    })
    void leavesOrdinaryTextAlone(String text) {
        assertThat(mask(text)).isEqualTo(text);
    }

    @Test
    void aPrivateKeyBlockIsMaskedToItsEndLineOrToTheEndOfTheValue() {
        String block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        assertThat(mask("key: " + block + " done")).isEqualTo("key: **** done");
        assertThat(mask("key: -----BEGIN PRIVATE KEY-----\nMIIEpAIBAAKCAQEA truncated")).isEqualTo("key: ****");
        assertThat(mask("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"))
                .startsWith("-----BEGIN CERTIFICATE-----");
    }

    /** Hand-written scanners are linear: adversarial inputs of 1 MB scan in well under a second each. */
    @Test
    void adversarialInputsScanInLinearTime() {
        List<String> inputs = List.of("@".repeat(1 << 20), "a@".repeat(1 << 19), "1-".repeat(1 << 19),
                "1 ".repeat(1 << 19), "DE89".repeat(1 << 18), "eyJa.".repeat(1 << 18), "-----BEGIN ".repeat(1 << 16),
                "9".repeat(1 << 20), "a.".repeat(1 << 19) + "@");
        for (String input : inputs) {
            long start = System.nanoTime();
            mask(input);
            assertThat((System.nanoTime() - start) / 1_000_000).as(input.substring(0, 12)).isLessThan(1500);
        }
    }

    /** A custom pattern that backtracks catastrophically runs out of steps and masks the whole value. */
    @Test
    void aCatastrophicCustomPatternFailsClosed() {
        ContentScanner evil = new ContentScanner(EnumSet.noneOf(DetectorKind.class),
                List.of(new CustomPattern("evil", Pattern.compile("(.*a){12}x"))));
        // Exponential in java.util.regex: without the step budget this runs for minutes.
        byte[] input = "a".repeat(40).getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        byte[] masked = evil.mask(input, 0, input.length);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
        assertThat(new String(masked, StandardCharsets.US_ASCII)).isEqualTo("****");
    }
}
