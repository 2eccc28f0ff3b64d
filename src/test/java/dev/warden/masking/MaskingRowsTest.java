package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import dev.warden.catalog.CatalogSnapshot;
import dev.warden.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingRowsTest {
    private static final ColumnRule EMAIL = ColumnRule.whole("public", "customers", "email", MaskStrategy.FULL);
    private static final ColumnRule PROFILE = new ColumnRule("public", "customers", "profile",
            List.of("customer", "email"), MaskStrategy.FULL, 0, 0);

    private final RowMasker rows = new RowMasker(new ValueMasker(null),
            new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of()), new KnownValues());

    static byte[] row(byte[]... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(values.length >>> 8);
        out.write(values.length);
        for (byte[] value : values) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
            if (value != null) {
                out.writeBytes(value);
            }
        }
        return out.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> values(byte[] row) {
        List<String> values = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(row);
        int count = buffer.getShort();
        for (int i = 0; i < count; i++) {
            int length = buffer.getInt();
            if (length < 0) {
                values.add(null);
            } else {
                byte[] value = new byte[length];
                buffer.get(value);
                values.add(new String(value, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static MaskPlan plan(ColumnMasking... masking) {
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < masking.length; i++) {
            columns.add(new ResultColumn(0, 0, i == 2 ? PgTypes.JSONB : PgTypes.TEXT, false));
        }
        return new MaskPlanForTests(columns, masking).plan();
    }

    @Test
    void rulesDetectorsAndJsonPathsRewriteOnlyWhatTheyMust() {
        MaskPlan plan = plan(new ColumnMasking(EMAIL, List.of(), true), ColumnMasking.SCAN,
                new ColumnMasking(null, List.of(PROFILE), true), ColumnMasking.PASS);
        byte[] body = row(utf8("alice@example.com"), utf8("call 415-555-0142"),
                utf8("{\"customer\": {\"email\": \"p@example.org\", \"tier\": \"gold\"}}"), null);
        byte[] masked = rows.mask(plan, body, 0, body.length);
        assertThat(values(masked)).containsExactly("****", "call ****",
                "{\"customer\":{\"email\":\"****\",\"tier\":\"gold\"}}", null);
    }

    @Test
    void anUnchangedRowIsNotCopied() {
        MaskPlan plan = plan(ColumnMasking.SCAN, ColumnMasking.PASS);
        byte[] body = row(utf8("nothing to see"), null);
        assertThat(rows.mask(plan, body, 0, body.length)).isNull();
    }

    @Test
    void rowsThatDoNotMatchTheirDescriptionFailClosed() {
        MaskPlan plan = plan(ColumnMasking.SCAN, ColumnMasking.PASS);
        byte[] threeValues = row(utf8("a"), utf8("b"), utf8("c"));
        assertThatThrownBy(() -> rows.mask(plan, threeValues, 0, threeValues.length)).isInstanceOf(MaskingException.class);
        byte[] truncated = java.util.Arrays.copyOf(row(utf8("abc"), utf8("d")), 9);
        assertThatThrownBy(() -> rows.mask(plan, truncated, 0, truncated.length)).isInstanceOf(MaskingException.class);
    }

    @Test
    void failClosedPlansNullEveryValue() {
        byte[] body = row(utf8("x"), utf8("y"));
        assertThat(values(rows.mask(MaskPlan.failClosed(2), body, 0, body.length))).containsExactly(null, null);
    }

    @Test
    void copyRowsInTextCsvAndBinary() {
        MaskPlan plan = plan(ColumnMasking.PASS, new ColumnMasking(EMAIL, List.of(), true));
        CopyRowMasker text = new CopyRowMasker(CopyFormat.TEXT, plan, rows, new ContentScanner(EnumSet.noneOf(DetectorKind.class), List.of()));
        assertThat(new String(text.mask(utf8("1\ta@b.com\n"), 0, 10), StandardCharsets.UTF_8)).isEqualTo("1\t****\n");
        assertThat(text.mask(utf8("1\t\\N\n"), 0, 5)).isNull();
        CopyRowMasker csv = new CopyRowMasker(new CopyFormat(CopyFormat.Kind.CSV, (byte) ',', true), plan, rows,
                new ContentScanner(EnumSet.noneOf(DetectorKind.class), List.of()));
        assertThat(csv.mask(utf8("id,email\n"), 0, 9)).isNull(); // the header line passes
        byte[] line = utf8("\"1,5\",\"a\"\"b@c.com\"\n");
        assertThat(new String(csv.mask(line, 0, line.length), StandardCharsets.UTF_8)).isEqualTo("\"1,5\",****\n");
        CopyRowMasker binary = new CopyRowMasker(new CopyFormat(CopyFormat.Kind.BINARY, (byte) 0, false), plan, rows,
                new ContentScanner(EnumSet.noneOf(DetectorKind.class), List.of()));
        byte[] header = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] tuple = row(utf8("1"), utf8("a@b.com"));
        byte[] first = new byte[header.length + tuple.length];
        System.arraycopy(header, 0, first, 0, header.length);
        System.arraycopy(tuple, 0, first, header.length, tuple.length);
        byte[] masked = binary.mask(first, 0, first.length);
        assertThat(java.util.Arrays.copyOf(masked, header.length)).isEqualTo(header);
        assertThat(values(java.util.Arrays.copyOfRange(masked, header.length, masked.length))).containsExactly("1", "****");
        assertThat(binary.mask(new byte[] {-1, -1}, 0, 2)).isNull(); // the trailer
    }

    @Test
    void errorTextIsScannedAndDetailsOfMaskedTablesHidden() {
        KnownValues known = new KnownValues();
        known.remember(utf8("1985-03-14"), 0, 10);
        MessageMasker messages = new MessageMasker(new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of()), known);
        byte[] error = fields("SERROR", "C23505", "Mduplicate key value violates unique constraint \"customers_email_key\"",
                "DKey (email)=(alice@example.com) already exists.", "tcustomers", "scustomers_email_key");
        List<String> masked = fieldList(messages.maskFields(error, 0, error.length, java.util.Set.of("customers"), false, QuotedNames.none()));
        assertThat(masked).contains("D" + MessageMasker.HIDDEN_DETAIL, "C23505");
        byte[] cast = fields("SERROR", "C22P02", "Minvalid input syntax for type integer: \"1985-03-14\"");
        assertThat(fieldList(messages.maskFields(cast, 0, cast.length, java.util.Set.of(), false, QuotedNames.none())))
                .contains("Minvalid input syntax for type integer: \"****\"");
        byte[] quoted = fields("SERROR", "C22P02", "Minvalid input syntax for type integer: \"secret 42\"");
        assertThat(fieldList(messages.maskFields(quoted, 0, quoted.length, java.util.Set.of(), true, QuotedNames.none())))
                .contains("Minvalid input syntax for type integer: \"****\"");
    }

    @Test
    void namesTheStatementOrTheCatalogHoldStayReadableInErrorsAboutMaskedData() {
        MessageMasker messages = new MessageMasker(new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of()),
                new KnownValues());
        CatalogSnapshot catalog = new CatalogSnapshot("app",
                List.of(new CatalogSnapshot.Relation(16384, new QualifiedName("public", "customers"), 'r')), Map.of(),
                List.of(), List.of(new CatalogSnapshot.Column(16384, 1, "id", PgTypes.INT4),
                        new CatalogSnapshot.Column(16384, 2, "email", PgTypes.TEXT)), Map.of());
        QuotedNames names = QuotedNames.of("SELECT emial FROM customers WHERE id = 'Alice' AND \"Odd Name\" > 7", catalog);
        byte[] typo = fields("SERROR", "C42703", "Mcolumn \"emial\" does not exist",
                "HPerhaps you meant to reference the column \"customers.email\".");
        assertThat(messages.maskFields(typo, 0, typo.length, java.util.Set.of(), true, names)).isNull();
        byte[] quotedIdentifier = fields("SERROR", "C42703", "Mcolumn \"Odd Name\" does not exist");
        assertThat(messages.maskFields(quotedIdentifier, 0, quotedIdentifier.length, java.util.Set.of(), true, names)).isNull();
        // Values are still masked: one the statement wrote as a literal, a number, and one from the data.
        for (String value : List.of("Alice", "7", "Bob", "customers.Bob", "", "emial.")) {
            byte[] cast = fields("SERROR", "C22P02", "Minvalid input syntax for type integer: \"" + value + "\"");
            assertThat(fieldList(messages.maskFields(cast, 0, cast.length, java.util.Set.of(), true, names)))
                    .as(value).contains("Minvalid input syntax for type integer: \"****\"");
        }
        // Without the statement or the catalog, nothing counts as a name.
        assertThat(fieldList(messages.maskFields(typo, 0, typo.length, java.util.Set.of(), true, QuotedNames.of(null, null))))
                .contains("Mcolumn \"****\" does not exist", "HPerhaps you meant to reference the column \"****\".");
        // A name that a detector would find is still cut out after it was kept.
        QuotedNames withEmail = QuotedNames.of("SELECT \"bob@example.com\" FROM customers", catalog);
        byte[] odd = fields("SERROR", "C42703", "Mcolumn \"bob@example.com\" does not exist");
        assertThat(fieldList(messages.maskFields(odd, 0, odd.length, java.util.Set.of(), true, withEmail)))
                .contains("Mcolumn \"****\" does not exist");
        // An unterminated quote is masked to the end.
        byte[] open = fields("SERROR", "C22P02", "Mbad value \"emial");
        assertThat(fieldList(messages.maskFields(open, 0, open.length, java.util.Set.of(), true, names)))
                .contains("Mbad value \"****");
    }

    @Test
    void aSessionTakesTheNamesOfTheStatementEachMessageBelongsTo() {
        SessionMasker masker = new SessionMasker(new MaskingPolicy(List.of(ColumnRule.whole("public", "t", "x", MaskStrategy.FULL)),
                EnumSet.allOf(DetectorKind.class), List.of(), java.util.Set.of(), java.util.Optional.empty(),
                java.util.Set.of(), java.util.Set.of()), java.util.Set.of(), new MaskingKey("test-key-0123456789abcdef"));
        byte[] typo = fields("SERROR", "C42703", "Mcolumn \"emial\" does not exist");
        // The statement wrote the name: kept, again for a second notice of the same statement.
        for (int i = 0; i < 2; i++) {
            assertThat(masker.maskNoticeFields(typo, 0, typo.length, true, "SELECT emial FROM t", null)).isNull();
        }
        // Another statement did not: masked, though the same message came before.
        assertThat(fieldList(masker.maskNoticeFields(typo, 0, typo.length, true, "SELECT x FROM t", null)))
                .contains("Mcolumn \"****\" does not exist");
        // A statement that does not reach masked data has nothing masked by quoting.
        assertThat(masker.maskNoticeFields(typo, 0, typo.length, false, "SELECT x FROM t", null)).isNull();
    }

    @Test
    void notificationsParameterStatusAndFunctionResultsAreScanned() {
        MessageMasker messages = new MessageMasker(new ContentScanner(EnumSet.allOf(DetectorKind.class), List.of()),
                new KnownValues());
        byte[] notification = concat(new byte[] {0, 0, 0, 42}, fields("pings", "alice@example.com 123-45-6789"));
        byte[] masked = messages.maskNotification(notification, 0, notification.length - 1);
        assertThat(java.util.Arrays.copyOf(masked, 4)).containsExactly(0, 0, 0, 42);
        assertThat(fieldList(java.util.Arrays.copyOfRange(masked, 4, masked.length))).containsExactly("pings", "**** ****");
        byte[] status = fields("application_name", "agent for bob@example.com");
        assertThat(fieldList(messages.maskParameterStatus(status, 0, status.length - 1)))
                .containsExactly("application_name", "agent for ****");
        byte[] plain = fields("TimeZone", "UTC");
        assertThat(messages.maskParameterStatus(plain, 0, plain.length - 1)).isNull();
        byte[] result = concat(new byte[] {0, 0, 0, 19}, utf8("4111 1111 1111 1111"));
        assertThat(messages.maskFunctionResult(result, 0, result.length)).containsExactly(-1, -1, -1, -1);
        byte[] harmless = concat(new byte[] {0, 0, 0, 2}, utf8("42"));
        assertThat(messages.maskFunctionResult(harmless, 0, harmless.length)).isNull();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] fields(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            out.writeBytes(utf8(field));
            out.write(0);
        }
        out.write(0);
        return out.toByteArray();
    }

    private static List<String> fieldList(byte[] body) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                if (i > start) {
                    fields.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return fields;
    }
}
