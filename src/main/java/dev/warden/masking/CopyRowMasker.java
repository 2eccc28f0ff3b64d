package dev.warden.masking;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks the rows of COPY TO STDOUT (one CopyData message per row, as PostgreSQL sends them) by a
 * {@link MaskPlan} whose columns are the copied columns in order: text format (delimiter, backslash
 * escapes, {@code \N}), CSV (quotes, empty unquoted NULL) and binary (the PGCOPY header, then tuples
 * laid out like DataRow). Not thread-safe: one per COPY.
 */
public final class CopyRowMasker {
    private static final byte[] BINARY_SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final CopyFormat format;
    private final MaskPlan plan;
    private final RowMasker rows;
    private final ContentScanner scanner;
    private boolean headerPending;

    CopyRowMasker(CopyFormat format, MaskPlan plan, RowMasker rows, ContentScanner scanner) {
        this.format = format;
        this.plan = plan;
        this.rows = rows;
        this.scanner = scanner;
        this.headerPending = format.header() && format.kind() != CopyFormat.Kind.BINARY;
    }

    /** The masked CopyData body, or null when nothing changed. */
    public byte[] mask(byte[] data, int from, int to) {
        return switch (format.kind()) {
            case BINARY -> maskBinary(data, from, to);
            case TEXT, CSV -> maskLine(data, from, to);
        };
    }

    private byte[] maskBinary(byte[] data, int from, int to) {
        int at = from;
        if (to - from >= BINARY_SIGNATURE.length && java.util.Arrays.equals(data, from, from + BINARY_SIGNATURE.length,
                BINARY_SIGNATURE, 0, BINARY_SIGNATURE.length)) {
            at += BINARY_SIGNATURE.length + 4;
            int extension = RowMasker.readInt(data, at);
            at += 4 + extension;
        }
        if (at >= to || (to - at == 2 && data[at] == -1 && data[at + 1] == -1)) {
            return null; // the header alone, or the trailer (-1 fields)
        }
        byte[] masked = rows.mask(plan, data, at, to);
        if (masked == null) {
            return null;
        }
        byte[] out = new byte[at - from + masked.length];
        System.arraycopy(data, from, out, 0, at - from);
        System.arraycopy(masked, 0, out, at - from, masked.length);
        return out;
    }

    private byte[] maskLine(byte[] data, int from, int to) {
        if (headerPending) {
            headerPending = false;
            return scanner.mask(data, from, to);
        }
        int end = to;
        while (end > from && (data[end - 1] == '\n' || data[end - 1] == '\r')) {
            end--;
        }
        List<byte[]> values = format.kind() == CopyFormat.Kind.CSV ? CsvFields.split(data, from, end, format.delimiter())
                : TextFields.split(data, from, end, format.delimiter());
        if (values.size() != plan.columnCount()) {
            throw new MaskingException("COPY row has " + values.size() + " fields, expected " + plan.columnCount());
        }
        byte[] row = encodeAsRow(values);
        byte[] masked = rows.mask(plan, row, 0, row.length);
        if (masked == null) {
            return null;
        }
        List<byte[]> maskedValues = decodeRow(masked);
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + 16);
        for (int i = 0; i < maskedValues.size(); i++) {
            if (i > 0) {
                out.write(format.delimiter());
            }
            byte[] value = maskedValues.get(i);
            byte[] field = format.kind() == CopyFormat.Kind.CSV ? CsvFields.encode(value, format.delimiter())
                    : TextFields.encode(value, format.delimiter());
            out.write(field, 0, field.length);
        }
        out.write(data, end, to - end);
        return out.toByteArray();
    }

    /** The fields as a DataRow body (null values as -1) so the row masker does the work. */
    private static byte[] encodeAsRow(List<byte[]> values) {
        int size = 2;
        for (byte[] value : values) {
            size += 4 + (value == null ? 0 : value.length);
        }
        byte[] row = new byte[size];
        row[0] = (byte) (values.size() >>> 8);
        row[1] = (byte) values.size();
        int at = 2;
        for (byte[] value : values) {
            RowMasker.writeInt(row, at, value == null ? -1 : value.length);
            at += 4;
            if (value != null) {
                System.arraycopy(value, 0, row, at, value.length);
                at += value.length;
            }
        }
        return row;
    }

    private static List<byte[]> decodeRow(byte[] row) {
        int count = ((row[0] & 0xFF) << 8) | (row[1] & 0xFF);
        List<byte[]> values = new ArrayList<>(count);
        int at = 2;
        for (int i = 0; i < count; i++) {
            int length = RowMasker.readInt(row, at);
            at += 4;
            if (length < 0) {
                values.add(null);
            } else {
                values.add(java.util.Arrays.copyOfRange(row, at, at + length));
                at += length;
            }
        }
        return values;
    }

    /** COPY's text format: backslash escapes, {@code \N} for NULL. */
    static final class TextFields {
        private TextFields() {}

        static List<byte[]> split(byte[] data, int from, int to, byte delimiter) {
            List<byte[]> values = new ArrayList<>();
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            boolean isNull = false;
            for (int at = from; at <= to; at++) {
                if (at == to || data[at] == delimiter) {
                    values.add(isNull && value.size() == 0 ? null : value.toByteArray());
                    value.reset();
                    isNull = false;
                    continue;
                }
                byte b = data[at];
                if (b != '\\' || at + 1 >= to) {
                    value.write(b);
                    continue;
                }
                byte escaped = data[++at];
                switch (escaped) {
                    case 'N' -> isNull = true;
                    case 'n' -> value.write('\n');
                    case 'r' -> value.write('\r');
                    case 't' -> value.write('\t');
                    case 'b' -> value.write('\b');
                    case 'f' -> value.write('\f');
                    case 'v' -> value.write(0x0B);
                    default -> value.write(escaped);
                }
            }
            return values;
        }

        static byte[] encode(byte[] value, byte delimiter) {
            if (value == null) {
                return "\\N".getBytes(StandardCharsets.US_ASCII);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 8);
            for (byte b : value) {
                switch (b) {
                    case '\\' -> out.write(new byte[] {'\\', '\\'}, 0, 2);
                    case '\n' -> out.write(new byte[] {'\\', 'n'}, 0, 2);
                    case '\r' -> out.write(new byte[] {'\\', 'r'}, 0, 2);
                    case '\t' -> out.write(new byte[] {'\\', 't'}, 0, 2);
                    default -> {
                        if (b == delimiter) {
                            out.write('\\');
                        }
                        out.write(b);
                    }
                }
            }
            return out.toByteArray();
        }
    }

    /** COPY's CSV format with the default quote and escape ({@code "}); an empty unquoted field is NULL. */
    static final class CsvFields {
        private CsvFields() {}

        static List<byte[]> split(byte[] data, int from, int to, byte delimiter) {
            List<byte[]> values = new ArrayList<>();
            int at = from;
            while (true) {
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                boolean quoted = false;
                if (at < to && data[at] == '"') {
                    quoted = true;
                    at++;
                    while (at < to) {
                        if (data[at] == '"') {
                            if (at + 1 < to && data[at + 1] == '"') {
                                value.write('"');
                                at += 2;
                                continue;
                            }
                            at++;
                            break;
                        }
                        value.write(data[at++]);
                    }
                }
                while (at < to && data[at] != delimiter) {
                    value.write(data[at++]);
                }
                values.add(!quoted && value.size() == 0 ? null : value.toByteArray());
                if (at >= to) {
                    return values;
                }
                at++; // the delimiter
            }
        }

        static byte[] encode(byte[] value, byte delimiter) {
            if (value == null) {
                return new byte[0];
            }
            boolean quote = value.length == 0;
            for (byte b : value) {
                quote |= b == delimiter || b == '"' || b == '\n' || b == '\r';
            }
            if (!quote) {
                return value;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
            out.write('"');
            for (byte b : value) {
                if (b == '"') {
                    out.write('"');
                }
                out.write(b);
            }
            out.write('"');
            return out.toByteArray();
        }
    }
}
