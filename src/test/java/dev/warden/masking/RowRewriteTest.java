package dev.warden.masking;

import static dev.warden.masking.MaskingRowsTest.row;
import static dev.warden.masking.MaskingRowsTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A row is rewritten in place of the values that change and copied around them, into a buffer that the
 * next row reuses. Held here to the plain definition: the masked row is the row of the values masked
 * one by one (a finding cut out of text, a number with a finding NULL, a rule's replacement scanned
 * again), on generated rows with NULLs, unchanged stretches, values long enough to grow the buffer,
 * and bodies that sit inside a larger array.
 */
class RowRewriteTest {
    private static final ColumnRule FULL = ColumnRule.whole("public", "t", "secret", MaskStrategy.FULL);
    private static final String[] FRAGMENTS = {"bob@example.com", "user42@example.com", "4111 1111 1111 1111", "123-45-6789",
        "+1 415-555-0142", "DE89370400440532013000", "AKIAIOSFODNN7EXAMPLE", "c4ca4238a0b923820dcc509a6f75849b",
        "user 1234", "12345678", "Alice", "", " ", "x", "é", "@", "-----BEGIN PRIVATE KEY-----"};

    private final ContentScanner scanner = new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of());
    private final ValueMasker values = new ValueMasker(null);
    private final RowMasker rows = new RowMasker(values, scanner, new KnownValues());

    /** The kinds of column the generator draws from. */
    private enum Column { PASS, SCAN_TEXT, SCAN_INTEGER_TEXT, FULL_TEXT }

    @Test
    void aRewrittenRowIsTheRowOfItsValuesMaskedOneByOne() {
        Random random = new Random(20240611);
        int changed = 0;
        int unchanged = 0;
        for (int r = 0; r < 20_000; r++) {
            int count = 1 + random.nextInt(8);
            Column[] kinds = new Column[count];
            List<ResultColumn> columns = new ArrayList<>();
            ColumnMasking[] masking = new ColumnMasking[count];
            byte[][] input = new byte[count][];
            for (int i = 0; i < count; i++) {
                kinds[i] = Column.values()[random.nextInt(Column.values().length)];
                columns.add(new ResultColumn(0, 0, kinds[i] == Column.SCAN_INTEGER_TEXT ? PgTypes.INT4 : PgTypes.TEXT, false));
                masking[i] = switch (kinds[i]) {
                    case PASS -> ColumnMasking.PASS;
                    case SCAN_TEXT, SCAN_INTEGER_TEXT -> ColumnMasking.SCAN;
                    case FULL_TEXT -> new ColumnMasking(FULL, List.of(), true);
                };
                input[i] = random.nextInt(6) == 0 ? null : value(random);
            }
            byte[] body = row(input);
            byte[] expected = expectedRow(kinds, input);
            // The body inside a larger array, as the relay and COPY hand it over.
            int offset = random.nextInt(5);
            byte[] framed = new byte[offset + body.length + random.nextInt(5)];
            Arrays.fill(framed, (byte) '@');
            System.arraycopy(body, 0, framed, offset, body.length);
            MaskPlan plan = new MaskPlanForTests(columns, masking).plan();
            byte[] masked = rows.mask(plan, framed, offset, offset + body.length);
            if (expected == null) {
                assertThat(masked).isNull();
                unchanged++;
            } else {
                assertThat(masked).isEqualTo(expected);
                changed++;
            }
        }
        // Both outcomes must be common, or the comparison proves little.
        assertThat(changed).isGreaterThan(5_000);
        assertThat(unchanged).isGreaterThan(2_000);
    }

    @Test
    void theReusedBufferGrowsForALargeRowAndTheNextRowIsWhole() {
        MaskPlan plan = new MaskPlanForTests(List.of(new ResultColumn(0, 0, PgTypes.TEXT, false),
                new ResultColumn(0, 0, PgTypes.TEXT, false)), new ColumnMasking[] {ColumnMasking.SCAN, ColumnMasking.SCAN}).plan();
        byte[] large = row(utf8("a".repeat(100_000) + " bob@example.com"), utf8("b".repeat(70_000)));
        assertThat(MaskingRowsTest.values(rows.mask(plan, large, 0, large.length)))
                .containsExactly("a".repeat(100_000) + " ****", "b".repeat(70_000));
        byte[] small = row(utf8("x"), utf8("call +1 415-555-0142"));
        RowRewrite rewrite = rows.rewrite(plan, small, 0, small.length);
        assertThat(rewrite.toByteArray()).isEqualTo(row(utf8("x"), utf8("call ****")));
        byte[] body = row(utf8("x"), utf8("call ****"));
        byte[] message = Arrays.copyOf(rewrite.message((byte) 'D'), rewrite.messageLength());
        assertThat(message).hasSize(5 + body.length).startsWith((byte) 'D', (byte) 0, (byte) 0, (byte) 0, (byte) (4 + body.length))
                .endsWith(body);
    }

    private static byte[] value(Random random) {
        if (random.nextInt(50) == 0) {
            return utf8("long text ".repeat(60 + random.nextInt(100)) + FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        StringBuilder value = new StringBuilder();
        for (int parts = random.nextInt(3); parts >= 0; parts--) {
            value.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]).append(random.nextBoolean() ? " " : "");
        }
        return utf8(value.toString());
    }

    /** The row of each value masked on its own, or null when no value changes. */
    private byte[] expectedRow(Column[] kinds, byte[][] input) {
        byte[][] output = new byte[input.length][];
        boolean changed = false;
        for (int i = 0; i < input.length; i++) {
            output[i] = input[i];
            if (input[i] == null) {
                continue;
            }
            byte[] value = input[i];
            switch (kinds[i]) {
                case PASS -> {
                }
                case SCAN_TEXT -> {
                    byte[] masked = scanner.mask(value, 0, value.length);
                    if (masked != null) {
                        output[i] = masked;
                        changed = true;
                    }
                }
                case SCAN_INTEGER_TEXT -> {
                    if (scanner.finds(value, 0, value.length)) {
                        output[i] = null;
                        changed = true;
                    }
                }
                case FULL_TEXT -> {
                    byte[] replaced = values.mask(MaskStrategy.FULL, 0, PgTypes.TEXT, false, value, 0, value.length);
                    byte[] scanned = replaced == null ? null : scanner.mask(replaced, 0, replaced.length);
                    output[i] = scanned != null ? scanned : replaced;
                    changed = true;
                }
            }
        }
        return changed ? row(output) : null;
    }
}
