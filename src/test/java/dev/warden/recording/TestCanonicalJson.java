package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TestCanonicalJson {

    @Test
    void sameContentInAnyInsertionOrderGivesTheSameText() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("b", 1);
        one.put("a", Map.of("z", true, "y", "x"));
        one.put("c", List.of(3, 2, 1));
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("c", List.of(3, 2, 1));
        other.put("a", new TreeMap<>(Map.of("y", "x", "z", true)));
        other.put("b", 1L);

        assertThat(CanonicalJson.encode(one)).isEqualTo(CanonicalJson.encode(other))
                .isEqualTo("{\"a\":{\"y\":\"x\",\"z\":true},\"b\":1,\"c\":[3,2,1]}");
    }

    @Test
    void keysSortByUtf16CodeUnits() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uD83D\uDE00", 1); // U+1F600: surrogates D83D DE00
        map.put("\uFB01", 2);       // U+FB01 sorts after D83D in UTF-16, before it by code point
        map.put("B", 3);
        map.put("a", 4);

        assertThat(CanonicalJson.encode(map)).isEqualTo("{\"B\":3,\"a\":4,\"\uD83D\uDE00\":1,\"\uFB01\":2}");
    }

    @Test
    void escapesMinimally() {
        assertThat(CanonicalJson.encode("a\"b\\c\nd\te\r\u0000\u001f/é€\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\u0009e\\u000d\\u0000\\u001f/é€\u2028\"");
        assertThat(CanonicalJson.encode("\uD800x")).isEqualTo("\"\\ud800x\"");
    }

    @Test
    void numbersAndScalars() {
        assertThat(CanonicalJson.encode(Arrays.asList(null, true, false, -7, Long.MAX_VALUE, new BigDecimal("1E+3"),
                new BigDecimal("0.000001"), new BigInteger("123456789012345678901234567890"))))
                .isEqualTo("[null,true,false,-7,9223372036854775807,1000,0.000001,123456789012345678901234567890]");
        assertThat(CanonicalJson.encode(Map.of())).isEqualTo("{}");
        assertThat(CanonicalJson.encode(List.of())).isEqualTo("[]");
    }

    @Test
    void nullValuesInObjectsAreKept() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", null);
        assertThat(CanonicalJson.encode(map)).isEqualTo("{\"x\":null}");
    }

    @Test
    void refusesWhatHasNoCanonicalForm() {
        assertThatThrownBy(() -> CanonicalJson.encode(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.encode(Map.of(1, 2))).hasMessageContaining("keys must be strings");
    }

    @Test
    void jacksonReadsItBack() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "line1\nline2 \"q\" \\ \u0001 ✓");
        map.put("nested", List.of(Map.of("k", "v"), List.of()));

        String json = CanonicalJson.encode(map);

        assertThat(new ObjectMapper().readValue(json, Map.class)).isEqualTo(map);
    }

    @Test
    void stringsEncodeAsTheCharacterByCharacterRuleSaysWhereverTheSpecialCharactersAre() {
        char[] alphabet = {'a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', 'é', '\u2028', '\uD83D', '\uDE00', '\uD800',
            '\uDFFF', '/'};
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String value = text.toString();
            assertThat(CanonicalJson.encode(value)).as("encoding of %s", value.chars().boxed().toList())
                    .isEqualTo(referenceString(value));
        }
    }

    /** The escaping rule spelled out one character at a time, as the class comment states it. */
    private static String referenceString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
