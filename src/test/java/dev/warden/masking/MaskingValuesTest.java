package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingValuesTest {
    private final ValueMasker masker = new ValueMasker(new MaskingKey("a-test-key-of-sufficient-length"));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String text(MaskStrategy strategy, int keep, long type, String value) {
        byte[] masked = masker.mask(strategy, keep, type, false, utf8(value), 0, utf8(value).length);
        return masked == null ? null : new String(masked, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "<null>", value = {
        "FULL|0|25|alice@example.com|****",
        "FULL|0|1043|alice@example.com|****",
        "FULL|0|23|42|<null>",
        "FULL|0|1082|1985-03-14|<null>",
        "FULL|0|1184|2024-01-01 10:00:00+00|<null>",
        "FULL|0|16|t|<null>",
        "FULL|0|114|{\"a\": 1}|\"****\"",
        "FULL|0|999999|anything|<null>",
        "PARTIAL|4|25|4111 1111 1111 1111|****1111",
        "PARTIAL|4|25|12345|****",
        "PARTIAL|2|1042|ab12cd   |****cd",
        "PARTIAL|4|23|123456789|<null>",
        "NULL|0|25|x|<null>",
    })
    void strategiesWriteValuesOfTheColumnsType(MaskStrategy strategy, int keep, long type, String value, String expected) {
        assertThat(text(strategy, keep, type, value)).isEqualTo(expected);
    }

    @Test
    void hashesAreStableKeyedAndOfTheColumnsTypeInTextAndBinary() {
        String email = text(MaskStrategy.HASH, 0, PgTypes.TEXT, "alice@example.com");
        assertThat(email).hasSize(24).matches("[0-9a-f]+").isEqualTo(text(MaskStrategy.HASH, 0, PgTypes.VARCHAR, "alice@example.com"));
        ValueMasker otherKey = new ValueMasker(new MaskingKey("another-key-of-sufficient-length"));
        assertThat(new String(otherKey.mask(MaskStrategy.HASH, 0, PgTypes.TEXT, false, utf8("alice@example.com"), 0, 17),
                StandardCharsets.UTF_8)).isNotEqualTo(email);

        // int8: the text and the binary form of one value hash to the same number.
        String asText = text(MaskStrategy.HASH, 0, PgTypes.INT8, "900100200300");
        byte[] binary = ByteBuffer.allocate(8).putLong(900100200300L).array();
        byte[] hashedBinary = masker.mask(MaskStrategy.HASH, 0, PgTypes.INT8, true, binary, 0, 8);
        assertThat(hashedBinary).hasSize(8);
        assertThat(Long.toString(ByteBuffer.wrap(hashedBinary).getLong())).isEqualTo(asText);
        assertThat(Long.parseLong(asText)).isNotEqualTo(900100200300L).isNotNegative();

        byte[] int4 = masker.mask(MaskStrategy.HASH, 0, PgTypes.INT4, true, ByteBuffer.allocate(4).putInt(7).array(), 0, 4);
        assertThat(int4).hasSize(4);
        byte[] int2 = masker.mask(MaskStrategy.HASH, 0, PgTypes.INT2, true, ByteBuffer.allocate(2).putShort((short) 7).array(), 0, 2);
        assertThat(int2).hasSize(2);

        String uuid = text(MaskStrategy.HASH, 0, PgTypes.UUID, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        byte[] uuidBinary = HexFormat.of().parseHex("1b4e28ba2fa111d2883f0016d3cca427");
        byte[] hashedUuid = masker.mask(MaskStrategy.HASH, 0, PgTypes.UUID, true, uuidBinary, 0, 16);
        assertThat(HexFormat.of().formatHex(hashedUuid)).isEqualTo(uuid.replace("-", ""));

        assertThat(text(MaskStrategy.HASH, 0, PgTypes.BYTEA, "\\x0102")).startsWith("\\x").hasSize(66);
        assertThat(text(MaskStrategy.HASH, 0, PgTypes.NUMERIC, "12.50")).matches("[0-9]+");
        assertThat(text(MaskStrategy.HASH, 0, 1082, "1985-03-14")).isNull();
        byte[] jsonb = masker.mask(MaskStrategy.HASH, 0, PgTypes.JSONB, true, utf8("\u0001\"x\""), 0, 4);
        assertThat(jsonb[0]).isEqualTo((byte) 1);
    }

    @Test
    void withoutAKeyHashRulesGiveNull() {
        ValueMasker keyless = new ValueMasker(null);
        assertThat(keyless.mask(MaskStrategy.HASH, 0, PgTypes.TEXT, false, utf8("x"), 0, 1)).isNull();
    }

    @Test
    void keysTooShortAreRefusedAndNeverPrinted() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MaskingKey("short"))
                .hasMessageNotContaining("short");
        assertThat(new MaskingKey("a-test-key-of-sufficient-length").toString()).doesNotContain("sufficient");
    }

    @Test
    void binaryNumericIsReadForTheDetectors() {
        // 4111111111111111 as numeric: weight 3, four base-10000 digits.
        ByteBuffer numeric = ByteBuffer.allocate(16).putShort((short) 4).putShort((short) 3).putShort((short) 0)
                .putShort((short) 0).putShort((short) 4111).putShort((short) 1111).putShort((short) 1111).putShort((short) 1111);
        assertThat(ValueMasker.numericText(numeric.array(), 0, 16)).isEqualTo("4111111111111111");
    }
}
